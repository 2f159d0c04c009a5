import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHttpFixture } from './fixtures/http-fixture.js'
import { afterCondition, runCli, signalUntilExit } from './helpers/cli.js'
import { waitForLine } from './helpers/wait.js'

const fixture = await startHttpFixture()
t.teardown(() => fixture.close())
t.beforeEach(() => { fixture.requests.length = 0 })

t.test('siege flags: -c -r with a URL, summary block on stdout', async (t) => {
  const out = t.testdir()
  const r = await runCli(['-c', '3', '-r', '4', '--out', out, `${fixture.url}/api/Ping`])
  t.equal(r.status, 0, r.stderr)
  t.equal(fixture.requests.length, 12)
  for (const label of ['Transactions:', 'Availability:', 'Elapsed time:', 'Data transferred:', 'Response time:', 'Transaction rate:', 'Throughput:', 'Concurrency:', 'Successful transactions:', 'Failed transactions:', 'Longest transaction:', 'Shortest transaction:']) {
    t.match(r.stdout, label)
  }
  t.match(r.stdout, /Transactions:\s+12 hits/)
  // Microsecond resolution below 100 ms; a busy machine may well take longer than that.
  const latencies = r.stdout.match(/^Latency \(ms\):\s+(.*)$/m)![1].match(/(?<= )\d+\.\d+/g)!
  for (const figure of latencies) t.match(figure, /^(\d{1,2}\.\d{3}|\d{3,}\.\d)$/, 'percentiles with microsecond resolution')
  t.match(r.stdout, /GET \/api\/Ping\s+12/)
  t.notMatch(r.stderr, /\r|req\/s/, 'no progress line when stderr is not a TTY')
})

t.test('siege flags: -f file, -r, -d, -H, -A, -T, --json', async (t) => {
  const dir = t.testdir({ 'urls.txt': `HOST=${fixture.url}\n$(HOST)/a?x=1\n$(HOST)/b POST k=v\n` })
  const r = await runCli(['-c', '2', '-r', '3', '-d', '0.05', '-H', 'X-Tag: one', '-A', 'agent/1', '-T', 'text/plain', '-j', '--out', join(dir, 'out'), '-f', join(dir, 'urls.txt')])
  t.equal(r.status, 0, r.stderr)
  const summary = JSON.parse(r.stdout)
  t.equal(summary.transactions, 6)
  const post = fixture.requests.find((q) => q.method === 'POST')!
  t.equal(post.body, 'k=v')
  t.equal(post.headers['content-type'], 'text/plain')
  t.equal(post.headers['x-tag'], 'one')
  t.equal(post.headers['user-agent'], 'agent/1')
  t.ok(fixture.requests.some((q) => q.url === '/a?x=1'))
  t.equal(readFileSync(join(dir, 'out', 'urls.txt'), 'utf8'), readFileSync(join(dir, 'urls.txt'), 'utf8'), 'the list as run is copied')
})

t.test('siege flags: -v prints a line per request, -q prints nothing', async (t) => {
  const out = t.testdir()
  const v = await runCli(['-c', '1', '-r', '2', '-v', '--out', join(out, 'v'), `${fixture.url}/ok`])
  t.match(v.stdout, /^HTTP\/1\.1 200 +\d\.\d{3} secs: +5 bytes ==> GET {2}\/ok$/m)
  const q = await runCli(['-c', '1', '-r', '2', '-q', '--out', join(out, 'q'), `${fixture.url}/ok`])
  t.equal(q.stdout, '')
  t.equal(q.status, 0)
})

t.test('a bare -t number is minutes, as in siege; time wins over -r', async (t) => {
  const out = t.testdir()
  const r = await runCli(['-c', '1', '-t', '0.02', '-r', '1000000', '-j', '--out', out, `${fixture.url}/ok`], { timeoutMs: 60_000 })
  t.equal(r.status, 0)
  t.match(r.stderr, /time wins/)
  const summary = JSON.parse(r.stdout)
  t.ok(summary.elapsed_s >= 1.1, `0.02 minutes ran ${summary.elapsed_s} s`)
  // Wall clock, on purpose: -t is about time. Seconds of room above it for a busy machine; a
  // run that ignored -t would go on for its million requests.
  t.ok(summary.elapsed_s < 6, `0.02 minutes ran ${summary.elapsed_s} s`)
})

t.test('bad input: one line, exit 2, no stack trace', async (t) => {
  const dir = t.testdir({ 'bad.txt': 'ftp://127.0.0.1/x\n', 'nobody.txt': 'http://127.0.0.1:1/x POST <missing-body.txt\n' })
  const cases: Array<[string[], RegExp]> = [
    [['-H', 'NoColon', fixture.url], /-H: "NoColon": no ':'/],
    [['-c', 'zero', fixture.url], /-c must be a whole number/],
    [['-t', '10X', fixture.url], /-t: bad duration "10X"/],
    [['-f', join(dir, 'absent.txt')], /absent\.txt/],
    [['-f', join(dir, 'bad.txt')], /bad\.txt:1: .*scheme/],
    [['-f', join(dir, 'nobody.txt')], /nobody\.txt:1: .*missing-body\.txt/],
    [['--bogus', fixture.url], /Unknown argument: bogus/]
  ]
  for (const [args, message] of cases) {
    const r = await runCli([...args, '--out', join(dir, 'out')])
    t.equal(r.status, 2, args.join(' '))
    t.match(r.stderr, message, args.join(' '))
    t.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr.trim()}`)
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
  }
  t.equal(fixture.requests.length, 0)
})

t.test('SIGINT mid-run: summary written and marked interrupted, exit 130, every CSV row whole', async (t) => {
  const out = t.testdir()
  let signalled: Promise<void> = Promise.resolve()
  const r = await runCli(['-c', '4', '-t', '120S', '--out', out, `${fixture.url}/slow?ms=30`], {
    timeoutMs: 90_000,
    // A request at the server means the run is under way, its signal handlers installed.
    onSpawn: (child) => { signalled = afterCondition(child, () => fixture.requests.length >= 60, '60 requests', () => { child.kill('SIGINT') }) }
  })
  await signalled
  t.equal(r.status, 130, r.stderr)
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.equal(summary.interrupted, true)
  t.ok(summary.transactions > 50, `${summary.transactions} transactions`)
  t.match(r.stdout, /Interrupted/)
  const rows = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n')
  t.ok(rows.length >= 2)
  const width = rows[0].split(',').length
  for (const row of rows) t.equal(row.split(',').length, width, row)
  t.equal(Number(rows.at(-1)!.split(',')[2]), summary.transactions)
})

t.test('a second SIGINT, a second or more after the first, exits at once', async (t) => {
  const out = t.testdir()
  let signalled: Promise<void> = Promise.resolve()
  // Requests never answered: a graceful stop would wait out its grace period and write summary.json.
  const r = await runCli(['-c', '2', '-t', '120S', '--out', out, `${fixture.url}/held`], {
    timeoutMs: 90_000,
    onSpawn: (child) => {
      signalled = afterCondition(child, () => fixture.requests.length >= 2, 'both users in flight', async () => {
        const stopping = waitForLine(child.stderr!, /SIGINT: stopping/)
        child.kill('SIGINT')
        await stopping
        await signalUntilExit(child, 'SIGINT')
      })
    }
  })
  await signalled
  t.equal(r.status, 130, r.stderr)
  t.notOk(existsSync(join(out, 'summary.json')), 'no summary: it did not wind down')
  t.notMatch(r.stdout, /Transactions:/)
})

t.test('on a terminal, a live progress line on stderr', async (t) => {
  const out = t.testdir()
  const { execFile } = await import('node:child_process')
  const { CLI } = await import('./helpers/cli.js')
  // script(1) gives the CLI a real pseudo-terminal. Spawned without blocking: the fixture server
  // answers from this process, so a spawnSync would leave every request unanswered.
  const r = await new Promise<{ status: number | null, stdout: string, stderr: string }>((resolve) => {
    execFile('script', ['-qfec', `${process.execPath} ${CLI} -c 2 -t 2S --out ${out} ${fixture.url}/slow?ms=10`, '/dev/null'], { encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }))
  })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /\r\x1b\[K00:0\d \/ 00:0\d left +[1-9][\d,]* requests +\d+ req\/s +0 errors/)
  t.match(r.stdout, /Transactions:/)
})
