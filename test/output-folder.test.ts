import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeOutputFolder } from '../src/recorder/output-folder.js'
import { runCli } from './helpers/cli.js'

function refusal (dir: string): string {
  try {
    makeOutputFolder(dir, '--out')
  } catch (err) {
    return (err as Error).message
  }
  return 'accepted'
}

t.test('--out on a kernel filesystem is refused at once with one line (a recursive mkdir under /proc never returns)', async (t) => {
  const r = await runCli(['-c', '1', '-r', '1', '--out', '/proc/x', 'http://127.0.0.1:9/'], { timeoutMs: 20_000 })
  t.equal(r.status, 2)
  t.equal(r.stderr.replace(/^.*warning.*\n/m, ''), 'memsiege: --out /proc/x: proc is a kernel filesystem, not storage; give a folder on a disk\n')
  t.equal(refusal('/proc/self/fd/x'), '--out /proc/self/fd/x: proc is a kernel filesystem, not storage; give a folder on a disk')
  t.equal(refusal('/sys/x/y'), '--out /sys/x/y: sysfs is a kernel filesystem, not storage; give a folder on a disk')
  t.equal(refusal('/dev/x'), '--out /dev/x: /dev is a kernel filesystem, not storage; give a folder on a disk')
})

t.test('a file in the way is one line, not a stack of errno', async (t) => {
  const dir = t.testdir()
  writeFileSync(join(dir, 'f'), '')
  t.equal(refusal(join(dir, 'f')), `--out ${join(dir, 'f')}: a file is in the way`)
  t.equal(refusal(join(dir, 'f', 'x')), `--out ${join(dir, 'f', 'x')}: a file is in the way of one of its folders`)
  t.equal(makeOutputFolder(join(dir, 'a', 'b'), '--out'), join(dir, 'a', 'b'), 'an ordinary folder is created with its parents')
})
