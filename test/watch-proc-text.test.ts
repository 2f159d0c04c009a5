// The /proc reader a watch samples with many times a second: whole text, as readFile gives it.
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readProcText } from '../src/target/proc-text.js'

t.test('the /proc files memsiege samples read whole', async (t) => {
  for (const file of ['/proc/self/stat', '/proc/self/status', '/proc/stat']) {
    const text = await readProcText(file)
    // The process changes between two reads: the same lines, ending as the file does.
    t.equal(text.split('\n').length, readFileSync(file, 'utf8').split('\n').length, file)
    t.ok(text.endsWith('\n'), `${file} to its end`)
  }
})

t.test('longer than one read, with a character split across two reads', async (t) => {
  const path = join(t.testdir(), 'long.txt')
  const text = 'x'.repeat(3999) + 'é' + 'y'.repeat(9000) + '\n'
  writeFileSync(path, text)
  t.equal(await readProcText(path), text)
})

t.test('a process that is gone: the error, as readFile gives it', async (t) => {
  await t.rejects(readProcText('/proc/999999999/status'), { code: 'ENOENT' })
})
