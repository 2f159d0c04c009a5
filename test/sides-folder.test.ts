/**
 * A side-by-side results folder is found by what it holds, and its runs come in the order the
 * targets were given (sides.json), not the order their names sort in.
 */
import t from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sidesFolders, writeSidesFile } from '../src/recorder/sides-folder.js'

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
