/**
 * `memsiege stub` end to end on loopback: a real upstream (plain, and TLS with its own CA)
 * recorded through the stub by a Ruby app (Net::HTTP) and a Node app (undici), then replayed with
 * the upstream stopped; a hand-edited recording; unmatched requests; rules; refusals.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { parseScenario } from '../src/scenario/load.js'
import type { Scenario } from '../src/scenario/types.js'
import type { Exchange } from '../src/stub/exchange-file.js'
import { bodyHash } from '../src/stub/match-key.js'
import { Recordings } from '../src/stub/recordings.js'
import { runCli, runInProcess } from './helpers/cli.js'
import { makeTlsFiles, startStub, startUpstream } from './helpers/stub.js'
import { waitFor } from './helpers/wait.js'

const run = promisify(execFile)
const fixtures = fileURLToPath(new URL('./fixtures/stub/', import.meta.url))

interface Answer { status?: number; upstream?: string | null; body?: string; error?: string }

/** The proxy and trust variables `memsiege stub` printed as export lines. */
function exported (stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]))
}

async function client (kind: 'ruby' | 'node', env: Record<string, string>, urls: string[]): Promise<Answer[]> {
  const [cmd, script] = kind === 'ruby' ? ['ruby', 'client.rb'] : [process.execPath, 'client.mjs']
  const { stdout } = await run(cmd, [join(fixtures, script), ...urls], { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 })
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as Answer)
}

t.test('record through the stub, then replay with the upstream stopped', async (t) => {
  const dir = t.testdir()
  const tls = makeTlsFiles(dir)
  const plain = await startUpstream()
  const secure = await startUpstream(tls)
  t.teardown(async () => { await plain.close(); await secure.close() })
  const rec = join(dir, 'rec')
  const caDir = join(dir, 'ca')
  // The leaf certificates mockttp signs carry DNS names: TLS hosts go by `localhost`.
  // Net::HTTP goes direct to a host that resolves to 127.x (see client.rb): the plain upstream goes by its IPv4-mapped form.
  const urls = [`${plain.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/items?id=1&token=abc123456`, `${secure.url.replace('127.0.0.1', 'localhost')}/boards/7`]

  const recorder = await startStub(['--record', rec, '--ca-dir', caDir, '--upstream-ca', tls.caCert])
  const env = exported(await waitFor(() => /NODE_EXTRA_CA_CERTS=/.test(recorder.stdout()) && recorder.stdout(), undefined, 'the export lines'))
  t.equal(env.http_proxy, recorder.url)
  t.equal(env.NODE_EXTRA_CA_CERTS, join(caDir, 'cert.pem'))
  t.equal(statSync(join(caDir, 'key.pem')).mode & 0o777, 0o600, 'the CA key is readable by its owner only')
  const recorded = [...await client('ruby', env, urls), ...await client('node', env, urls)]
  const refused = await client('node', env, ['http://192.0.2.1:8080/x', 'https://example.invalid:8443/y'])
  const recording = await recorder.stop()
  t.equal(recording.status, 0, recording.stderr)
  for (const a of recorded) {
    t.equal(a.status, 200, JSON.stringify(a))
    t.equal(a.upstream, 'real')
  }
  t.match(JSON.parse(recorded[0].body!), { method: 'GET', url: '/items?id=1&token=abc123456' })
  t.match(JSON.parse(recorded[1].body!), { url: '/boards/7' })
  for (const a of refused) t.match(a, { status: 502, error: undefined, body: /not forwarded: .* is not a loopback host/ })
  t.equal(plain.count() + secure.count(), 4, 'the refused requests never left')
  t.match(recording.stderr, /4 passed through, 4 recorded, 2 refused/)

  const files = readdirSync(rec).filter((n) => n.endsWith('.yml')).sort()
  t.equal(files.length, 4, 'one file per exchange')
  const first = readFileSync(join(rec, files[0]), 'utf8')
  t.match(first, /method: GET/)
  t.match(first, /bodySha256: [0-9a-f]{64}/)
  t.notMatch(first, /abc123456|secret-session-id/, 'no secret in a recording')
  t.match(first, /set-cookie: "\[redacted\]"/)
  t.equal(readFileSync(join(rec, files[0].replace('.yml', '.body')), 'utf8'), recorded[0].body)

  // By hand: the first exchange's answer becomes 201 with a body written in place.
  writeFileSync(join(rec, files[0]), first.replace(/status: 200/, 'status: 201').replace(/bodyFile: .*/, 'body: \'{"edited": true}\''))

  await plain.close()
  await secure.close()
  const replayer = await startStub(['--replay', rec, '--ca-dir', caDir])
  const replayEnv = exported(await waitFor(() => /NODE_EXTRA_CA_CERTS=/.test(replayer.stdout()) && replayer.stdout(), undefined, 'the export lines'))
  const rubyAgain = await client('ruby', replayEnv, [...urls, `${urls[0].replace(/\/items.*/, '/items?id=2')}`])
  const nodeAgain = await client('node', replayEnv, urls)
  const replay = await replayer.stop()
  t.notMatch(replay.stderr, /\(new\)/, 'the CA of --ca-dir is reused')
  t.same(rubyAgain[0], { status: 201, upstream: 'real', body: '{"edited": true}' }, 'the edited recording is what is replayed')
  t.same(rubyAgain[1], recorded[1], 'TLS replayed to Ruby as recorded')
  t.match(rubyAgain[2], { status: 404, body: /no recording or rule matches GET http:\/\/\[::ffff:7f00:1\]:\d+\/items\?id=2/ })
  t.same(nodeAgain, recorded.slice(2), 'replayed to Node as recorded')
  t.match(replay.stderr, /5 requests: 4 replayed, 0 by rules, 1 unmatched, 0 passed through/)
})

t.test('reverse proxy with rules: hand-written answers, delays, 502 for what matches nothing', async (t) => {
  const dir = t.testdir({
    'rules.yml': [
      'unmatched: 502',
      'delay: { min: 1ms, max: 5ms }',
      'responses:',
      '  - path: /health*',
      '    headers: { content-type: text/plain }',
      '    body: "ok from a rule"',
      '  - method: POST',
      '    path: /boards/*',
      '    status: 201',
      '    file: board.json',
      '    delay: 2ms',
    ].join('\n') + '\n',
    'board.json': '{"id": 9}',
  })
  const stub = await startStub(['--replay', dir, '--upstream', 'https://api.example.test', '--rules', join(dir, 'rules.yml'), '--ca-dir', join(dir, 'ca')])
  t.teardown(() => { stub.child.kill('SIGKILL') })
  const health = await fetch(`${stub.url}/healthz`)
  t.equal(await health.text(), 'ok from a rule')
  const board = await fetch(`${stub.url}/boards/3`, { method: 'POST', body: 'x' })
  t.equal(board.status, 201)
  t.equal(await board.text(), '{"id": 9}')
  const miss = await fetch(`${stub.url}/cards/1`)
  t.equal(miss.status, 502)
  t.match(await miss.text(), /no recording or rule matches GET https:\/\/api\.example\.test\/cards\/1/)
  const done = await stub.stop()
  t.match(done.stderr, /3 requests: 0 replayed, 2 by rules, 1 unmatched/)
})

t.test('bad input: one line naming the file or flag, exit 2', async (t) => {
  const dir = t.testdir({
    'rules.yml': 'unmatched: 404\nresponses:\n  - path: /a\n    staus: 200\n',
    'policy.yml': 'unmatched: 418\n',
    rec: { '0001-GET-x.yml': 'request:\n  method: GET\n  url: not a url\nresponse:\n  status: 200\n' },
  })
  const cases: Array<[string[], RegExp]> = [
    [['--replay', join(dir, 'nowhere')], /^memsiege: --replay: no such folder: .*nowhere\n$/],
    [['--replay', dir, '--rules', join(dir, 'rules.yml')], /^memsiege: .*rules\.yml:4:5: unknown key "staus"/],
    [['--replay', dir, '--rules', join(dir, 'policy.yml')], /^memsiege: .*policy\.yml:1:\d+: unmatched: expected 404, 502 or "pass-through", got 418\n$/],
    [['--replay', dir, '--rules', join(dir, 'none.yml')], /^memsiege: --rules: cannot read .*none\.yml: ENOENT\n$/],
    [['--replay', join(dir, 'rec')], /^memsiege: .*0001-GET-x\.yml:3:\d+: request\.url: /],
    [['--record', dir, '--replay', dir], /^memsiege: stub: give only one of --record and --replay\n$/],
    // a recursive mkdir under /proc never returns: refused before it is tried
    [['--record', '/proc/memsiege-rec'], /^memsiege: --record \/proc\/memsiege-rec: proc is a kernel filesystem, not storage; give a folder on a disk\n$/],
    [['--record', ''], /^memsiege: --record: give a path, not an empty name\n$/],
    [['--upstream-ca', join(dir, 'missing.pem')], /^memsiege: --upstream-ca .*missing\.pem: no such file\n$/],
    [['--upstream-ca', join(dir, 'policy.yml')], /^memsiege: --upstream-ca .*policy\.yml: not a PEM certificate/],
    [['--upstream-ca', dir], /^memsiege: --upstream-ca .*: can't be read \(a folder, not a file\)\n$/],
  ]
  const results = await Promise.all(cases.map(([args]) => runCli(['stub', '--port', '0', '--ca-dir', join(dir, 'ca'), ...args])))
  for (const [i, [args, message]] of cases.entries()) {
    const r = results[i]
    t.equal(r.status, 2, args.join(' '))
    t.match(r.stderr, message)
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line')
  }
})

t.test('a damaged CA folder, a taken port: one line naming the file or the port, exit 2', async (t) => {
  const dir = t.testdir({ garbage: { 'key.pem': 'garbage\n', 'cert.pem': 'garbage\n' } })
  // a key of its own beside another's certificate
  mkdirSync(join(dir, 'mismatch'))
  writeFileSync(join(dir, 'mismatch', 'key.pem'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }))
  copyFileSync(join(fixtures, '..', 'tls', 'cert.pem'), join(dir, 'mismatch', 'cert.pem'))
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { taken.close() })
  const port = String((taken.address() as AddressInfo).port)
  const cases: Array<[string[], RegExp]> = [
    [['--ca-dir', join(dir, 'garbage')], /^memsiege: --ca-dir: .*garbage\/key\.pem: not a PEM private key; remove key\.pem and cert\.pem, and a new CA is made\n$/],
    [['--ca-dir', join(dir, 'mismatch')], /^memsiege: --ca-dir: .*mismatch\/cert\.pem is not the certificate of .*mismatch\/key\.pem; remove both, and a new CA is made\n$/],
    [['--ca-dir', '/proc/memsiege-ca'], /^memsiege: --ca-dir \/proc\/memsiege-ca: proc is a kernel filesystem/],
    [['--ca-dir', join(dir, 'ca'), '--port', port], new RegExp(`^memsiege: stub port ${port}: already in use; stop what listens there or give the stub another port \\(0: any free one\\)\n$`)],
  ]
  // in this process: each fails before the stub would listen and wait for a signal
  for (const [args, message] of cases) {
    const r = await runInProcess(['stub', ...(args.includes('--port') ? [] : ['--port', '0']), ...args])
    t.equal(r.status, 2, args.join(' '))
    t.match(r.stderr, message)
  }
})

t.test('stubs: in a scenario: checked at load, with the line', async (t) => {
  const dir = t.testdir({ rec: {}, 'rules.yml': 'unmatched: 404\n' })
  const load = (stubs: string): Scenario => parseScenario(`urls: [ http://127.0.0.1:1/ ]\nstubs:\n${stubs}`, join(dir, 's.yml'))
  const ok = load('  - replay: rec\n    rules: rules.yml\n  - upstream: https://api.example.test\n    env: API_URL\n    record: rec2\n')
  t.match(ok.stubs, [
    { mode: 'replay', dir: join(dir, 'rec'), rules: join(dir, 'rules.yml'), port: 0, matchBody: false, loopbackOnly: false },
    { mode: 'record', dir: join(dir, 'rec2'), upstream: 'https://api.example.test', env: 'API_URL' },
  ])
  t.throws(() => load('  - replay: nowhere\n'), /s\.yml:3:13: stubs\[0\]\.replay: no such folder: .*nowhere/)
  t.throws(() => load('  - replay: rec\n  - record: rec2\n'), /s\.yml:4:5: stubs: one forward proxy at most/)
  t.throws(() => load('  - replay: rec\n    record: rec\n'), /s\.yml:4:5: stubs: give only one of replay and record/)
  t.throws(() => load('  - env: X\n'), /env/)
  t.throws(() => load('  - record: /proc/memsiege-rec\n'), /s\.yml:3:13: stubs\[0\]\.record: \/proc\/memsiege-rec: proc is a kernel filesystem, not storage/)
  t.throws(() => load('  - replay: rec\n    upstreamCa: [rules.yml]\n'), /s\.yml:4:18: stubs\[0\]\.upstreamCa\[0\]: .*rules\.yml: not a PEM certificate/)
})

t.test('matching: query order, secret values, --match-body, several recordings in turn', async (t) => {
  const exchange = (url: string, body: string, answer: string): Exchange => ({
    request: { method: 'POST', url, headers: [], bodySha256: bodyHash(Buffer.from(body)) },
    response: { status: 200, headers: [], body: Buffer.from(answer) },
  })
  const recorded = [
    exchange('http://api.example.test/a?x=1&token=[redacted]', 'one', 'first'),
    exchange('http://api.example.test/a?x=1&token=[redacted]', 'two', 'second'),
  ]
  const url = new URL('http://api.example.test/a?token=real-secret&x=1')
  const any = new Recordings(recorded, false)
  t.equal(any.find('POST', url, '')?.response.body.toString(), 'first')
  t.equal(any.find('POST', url, '')?.response.body.toString(), 'second', 'the next one in turn')
  t.equal(any.find('GET', url, ''), undefined, 'the method counts')
  t.equal(any.find('POST', new URL('http://api.example.test/a?x=2&token=t'), ''), undefined, 'the query counts')
  const byBody = new Recordings(recorded, true)
  t.equal(byBody.find('POST', url, bodyHash(Buffer.from('two')))?.response.body.toString(), 'second')
  t.equal(byBody.find('POST', url, bodyHash(Buffer.from('three'))), undefined)
})
