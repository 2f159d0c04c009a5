/**
 * A side-by-side results folder is found by what it holds, and its runs come in the order the
 * targets were given (sides.json), not the order their names sort in.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sidesFolders, writeSidesFile } from '../src/recorder/sides-folder.js'
import { runInProcess } from './helpers/cli.js'

function run (dir: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'summary.json'), '{}')
}

t.test('sides.json orders the targets; without it, the sub-folders that hold runs, by name', async (t) => {
  const root = t.testdir({})
  const sides = join(root, 'upgrade')
  run(join(sides, 'before'))
  run(join(sides, 'after'))
  writeSidesFile(sides, { targets: ['before', 'after'], mode: 'lockstep' })
  t.same(sidesFolders(sides), { folders: [join(sides, 'before'), join(sides, 'after')], record: { targets: ['before', 'after'], mode: 'lockstep' } }, 'before is A, after is B')
  const older = join(root, 'older')
  run(join(older, 'z'))
  run(join(older, 'a'))
  mkdirSync(join(older, 'notes'))
  t.same(sidesFolders(older), { folders: [join(older, 'a'), join(older, 'z')] }, 'no sides.json: the runs in name order')
  t.equal(sidesFolders(join(sides, 'before')), undefined, 'a run folder is not a side-by-side folder')
  run(join(root, 'one', 'a'))
  t.equal(sidesFolders(join(root, 'one')), undefined, 'one run in a folder is not side by side')
  t.equal(sidesFolders(join(root, 'missing')), undefined, 'nor is a folder that is not there')
})

t.test('a damaged sides.json is one line naming it, not a silent pairing by name', async (t) => {
  const root = t.testdir({})
  const sides = join(root, 'upgrade')
  run(join(sides, 'before'))
  run(join(sides, 'after'))
  const file = join(sides, 'sides.json')
  const refusal = (text: string): RegExp => new RegExp(`^${file}: ${text}; remove it, and the runs in its sub-folders are compared in name order$`)
  writeFileSync(file, '{"targets": [')
  t.throws(() => sidesFolders(sides), { message: refusal('not JSON \\(.*\\)') })
  for (const targets of ['"x"', '[]', '["../../etc"]', '[1, 2]']) {
    writeFileSync(file, `{"targets": ${targets}}`)
    t.throws(() => sidesFolders(sides), { message: refusal('"targets" is not a list of the targets\' folder names') }, targets)
  }
  rmSync(file)
  execFileSync('mkfifo', [file])
  t.throws(() => sidesFolders(sides), { message: refusal("can't be read \\(a named pipe, not a file\\)") }, 'a named pipe is not opened')
  const r = await runInProcess(['compare', sides])
  t.same([r.status, r.stderr.split('\n').length], [2, 2], '`memsiege compare` says it in one line, exit 2')
})
