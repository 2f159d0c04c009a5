/**
 * --workers and the fixed rate, through the CLI: worker threads give the same counts as one
 * thread for a request budget; a rate run sends exactly its budget, its corrected latency is
 * never below the raw one, and maxInFlight caps what the server sees at once. Counts only:
 * nothing here depends on how fast the machine is.
 */
import t from 'tap'
import { createServer } from 'node:http'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { availableParallelism } from 'node:os'
import { afterCondition, runCli } from './helpers/cli.js'
import { testScenario } from './helpers/scenario.js'
import { applyEngineFlags, type EngineFlags } from '../src/commands/engine-flags.js'

interface Server { origin: string, seen: Map<string, number>, maxInFlight: number, total (): number, reset (): void, close (): Promise<void> }

async function startServer (): Promise<Server> {
  let inFlight = 0
  const state = { seen: new Map<string, number>(), maxInFlight: 0 }
  const server = createServer((req, res) => {
    inFlight++
    state.maxInFlight = Math.max(state.maxInFlight, inFlight)
    state.seen.set(req.url!, (state.seen.get(req.url!) ?? 0) + 1)
    const end = (status: number): void => {
      inFlight--
      res.statusCode = status
      res.end('pong')
    }
    if (req.url === '/slow') setTimeout(() => end(200), 20)
    else end(req.url === '/missing' ? 404 : 200)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    origin: `http://127.0.0.1:${port}`,
    get seen () { return state.seen },
    get maxInFlight () { return state.maxInFlight },
    total: () => [...state.seen.values()].reduce((a, b) => a + b, 0),
    reset: () => { state.seen = new Map(); state.maxInFlight = 0 },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

const server = await startServer()
t.teardown(() => server.close())
t.beforeEach(() => server.reset())

function scenario (dir: string, lines: string[], more: string): string {
  const file = join(dir, 'scenario.yml')
  writeFileSync(file, `urls:\n${lines.map((l) => `  - ${server.origin}${l}`).join('\n')}\n${more}`)
  return file
}

async function run (dir: string, file: string, flags: string[], out: string) {
  const r = await runCli(['run', file, '-q', '--json', '--out', join(dir, out), ...flags], { cwd: dir, timeoutMs: 60_000 })
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`)
  return JSON.parse(r.stdout)
}

function counts (summary: any) {
  return {
    transactions: summary.transactions,
    failed: summary.failed_transactions,
    status: summary.status_codes,
    endpoints: summary.endpoints.map((e: any) => [e.endpoint, e.transactions, e.failed, e.bytes, e.successful])
  }
}

t.test('a request budget gives the same counts with one worker and with two', async (t) => {
  const dir = t.testdir()
  // Which user takes the budget's last requests depends on timing: the totals are what must match.
  const file = scenario(dir, ['/a', '/b', '/c'], 'concurrency: 5\nrequests: 601\n')
  const one = await run(dir, file, ['--workers', '1'], 'one')
  const seenOne = server.total()
  server.reset()
  const two = await run(dir, file, ['--workers', '2'], 'two')
  t.equal(seenOne, 601)
  t.equal(server.total(), 601, 'the server saw the budget exactly, across both threads')
  t.equal(two.config.workers, 2)
  for (const summary of [one, two]) {
    t.equal(summary.transactions, 601)
    t.same(summary.status_codes, { 200: 601 })
    t.equal(summary.endpoints.reduce((n: number, e: any) => n + e.transactions, 0), 601)
    t.equal(summary.data_transferred_bytes, 601 * 4)
  }
  const rows = readFileSync(join(dir, 'two', 'samples.csv'), 'utf8').trim().split('\n')
  t.equal(rows[rows.length - 1].split(',')[2], '601', 'the last samples.csv row counts every request of both threads')
})

t.test('passes: per endpoint, status and bytes the same with one worker and with two', async (t) => {
  const dir = t.testdir()
  const file = scenario(dir, ['/a', '/b', '/missing', '/c', '/b'], 'concurrency: 5\npasses: 3\n')
  const one = await run(dir, file, ['--workers', '1'], 'one')
  const two = await run(dir, file, ['--workers', '2'], 'two')
  t.same(counts(two), counts(one))
  t.same(two.status_codes, { 200: 60, 404: 15 })
  t.equal(two.latency.max_ms, Math.max(...two.endpoints.map((e: any) => e.latency.max_ms)), 'the run-wide histogram holds every thread\'s values')
})

t.test('siege -r with two and three workers: each user its repetitions, users split over the threads', async (t) => {
  const dir = t.testdir()
  // Three: this thread's share and two worker threads'.
  for (const workers of ['2', '3']) {
    server.reset()
    const r = await runCli(['-c', '3', '-r', '7', '-q', '--json', '--workers', workers, '--out', join(dir, `out-${workers}`), `${server.origin}/a`], { cwd: dir })
    t.equal(r.status, 0, r.stderr)
    t.equal(JSON.parse(r.stdout).transactions, 21, `${workers} workers`)
    t.equal(server.total(), 21, `${workers} workers: the server saw each user's repetitions`)
  }
})

t.test('more threads than the cores this process may use: run as asked, with one warning', async (t) => {
  const dir = t.testdir()
  // Pinned to one core with taskset (the first this test may use): CPU affinity is what memsiege reads.
  const core = /Cpus_allowed_list:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]!
  const args = ['-c', '3', '-r', '7', '-q', '--json', '--workers', '2', `${server.origin}/a`]
  const pinned = await runCli(['--out', join(dir, 'pinned'), ...args], { cwd: dir, wrap: ['taskset', '-c', core] })
  t.equal(pinned.status, 0, pinned.stderr)
  t.equal(JSON.parse(pinned.stdout).transactions, 21, 'both threads ran their users')
  t.equal(pinned.stderr.match(/warning: workers: 2 threads, but this process may run on 1 core \(its CPU affinity\)/g)?.length, 1, pinned.stderr)
  if (availableParallelism() < 2) return
  const free = await runCli(['--out', join(dir, 'free'), ...args], { cwd: dir })
  t.notMatch(free.stderr, /threads sharing a core/, 'no word with a core for each thread')
})

t.test('a fixed rate sends its budget; latency from the scheduled start is never below the raw one', async (t) => {
  const dir = t.testdir()
  // One thread at a fixed rate is the next test's; here the schedule is split over two.
  for (const workers of ['2']) {
    server.reset()
    const summary = await run(dir, scenario(dir, ['/a', '/slow'], 'requests: 300\nrate: 2000/s\n'), ['--workers', workers], `rate-${workers}`)
    t.equal(server.total(), 300, `${workers} worker(s): the server saw the budget`)
    t.equal(summary.transactions, 300)
    t.equal(summary.rate.asked_per_s, 2000)
    t.ok(summary.rate.achieved_per_s > 0)
    for (const key of ['p50_ms', 'p99_ms', 'max_ms', 'mean_ms']) {
      t.ok(summary.latency[key] >= summary.rate.latency_raw[key], `${workers} worker(s), ${key}: corrected ${summary.latency[key]} ≥ raw ${summary.rate.latency_raw[key]}`)
    }
  }
})

t.test('maxInFlight caps what is in flight; starts that find no free slot are counted late', async (t) => {
  const dir = t.testdir()
  const summary = await run(dir, scenario(dir, ['/slow'], 'requests: 30\nrate: 1000/s\nmaxInFlight: 2\n'), [], 'capped')
  t.equal(summary.transactions, 30)
  t.ok(server.maxInFlight <= 2, `the server saw at most ${server.maxInFlight} at once`)
  // 30 requests due within 30 ms, each taking 20 ms, 2 at a time: most must wait.
  t.ok(summary.rate.late_starts > 0, `late starts: ${summary.rate.late_starts}`)
  t.ok(summary.latency.max_ms > summary.rate.latency_raw.max_ms, 'the wait for a slot shows in the corrected latency')
})

t.test('Ctrl-C stops a run over two workers; the summary is written', async (t) => {
  const dir = t.testdir()
  const out = join(dir, 'out')
  let signalled = Promise.resolve()
  const r = await runCli(['-c', '4', '-t', '10M', '-q', '--workers', '2', '--out', out, `${server.origin}/slow`], {
    cwd: dir,
    timeoutMs: 60_000,
    onSpawn: (child) => { signalled = afterCondition(child, () => server.total() >= 20, 'requests from both workers', () => { child.kill('SIGINT') }) }
  })
  await signalled
  t.equal(r.status, 130, r.stderr)
  t.ok(existsSync(join(out, 'summary.json')))
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.equal(summary.interrupted, true)
  t.ok(summary.transactions >= 20)
})

t.test('bad engine flags: one line, exit 2', async (t) => {
  const r = await runCli(['-R', '100/s', '-r', '3', '-q', '--out', join(t.testdirName, 'x'), `${server.origin}/a`])
  t.equal(r.status, 2)
  t.match(r.stderr, /a fixed rate stops on a duration or a request count, not on -r/)
  t.equal(r.stderr.trim().split('\n').length, 1, 'one line')
  const base = testScenario([`${server.origin}/a`], { stop: { kind: 'requests', count: 1 } })
  const cases: Array<[EngineFlags, RegExp]> = [
    [{ rate: '0' }, /--rate: bad rate "0"/],
    [{ rate: 'fast' }, /--rate: bad rate "fast"/],
    [{ workers: 2, verbose: true }, /-v \(one line per request\) works with one worker only/],
    [{ maxInFlight: 3 }, /only used with a fixed rate/],
    [{ workers: 65 }, /--workers must be at most 64/]
  ]
  for (const [flags, message] of cases) t.throws(() => applyEngineFlags(base, flags), message)
  t.equal(applyEngineFlags(base, { rate: '30k/s', maxInFlight: 50 }).rate, 30000)
})
