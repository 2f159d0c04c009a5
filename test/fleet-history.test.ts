// `memsiege analyze --prom` on days of history in a real Prometheus: 6 instances, 3 days at 60 s,
// backfilled with promtool. Two leak from a given hour on, one of them restarted after; one
// restarts without leaking; one has a 2-hour gap.
import t, { type Test } from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFleetHistory, type FleetSpec } from './fixtures/fleet-history.mjs'
import { backfill, startPrometheus } from './fixtures/prometheus.mjs'
import { runInProcess } from './helpers/cli.js'
import { freePort } from '../src/target/free-port.js'
import type { FleetVerdict } from '../src/fleet/judge-fleet.js'

const work = mkdtempSync(join(tmpdir(), 'memsiege-fleet-'))
// Whole hours, ending an hour before now: the blocks are all older than the head Prometheus starts.
const end = Math.floor(Date.now() / 3_600_000) * 3600 - 3600
const spec: FleetSpec = {
  instances: 6,
  hours: 72,
  stepS: 60,
  start: end - 72 * 3600,
  leaking: [{ index: 1, fromHour: 30, bytesPerRequest: 64 }, { index: 4, fromHour: 10, bytesPerRequest: 64 }],
  restarts: [{ index: 4, atHour: 50 }, { index: 2, atHour: 20 }],
  gaps: [{ index: 5, fromHour: 40, hours: 2 }]
}
backfill(await writeFleetHistory(work, spec), join(work, 'data'))
const prom = await startPrometheus(work)
t.teardown(async () => {
  await prom.stop()
  rmSync(work, { recursive: true, force: true })
})

const range = ['--since', String(spec.start), '--until', String(end), '--step', '60s']
const analyze = (...args: string[]) => runInProcess(['analyze', '--prom', prom.url, ...args])
const hoursIn = (iso: string) => (Date.parse(iso) / 1000 - spec.start) / 3600

t.test('names exactly the leaking instances, the hour each started, restarts and gaps', async (t) => {
  const r = await analyze('--memory', 'app_memory_bytes', '--requests', 'app_requests_total', '--start-time', 'process_start_time_seconds', '--json', ...range)
  t.equal(r.status, 4, r.stderr)
  const fleet = JSON.parse(r.stdout) as FleetVerdict
  t.equal(fleet.verdict, 'leak')
  t.equal(fleet.x_axis, 'requests')
  const by = new Map(fleet.instances.map((v) => [v.instance, v]))
  t.same(fleet.instances.filter((v) => v.verdict === 'leak').map((v) => v.instance).sort(), ['pod-001', 'pod-004'])
  for (const v of fleet.instances) if (v.verdict !== 'leak') t.ok(['flat', 'plateau'].includes(v.verdict), `${v.instance}: ${v.verdict}: ${v.summary}`)
  t.ok(Math.abs(hoursIn(by.get('pod-001')!.since!) - 30) <= 1, `pod-001 since ${by.get('pod-001')!.since}`)
  t.ok(Math.abs(hoursIn(by.get('pod-004')!.since!) - 10) <= 1, `pod-004 since ${by.get('pod-004')!.since}`)
  // 64 B a request at ~20 requests/s: about 64 KiB per 1,000 requests.
  const per1k = by.get('pod-001')!.per_1000_requests!
  t.ok(per1k.low < 64_000 && per1k.high > 55_000, `pod-001 per 1,000 requests ${JSON.stringify(per1k)}`)
  t.equal(by.get('pod-004')!.restarts, 1)
  t.equal(by.get('pod-002')!.restarts, 1)
  t.equal(by.get('pod-000')!.restarts, 0)
  t.equal(by.get('pod-005')!.gaps, 1)
  t.equal(fleet.instances[0]!.verdict, 'leak', 'leaking instances first')
  t.same(fleet.breaches.sort(), ['pod-001: leak', 'pod-004: leak'])
})

t.test('the fleet table in text, and report.html: one chart per instance, the leaking ones first', async (t) => {
  const report = join(work, 'fleet.html')
  const r = await analyze('--memory', 'app_memory_bytes', '--requests', 'app_requests_total', '--report', report, ...range)
  const page = readFileSync(report, 'utf8')
  t.equal(page.match(/<figure/g)?.length, 6)
  t.match(page, /<h1>Fleet memory: LEAK<\/h1>/)
  t.match(page, /<pre>\s*Instance\s+Verdict[^]*pod-005\s+flat[^]*<\/pre>/, 'the fleet table')
  const charts = [...page.matchAll(/<figure.*?>(pod-\d+): (\w+)</gs)].map((m) => `${m[1]} ${m[2]}`)
  t.same(charts.slice(0, 2).map((c) => c.split(' ')[1]), ['leak', 'leak'], charts.join(', '))
  t.equal(r.status, 4, r.stderr)
  t.match(r.stdout, /^Fleet:\tLEAK: 2 of 6 instances leak \(pod-00[14], pod-00[14]\)/)
  t.match(r.stdout, /Instance\s+Verdict\s+Growth\/hour\s+Growth\/1,000 requests\s+Since\s+Restarts/)
  t.match(r.stdout, /pod-004\s+leak\s+\+\d[\d.]* MiB\s+\+\d[\d.]* KiB\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+1\n/)
  t.match(r.stdout, /pod-005\s+flat .* 0 \(\+1 gap\)\n/)
})

t.test('without a request counter, time is the x axis; process_start_time_seconds alone tells restarts', async (t) => {
  const r = await analyze('--memory', 'app_memory_bytes', '--start-time', 'process_start_time_seconds', '--json', ...range)
  const fleet = JSON.parse(r.stdout) as FleetVerdict
  t.equal(fleet.x_axis, 'time')
  t.same(fleet.instances.filter((v) => v.verdict === 'leak').map((v) => v.instance).sort(), ['pod-001', 'pod-004'])
  t.notOk(fleet.instances.some((v) => v.per_1000_requests), 'no growth per request without requests')
  t.equal(fleet.instances.find((v) => v.instance === 'pod-004')!.restarts, 1)
})

t.test('a fleet with no leak exits 0', async (t) => {
  const r = await analyze('--memory', 'app_memory_bytes{instance=~"pod-00[0235]"}', '--requests', 'app_requests_total', ...range)
  t.equal(r.status, 0, r.stdout + r.stderr)
  t.match(r.stdout, /^Fleet:\t(FLAT|PLATEAU): no instance of 4 leaks/)
})

t.test('errors: one line each, exit 2, or 3 when Prometheus cannot be reached', async (t) => {
  const oneLine = (t: Test, stderr: string, pattern: RegExp) => {
    t.equal(stderr.trim().split('\n').length, 1, stderr)
    t.match(stderr, pattern)
  }
  const down = await runInProcess(['analyze', '--prom', `http://127.0.0.1:${await freePort()}`, '--memory', 'app_memory_bytes', ...range])
  t.equal(down.status, 3)
  oneLine(t, down.stderr, /^memsiege: error: --prom http:\/\/127\.0\.0\.1:\d+: Prometheus can't be reached/)
  t.equal(down.stdout, '')

  const syntax = await analyze('--memory', 'app_memory_bytes{', ...range)
  t.equal(syntax.status, 2)
  oneLine(t, syntax.stderr, /^memsiege: --memory "app_memory_bytes\{": Prometheus says: .*parse error/)

  const nothing = await analyze('--memory', 'no_such_metric_bytes', ...range)
  t.equal(nothing.status, 2)
  oneLine(t, nothing.stderr, /^memsiege: --memory "no_such_metric_bytes": no series between /)

  const step = await analyze('--memory', 'app_memory_bytes', '--since', '30d', '--step', '1s')
  t.equal(step.status, 2)
  oneLine(t, step.stderr, /^memsiege: --step 1s: too small for the range \(2,592,001 points per series, at most 100,000 points\); use --step 26s or more/)

  const unmatched = await analyze('--memory', 'app_memory_bytes', '--requests', 'label_replace(app_requests_total, "instance", "other-$1", "instance", "(.*)")', ...range)
  t.equal(unmatched.status, 2)
  oneLine(t, unmatched.stderr, /^memsiege: --requests: no series with the labels of the memory series \{instance="pod-00\d",job="fleet"\} \(its series have labels like \{instance="other-pod-00\d",job="fleet"\}\)/)

  const folderWithFleetFlag = await runInProcess(['analyze', work, '--memory', 'app_memory_bytes'])
  t.equal(folderWithFleetFlag.status, 2)
  oneLine(t, folderWithFleetFlag.stderr, /^memsiege: analyze .*: --memory is for a fleet, with --prom URL/)

  const noMemory = await analyze(...range)
  t.equal(noMemory.status, 2)
  oneLine(t, noMemory.stderr, /^memsiege: --prom needs --memory QUERY/)
})
