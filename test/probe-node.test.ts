import t from 'tap'
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { waitForLine } from './helpers/wait.js'
import { portBeforeATakenOne, probePids, probeRun } from './helpers/probe-run.js'

const JSON_SERVER = join(repoRoot, 'node_modules', '.bin', 'json-server')
const PRELOAD = join(repoRoot, 'probes', 'node', 'memsiege-probe.cjs')

t.test('json-server, a third-party app with no probe: GC columns from the injected probe, judged as the mounted probe', async (t) => {
  const port = await freePort()
  const body = JSON.stringify({ name: 'kept forever', note: 'x'.repeat(8000) })
  const r = await probeRun(t, {
    command: `${JSON_SERVER} --quiet --host 127.0.0.1 --port ${port} db.js`,
    files: { 'db.js': 'module.exports = () => ({ items: [] })\n', 'package.json': '{"type": "commonjs"}' },
    port,
    ready: '/items',
    urls: [`/items POST ${body}`],
    contentType: 'application/json',
    requests: 250,
  })
  t.equal(r.status, 0, r.stderr)
  t.match(r.log, /memsiege probe: listening on http:\/\/127\.0\.0\.1:\d+\/__memsiege\/gc \(pid \d+\)/)
  for (const name of ['gc.memoryUsage.heapUsed', 'gc.heap_spaces.old_space.space_used_size', 'gc.gc_count.major']) t.ok(r.header.includes(name), name)
  t.ok(r.rows.every((row) => row.gc_errors === '0'), 'every fetch answered')
  t.equal(new Set(r.rows.map((row) => row['gc.pid'])).size, 1, 'one process answered')
  t.equal(r.rows[0]!['gc.pid'], String(probePids(r.log).get('first')), 'the app itself')
  t.equal(r.summary.columns?.['gc.memoryUsage.heapUsed']?.role, 'heap-live')
  t.equal(r.summary.columns?.['gc.heap_spaces.old_space.space_used_size']?.role, 'old-generation')
  const heap = r.rows.map((row) => Number(row['gc.heap_spaces.old_space.space_used_size']))
  t.ok(heap.at(-1)! - heap[0]! > 2_000_000, `the old space keeps the POSTed items: ${heap[0]} → ${heap.at(-1)}`)
})

t.test('a node:http app in cluster mode: every worker gets a probe even when base + its id is taken, and the primary forwards to worker 1, whose figures are sampled', async (t) => {
  const port = await freePort()
  // Anything on the machine may hold a worker's port: here, worker 1's.
  const base = await portBeforeATakenOne(t, [port])
  const r = await probeRun(t, { command: `${process.execPath} ${join(repoRoot, 'test', 'fixtures', 'node-cluster.mjs')} ${port}`, port, urls: ['/keep'], requests: 150, targetExtra: [`  env: { MEMSIEGE_PROBE_PORT: "${base}" }`] })
  t.equal(r.status, 0, r.stderr)
  t.notMatch(r.log, 'cannot listen', 'no process went without the probe')
  t.match(r.log, `memsiege probe: 127.0.0.1:${base + 1} is taken; cluster worker 1, pid`)
  const pids = probePids(r.log)
  t.ok(pids.has('worker 1') && pids.has('worker 2'), r.log)
  const worker1 = r.log.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\S* \(cluster worker 1,/)
  t.ok(worker1 && Number(worker1[1]) !== base + 1, `worker 1 listens elsewhere than the taken ${base + 1}: ${worker1?.[1]}`)
  t.ok(r.rows.length > 0 && r.rows.every((row) => row.gc_errors === '0'), 'every fetch answered')
  t.ok(r.header.includes('gc.memoryUsage.heapUsed'))
  const answered = new Set(r.rows.map((row) => Number(row['gc.pid'])))
  t.same([...answered], [pids.get('worker 1')], 'worker 1, the lowest-numbered, answered every fetch')
})

t.test('the probe port already taken: the app says so and goes on; a run names the holder and goes on without GC figures', async (t) => {
  const holder = createServer((_req, res) => res.end('{"pid": 1}'))
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  t.teardown(() => holder.close())
  const taken = (holder.address() as AddressInfo).port

  const app = spawn(process.execPath, ['-e', "require('http').createServer((q, s) => s.end('up')).listen(0, '127.0.0.1', () => console.log('serving'))"], {
    env: { ...process.env, MEMSIEGE_PROBE_PORT: String(taken), NODE_OPTIONS: `--require ${PRELOAD}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => { app.kill() })
  const [line] = await waitForLine(app.stderr!, /memsiege probe: .*\n/)
  t.match(line, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken} \\(EADDRINUSE\\); pid \\d+ goes on without the probe`))
  await waitForLine(app.stdout!, /serving/)

  const port = await freePort()
  const r = await probeRun(t, {
    command: `${process.execPath} ${join(repoRoot, 'test', 'fixtures', 'node-cluster.mjs')} ${port}`,
    port,
    urls: ['/keep'],
    requests: 50,
    targetExtra: [`  env: { MEMSIEGE_PROBE_PORT: "${taken}" }`],
  })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stderr, new RegExp(`target\\.probe: port ${taken} \\(target\\.env\\.MEMSIEGE_PROBE_PORT\\) is already used by pid ${process.pid}: the node probe is not injected and the run goes on without GC figures`))
  t.notOk(r.header.some((h) => h.startsWith('gc.')), 'no GC columns')
  t.ok(r.header.includes('rss_bytes'), '/proc figures as ever')
})

t.test('the preload never keeps a process alive, and the --import form loads it too', async (t) => {
  const port = await freePort()
  for (const flag of [`--require ${PRELOAD}`, `--import ${join(repoRoot, 'probes', 'node', 'memsiege-probe.mjs')}`]) {
    const child = spawn(process.execPath, ['-e', untilProbeAnswers(port)], { env: { ...process.env, MEMSIEGE_PROBE_PORT: String(port), NODE_OPTIONS: flag }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => { stderr += d })
    const code = await new Promise((resolve) => child.once('exit', resolve))
    t.equal(code, 0, flag)
    t.match(stderr, `memsiege probe: listening on http://127.0.0.1:${port}/__memsiege/gc`, flag)
  }
})

t.test('npm and npx leave the port to the app they start', async (t) => {
  const dir = t.testdir({ 'package.json': JSON.stringify({ scripts: { start: `node ${join(repoRoot, 'test', 'fixtures', 'node-cluster.mjs')} 0` } }) })
  const port = await freePort()
  const npm = spawn('npm', ['start', '--silent'], { cwd: dir, env: { ...process.env, MEMSIEGE_PROBE_PORT: String(port), NODE_OPTIONS: `--require ${PRELOAD}` }, stdio: ['ignore', 'ignore', 'pipe'], detached: true })
  t.teardown(() => { try { process.kill(-npm.pid!, 'SIGKILL') } catch {} })
  const [line] = await waitForLine(npm.stderr!, /memsiege probe: .*\n/)
  t.match(line, `listening on http://127.0.0.1:${port}/__memsiege/gc (pid `)
  t.not(Number(/pid (\d+)/.exec(line)![1]), npm.pid, 'not npm itself')
})

/**
 * A script that exits once it has connected to the probe's port (retrying until the probe listens):
 * nothing of its own keeps it alive then, and no timer races the probe's start on a busy machine.
 */
function untilProbeAnswers (port: number): string {
  return `const { connect } = require('node:net')
const attempt = () => connect(${port}, '127.0.0.1').on('connect', function () { this.destroy() }).on('error', () => setTimeout(attempt, 20))
attempt()`
}
