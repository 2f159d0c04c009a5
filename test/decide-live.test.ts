/**
 * Live runs that decide (`--until-decided`), on the demo server (Node) started fresh by memsiege:
 * a leak is called at the first look and not extended; a run too short to judge is extended at
 * each doubling, says so on stderr and in summary.json, and ends at the cap with the honest
 * verdict; side by side, both sides are extended in lockstep; Ctrl-C during an extension ends the
 * run with its verdict. Each run is bounded in requests (the cap) and killed after its timeout.
 * Too short to judge: `analysis.warmup: 95%` leaves a few readings out of hundreds, whatever
 * the machine's speed.
 */
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { JudgedSummary } from '../src/analysis/types.js'
import { afterCondition, runCli } from './helpers/cli.js'
import { demoTarget } from './helpers/live-demo.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'

async function scenario (dir: string, endpoint: string, requests: number, extra: string[] = []): Promise<string> {
  const port = await freePort()
  const file = join(dir, 'demo.yml')
  writeFileSync(file, [
    'name: demo',
    ...demoTarget(port),
    `urls: [${endpoint}]`,
    'concurrency: 4',
    `requests: ${requests}`,
    'sample:',
    '  interval: 100ms',
    '  pssInterval: 5s',
    '  gc: { url: /__memsiege/gc, interval: 100ms }',
    ...extra,
    ''
  ].join('\n'))
  return file
}

const summaryOf = (dir: string): JudgedSummary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as JudgedSummary

t.test('a Node object leak is called a leak at the first look: not extended', async (t) => {
  const dir = t.testdir({})
  const out = join(dir, 'results')
  const r = await runCli(['run', await scenario(dir, '/leak', 20_000), '--until-decided', '--out', out, '-q'], { timeoutMs: 120_000 })
  t.equal(r.status, 0, r.stderr)
  const s = summaryOf(out)
  t.equal(s.verdict?.verdict, 'leak', s.verdict?.summary ?? 'no verdict')
  t.equal(s.extension?.reached, 1, 'not extended')
  t.same(s.extension?.steps, [])
  t.equal(s.extension?.ended, 'decided')
  t.ok(s.transactions >= 20_000 && s.transactions < 22_000, `${s.transactions} requests: the first length`)
  // The samples end at the row the deciding look read (the first at 20,000 requests): no partial
  // row after it could tip the verdict away from the look's.
  const requests = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[2]))
  t.ok(requests.at(-1)! >= 20_000 && requests.at(-2)! < 20_000, `the last rows' requests: ${requests.slice(-2).join(', ')}`)
})

t.test('undecided: extended at every doubling, each step said (stderr, summary, summary.json, report.html), up to the cap, with --workers', async (t) => {
  const dir = t.testdir({})
  const out = join(dir, 'results')
  const r = await runCli(['run', await scenario(dir, '/flat', 400, ['analysis: { warmup: 95% }']), '--until-decided', '--max-extension', '4', '--workers', '2', '--report', '--out', out], { timeoutMs: 120_000 })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stderr, /memsiege: extended to 2× \(800 requests\): /)
  t.match(r.stderr, /memsiege: extended to 4× \(1,600 requests\): /)
  const s = summaryOf(out)
  t.equal(s.extension?.first, '400 requests')
  t.same(s.extension?.steps.map((x) => x.to), [2, 4])
  t.equal(s.extension?.reached, 4)
  t.equal(s.extension?.ended, 'cap')
  t.equal(s.transactions, 1600, 'the cap is the stop condition')
  t.ok(s.verdict, 'the verdict at the cap')
  t.match(r.stdout, /Until decided:\tran 4× its first length of 400 requests \(cap 4×\): the cap was reached/)
  t.match(r.stdout, /\textended to 2× at [\d,]+ requests: /)
  t.match(readFileSync(join(out, 'report.html'), 'utf8'), /<div class="sub" id="extension">Until decided: ran 4× its first length of 400 requests \(cap 4×\): the cap was reached/, 'report.html says it')
})

t.test('side by side: both sides extended in lockstep, to the same length', async (t) => {
  const dir = t.testdir({})
  const out = join(dir, 'results')
  const r = await runCli(['run', await scenario(dir, '/flat', 400, ['analysis: { warmup: 95% }']), '--vs', 'node dist/demo/server.js --port $PORT', '--until-decided', '--max-extension', '2', '--out', out], { cwd: repoRoot, timeoutMs: 120_000 })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stderr, /extended to 2× \(800 requests\): a: .*; b: /)
  const [a, b] = ['a', 'b'].map((side) => summaryOf(join(out, side)))
  t.same(a!.extension, b!.extension, 'one record for both')
  t.equal(a!.extension?.reached, 2)
  t.equal(a!.transactions, 800)
  t.equal(b!.transactions, 800)
})

t.test('Ctrl-C during an extension ends the run with its verdict and the record of how far it went', async (t) => {
  const dir = t.testdir({})
  const out = join(dir, 'results')
  let signalled: Promise<void> | undefined
  let stderr = ''
  const r = await runCli(['run', await scenario(dir, '/flat', 400, ['analysis: { warmup: 95% }']), '--until-decided', '--max-extension', '1000', '--out', out], {
    timeoutMs: 120_000,
    onSpawn: (child) => {
      child.stderr!.on('data', (d: Buffer) => { stderr += d })
      signalled = afterCondition(child, () => /extended to 2×/.test(stderr), 'the first extension', () => { child.kill('SIGINT') })
    }
  })
  await signalled
  t.equal(r.status, 130, r.stderr)
  const s = summaryOf(out)
  t.equal(s.interrupted, true)
  t.equal(s.extension?.ended, 'interrupted')
  t.ok(s.extension!.steps.length >= 1, 'the extensions before it')
  t.ok(s.verdict, `its verdict: ${s.verdict?.verdict}`)
  t.ok(s.transactions < 400_000, `${s.transactions} requests: well before the cap`)
})
