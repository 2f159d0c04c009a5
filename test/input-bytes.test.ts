// Bytes in URL files, logs and HARs are kept as siege keeps them, or refused with one line:
// never changed without a word.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { urlsFromHarCommand, urlsFromLogCommand } from '../src/commands/urls.js'
import { readUrlFile } from '../src/scenario/urlfile/parse.js'
import { startRawServer } from './fixtures/raw-server.js'
import { runCli } from './helpers/cli.js'
import { runSiege, siegeSkipReason, tempDir, wireOf } from './helpers/siege.js'
import { memoryIo } from './helpers/urls.js'

t.test('a URL file byte that is not UTF-8 is refused with file:line (siege would send it as %E9)', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'urls.txt')
  writeFileSync(file, Buffer.concat([Buffer.from('http://127.0.0.1:9/ok\nhttp://127.0.0.1:9/caf'), Buffer.from([0xe9]), Buffer.from('\n')]))
  const r = await runCli(['-c', '1', '-r', '1', '--out', join(dir, 'out'), '-f', file])
  t.equal(r.status, 2)
  t.equal(r.stderr, `memsiege: ${file}:2: byte 0xE9 is not UTF-8: memsiege reads URL files as UTF-8 and won't guess (siege sends such a byte as is); percent-encode it (%E9) or save the file as UTF-8\n`)
})

t.test('a NUL is refused with file:line: siege stops reading the file there and drops lines around it', async (t) => {
  const dir = t.testdir({ 'urls.txt': 'http://127.0.0.1:9/a\nhttp://127.0.0.1:9/b POST x\0y\n' })
  let message = ''
  try {
    readUrlFile(join(dir, 'urls.txt'), {})
  } catch (err) {
    message = (err as Error).message
  }
  t.equal(message, `${join(dir, 'urls.txt')}:2: a NUL byte: a URL file is text (siege stops reading the file there); remove it, or put the body in a <file`)
})

t.test('siege and memsiege send the same bytes for UTF-8 lines', { skip: siegeSkipReason() }, async (t) => {
  const server = await startRawServer()
  t.teardown(() => server.close())
  const dir = tempDir(t)
  const origin = `http://127.0.0.1:${server.port}`
  const lines = [`${origin}/caf\u00e9?q=\u00fc`, `${origin}/post POST a=\u00e9&b=\u20ac`]
  const urlFile = join(dir, 'urls.txt')
  writeFileSync(urlFile, lines.join('\n') + '\n')
  const siege = await runSiege(dir, urlFile, lines.length)
  t.equal(siege.code, 0, siege.output)
  const bySiege = server.requests.splice(0).map(wireOf)
  const ours = await runCli(['-c', '1', '-r', String(lines.length), '-b', '-q', '--out', join(dir, 'out'), '-f', urlFile], { cwd: dir })
  t.equal(ours.status, 0, ours.stderr)
  const byMemsiege = server.requests.splice(0).map(wireOf)
  t.same(bySiege.map((w) => w.target), ['/caf%C3%A9?q=%C3%BC', '/post'])
  t.same(byMemsiege.map((w) => [w.method, w.target, w.body]), bySiege.map((w) => [w.method, w.target, w.body]))
})

t.test('urls from-log: a target byte that is not UTF-8 is written as %XX, not U+FFFD', async (t) => {
  const line = (target: Buffer): Buffer => Buffer.concat([Buffer.from('127.0.0.1 - - [01/May/2024:09:00:00 +0000] "GET '), target, Buffer.from(' HTTP/1.1" 200 5 "-" "curl"\n')])
  const log = Buffer.concat([line(Buffer.concat([Buffer.from('/caf'), Buffer.from([0xe9])])), line(Buffer.from('/caf\u00e9', 'utf8'))])
  const io = memoryIo(log)
  const status = await urlsFromLogCommand({ files: ['-'] }, io.io)
  t.equal(status, 0, io.stderr())
  t.notMatch(io.stdout(), /\uFFFD/)
  t.match(io.stdout(), /^\/caf%E9$/m)
  t.match(io.stdout(), /^\/caf%C3%A9$|^\/café$/m, 'UTF-8 stays what it was')
})

t.test('urls from-har: a postData that is not base64 is left out with its reason; a HAR that is not UTF-8 is refused', async (t) => {
  const entry = (text: string) => ({
    startedDateTime: '2024-05-01T09:00:00.000Z',
    request: { method: 'POST', url: 'http://127.0.0.1:9/up', headers: [], postData: { mimeType: 'application/octet-stream', text, encoding: 'base64' } },
    response: { status: 200 }
  })
  const har = JSON.stringify({ log: { version: '1.2', entries: [entry('not base64!'), entry(Buffer.from('ok').toString('base64'))] } })
  const dir = t.testdir({ 'a.har': har })
  const io = memoryIo()
  const status = await urlsFromHarCommand({ file: join(dir, 'a.har'), out: join(dir, 'list.txt') }, io.io)
  t.equal(status, 0, io.stderr())
  t.match(io.stderr(), /1 entry left out \(entry 1: a base64 body that is not valid base64\)/)
  writeFileSync(join(dir, 'b.har'), Buffer.concat([Buffer.from(har.slice(0, 20)), Buffer.from([0xe9]), Buffer.from(har.slice(20))]))
  const bad = memoryIo()
  t.equal(await urlsFromHarCommand({ file: join(dir, 'b.har') }, bad.io), 2)
  t.match(bad.stderr(), /b\.har:1: byte 0xE9 is not UTF-8; a HAR file is JSON, which is UTF-8/)
})
