import t from 'tap'
import { parseGrowthLimit, parseGrowthLimits } from '../src/units/growth-limit.js'
import { warmupCut } from '../src/analysis/warmup.js'
import { parseWarmup } from '../src/units/warmup.js'
import { findSegments } from '../src/analysis/segments.js'
import { freshReadings, majorFloors, sawPeriod, windowFloors } from '../src/analysis/floors.js'
import { trendVerdict } from '../src/analysis/series-verdict.js'
import { chooseMetrics } from '../src/analysis/metrics.js'
import { attribute, type RoledVerdict } from '../src/analysis/attribution.js'
import { findBreaches } from '../src/analysis/breaches.js'
import type { SamplesTable } from '../src/analysis/samples-reader.js'
import { series } from '../src/analysis/stats/series.js'
import { formatAmount } from '../src/units/format.js'
import { breachText, hintText, seriesReasonText, summaryText } from '../src/analysis/verdict-words.js'
import type { Threshold } from '../src/analysis/reasons.js'

const f64 = (a: ArrayLike<number>) => Float64Array.from(a)

t.test('growth limits', async (t) => {
  t.same(parseGrowthLimit('2KB/request'), { text: '2KB/request', amount: 2048, unit: 'bytes', per: 'request' })
  t.same(parseGrowthLimit('50MB/h'), { text: '50MB/h', amount: 50 * 1024 * 1024, unit: 'bytes', per: 'h' })
  t.same(parseGrowthLimit(' 1.5 MiB / hour '), { text: '1.5 MiB / hour', amount: 1.5 * 1024 * 1024, unit: 'bytes', per: 'h' })
  t.equal(parseGrowthLimit('1MB/min').amount, 60 * 1024 * 1024, 'per minute becomes per hour')
  t.equal(parseGrowthLimit('1KB/s').amount, 3600 * 1024)
  t.same(parseGrowthLimit('100 objects/request'), { text: '100 objects/request', amount: 100, unit: 'objects', per: 'request' })
  t.same(parseGrowthLimit('1 thread/h'), { text: '1 thread/h', amount: 1, unit: 'threads', per: 'h' })
  t.equal(parseGrowthLimit('512B/req').amount, 512)
  t.equal(parseGrowthLimits('2KB/request').length, 1)
  t.equal(parseGrowthLimits(['2KB/request', '50MB/h']).length, 2)
  t.throws(() => parseGrowthLimit('2KB'), /expected an amount per request or per time/)
  t.throws(() => parseGrowthLimit('2XB/request'), /unknown unit "XB"/)
  t.throws(() => parseGrowthLimit('2KB/week'), /unknown "\/week"/)
  t.throws(() => parseGrowthLimit('-2KB/request'))
})

t.test('warm-up', async (t) => {
  t.same(parseWarmup('20%'), { kind: 'fraction', value: 0.2 })
  t.same(parseWarmup('2m'), { kind: 'seconds', value: 120 })
  t.same(parseWarmup('90s'), { kind: 'seconds', value: 90 })
  t.same(parseWarmup('5000'), { kind: 'requests', value: 5000 })
  t.same(parseWarmup('5000 requests'), { kind: 'requests', value: 5000 })
  t.same(parseWarmup(5000), { kind: 'requests', value: 5000 })
  t.same(parseWarmup('auto'), { kind: 'auto' })
  t.throws(() => parseWarmup('100%'), /less than 100%/)
  t.throws(() => parseWarmup('soon'), /expected a share of the requests/)
  t.throws(() => parseWarmup(-1))

  const requests = f64(Array.from({ length: 101 }, (_, i) => i * 100))
  const elapsed = f64(Array.from({ length: 101 }, (_, i) => i))
  t.equal(warmupCut({ kind: 'fraction', value: 0.2 }, requests, elapsed, 0, 101).requests, 2000)
  t.equal(warmupCut({ kind: 'seconds', value: 30 }, requests, elapsed, 0, 101).elapsed_s, 30)
  t.equal(warmupCut({ kind: 'requests', value: 550 }, requests, elapsed, 0, 101).requests, 600, 'the first row at or past it')
  t.equal(warmupCut({ kind: 'auto' }, requests, elapsed, 0, 101).requests, 1000, 'auto: 10% without GC counts')
  const majors = f64(requests.map((x) => (x < 1500 ? 3 : 4)))
  const cut = warmupCut({ kind: 'auto' }, requests, elapsed, 0, 101, majors)
  t.equal(cut.requests, 1500, 'auto: up to the first major GC when it comes later')
  t.match(cut.rule, /first major GC/)
  const late = f64(requests.map((x) => (x < 6000 ? 3 : 4)))
  t.equal(warmupCut({ kind: 'auto' }, requests, elapsed, 0, 101, late).requests, 2000, 'but never past 20%')
  t.equal(warmupCut({ kind: 'fraction', value: 0.5 }, requests, elapsed, 50, 101).requests, 2500, 'a segment counts from its own start')
})

t.test('segments split at restarts', async (t) => {
  const elapsed = f64(Array.from({ length: 10 }, (_, i) => i))
  t.same(findSegments({ rows: 10, elapsed, events: [] }).map((s) => s.rows), [[0, 10]])
  const procs = f64([1, 1, 1, 0, 0, 1, 1, 1, 1, 1])
  t.same(findSegments({ rows: 10, elapsed, procs, events: [] }).map((s) => [s.rows, s.startsAt]), [[[0, 3], 'run-start'], [[5, 10], 'target-back']], 'rows with no process are left out')
  t.same(findSegments({ rows: 10, elapsed, events: [{ elapsed_s: 4.5, type: 'target_restarted', pid: 2 }] }).map((s) => s.rows), [[0, 5], [5, 10]], 'events.csv')
  const pid = f64([10, 10, NaN, 10, 11, 11, 11, 11, 11, 11])
  t.same(findSegments({ rows: 10, elapsed, gcPid: pid, events: [] }).map((s) => [s.rows, s.startsAt]), [[[0, 4], 'run-start'], [[4, 10], 'new-gc-pid']], 'a new gc.pid')
  const cluster = f64([10, 11, 10, 12, 11, 10, 12, 11, 10, 12])
  t.equal(findSegments({ rows: 10, elapsed, gcPid: cluster, events: [] }).length, 1, "puma's workers answering in turn are not restarts")
})

function table (columns: Record<string, number[]>): SamplesTable {
  const map = new Map(Object.entries(columns).map(([k, v]) => [k, f64(v)]))
  return { header: [...map.keys()], rows: Object.values(columns)[0].length, columns: map, skipped: 0 }
}

t.test('fresh readings and floors', async (t) => {
  const tab = table({
    elapsed_s: [0, 1, 2, 3, 4, 5],
    requests: [0, 100, 200, 300, 400, 500],
    gc_age_s: [0.01, 1.01, 0.51, 1.51, 2.51, 0.21],
    'gc.memoryUsage.heapUsed': [10, 10, 12, 12, 12, 15],
    pss_bytes: [5, 5, 5, 6, 6, 6],
    rss_bytes: [1, 2, 3, 4, 5, 6],
  })
  const { metrics } = chooseMetrics(tab.header)
  const heap = metrics.find((m) => m.column === 'gc.memoryUsage.heapUsed')!
  const r = freshReadings(tab, heap, 0, 6)
  t.same(Array.from(r.y), [10, 12, 15], 'a GC value repeated in later rows is one reading')
  t.same(Array.from(r.x).map((x) => Math.round(x)), [0, 149, 479], 'placed at the requests when it was fetched')
  const pss = freshReadings(tab, metrics.find((m) => m.column === 'pss_bytes')!, 0, 6)
  t.same(Array.from(pss.y), [5, 6], 'pss_bytes repeats between passes')
  t.same(Array.from(freshReadings(tab, metrics.find((m) => m.column === 'rss_bytes')!, 0, 6).y), [1, 2, 3, 4, 5, 6])

  const saw = { x: f64([0, 1, 2, 3, 4, 5, 6, 7]), t: f64([0, 1, 2, 3, 4, 5, 6, 7]), y: f64([5, 9, 4, 8, 6, 10, 5, 9]) }
  t.same(Array.from(windowFloors(saw, 2).y), [5, 4, 6, 5], 'the lowest reading of each window')
  const saw7 = { x: saw.x.subarray(0, 7), t: saw.t.subarray(0, 7), y: saw.y.subarray(0, 7) }
  t.same(Array.from(windowFloors(saw7, 3).y), [4, 5], 'a short last window joins the one before')
  const old = { ...saw, y: f64([100, 110, 120, 90, 100, 110, 95, 105]), major: f64([1, 1, 1, 2, 2, 2, 3, 3]) }
  t.same(Array.from(majorFloors(old, 1).y), [90, 95], 'lowest reading between major GCs; the stretch begun before the first reading is no floor')
  t.same(Array.from(majorFloors(old, 1).x), [3, 6])
  t.equal(sawPeriod([{ ...saw, y: f64(Array.from({ length: 60 }, (_, i) => i)) }]), 1, 'a series that never falls has no saw')
  const period = sawPeriod([{ ...saw, y: f64(Array.from({ length: 100 }, (_, i) => i % 10)) }])
  t.ok(period > 8 && period < 12, `a saw of 10 readings: ${period}`)
  // Go's RSS: a level that dips for one reading now and then (the scavenger returning pages the
  // heap takes back within the second). The dips are not the bottoms of a saw.
  const dips = Array.from({ length: 120 }, (_, i) => (i % 13 === 5 ? 5.5 : 6.5 + 0.01 * (i % 3)))
  t.equal(sawPeriod([{ ...saw, y: f64(dips) }]), 2, 'one-reading dips ask for windows of two readings, not of thirteen')
})

/** A threshold given as a number: a unit's smallest step. */
const at = (value: number): Threshold => ({ value, basis: { kind: 'minimum', unit: 'bytes' } })
const objectsAt = (value: number): Threshold => ({ value, basis: { kind: 'minimum', unit: 'objects' } })

t.test("Ruby's old objects at each major GC come from old_objects_limit, not from the next reading", async (t) => {
  // The limit is set to twice the old objects counted at each major GC's end. Readings come a
  // while after each GC (promoted garbage already counted), one while a GC recounts (a dip).
  const tab = table({
    elapsed_s: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    requests: [0, 100, 200, 300, 400, 500, 600, 700, 800],
    gc_age_s: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    'gc.old_objects': [1000, 1300, 1150, 1400, 600, 1200, 1500, 1120, 1600],
    'gc.old_objects_limit': [2000, 2000, 2200, 2200, 2200, 2300, 2300, 2240, 2240],
    'gc.major_gc_count': [1, 1, 2, 2, 2, 3, 3, 4, 4],
  })
  const old = chooseMetrics(tab.header).metrics.find((m) => m.column === 'gc.old_objects')!
  const r = freshReadings(tab, old, 0, 9)
  t.same(Array.from(majorFloors(r, 1).y), [1000, 1100, 1150, 1120], 'limit / 2 after each major GC, the first stretch too (begun before the first reading); the mid-GC dip (600) is not a floor')
  const noLimit = { ...old, limit: undefined }
  t.same(Array.from(majorFloors(freshReadings(tab, noLimit, 0, 9), 1).y), [600, 1200, 1120], 'without the limit: the lowest readings, and none for the stretch begun before the first reading')
})

t.test('a rise, then a level: plateau even when the whole run is no straight line', async (t) => {
  // A cache filling over the first half, then full: sixteen floors between major GCs.
  const x = Array.from({ length: 16 }, (_, i) => 3000 + i * 1700)
  const y = x.map((v, i) => Math.min(42_200, 39_500 + (v - 3000) * 0.25) + ((i * 37) % 7) * 3)
  const v = trendVerdict({ strata: [series(x, y)], unit: 'objects', threshold: objectsAt(2090), requestsPerHour: 1_000_000, readings: 300 })
  t.ok(v.p! > 0.05, `not significant over the whole run: p = ${v.p}`)
  t.equal(v.verdict, 'plateau', seriesReasonText(v.why))
  t.match(seriesReasonText(v.why), /grew, then stopped: .*no significant trend over the whole run/)
  // The same level, with its early part flat too: nothing grew, so nothing is called a plateau.
  const level = trendVerdict({ strata: [series(x, x.map((_, i) => 42_200 + ((i * 37) % 7) * 3))], unit: 'objects', threshold: objectsAt(2090), requestsPerHour: 1_000_000, readings: 300 })
  t.equal(level.verdict, 'flat')
})

t.test('the verdict on a floor series', async (t) => {
  const x = Array.from({ length: 40 }, (_, i) => i * 1000)
  const noise = (i: number) => ((i * 7919) % 13) - 6
  const run = (y: number[], threshold = 1000) => trendVerdict({ strata: [series(x, y)], unit: 'bytes', threshold: at(threshold), requestsPerHour: 3_600_000 })

  const leak = run(x.map((v, i) => 1000 + v * 0.5 + noise(i)))
  t.equal(leak.verdict, 'leak')
  t.ok(Math.abs(leak.per_request!.value - 0.5) < 0.01, `0.5 B/request: ${leak.per_request!.value}`)
  t.ok(leak.per_request!.low < 0.5 && leak.per_request!.high > 0.5, 'the interval covers it')
  t.ok(Math.abs(leak.per_hour!.value - 0.5 * 3_600_000) < 40_000, 'per hour at the request rate')

  const flat = run(x.map((_, i) => 5000 + noise(i)))
  t.equal(flat.verdict, 'flat')

  const plateau = run(x.map((v, i) => 1000 + 20_000 * (1 - Math.exp(-v / 5000)) + noise(i)))
  t.equal(plateau.verdict, 'plateau', seriesReasonText(plateau.why))
  t.ok(plateau.early!.slope > plateau.late!.slope, 'early slope above the late one')

  const tiny = run(x.map((v, i) => 1000 + v * 0.001 + noise(i)))
  t.equal(tiny.verdict, 'flat', 'significant but too small to matter: 39 B over the run')

  const noisy = run(x.map((v, i) => 1000 + v * 0.05 + 4000 * Math.sin(i * 2.1)))
  t.equal(noisy.verdict, 'inconclusive', seriesReasonText(noisy.why))
  t.ok(noisy.more_requests! > 0, `and how many more requests would settle it: ${noisy.more_requests}`)

  const short = trendVerdict({ strata: [series([0, 1000, 2000], [1, 2, 3])], unit: 'bytes', threshold: at(1), requestsPerHour: 1 })
  t.equal(short.verdict, 'inconclusive')
  t.match(seriesReasonText(short.why), /too little to go on/)
  t.equal(short.more_requests, 2000, 'twice as many floors are needed')

  const restart = trendVerdict({
    strata: [series(x.slice(0, 20), x.slice(0, 20).map((v) => 1000 + v)), series(x.slice(20), x.slice(20).map((v) => v - 19000))],
    unit: 'bytes',
    threshold: at(1000),
    requestsPerHour: 1,
  })
  t.equal(restart.verdict, 'leak', 'segments pooled: the drop at the restart never counts')
  t.equal(restart.per_request!.value, 1)

  const gcless = trendVerdict({ strata: [series(x, x.map((v) => 1000 + v))], unit: 'objects', threshold: at(100), requestsPerHour: 1, noMajorGc: true })
  t.equal(gcless.verdict, 'inconclusive', 'old objects rising with no major GC prove nothing')
  t.match(seriesReasonText(gcless.why), /no major GC/)
})

function verdict (metric: string, role: RoledVerdict['role'], v: RoledVerdict['verdict'], perRequest = 0, unit: RoledVerdict['unit'] = 'bytes'): RoledVerdict {
  const estimate = { value: perRequest, low: perRequest * 0.9, high: perRequest * 1.1, level: 0.95 }
  return { metric, unit, role, decides: true, verdict: v, segments: [], per_request: estimate, per_hour: { ...estimate, value: perRequest * 1e6 } }
}

/** The run's summary and hint of attribute()'s result, in words. */
function worded (a: ReturnType<typeof attribute>): { summary: string; hint: string } {
  return { summary: summaryText(a.why.summary, a.why.hint, a.verdict, a.scale), hint: a.why.hint ? hintText(a.why.hint) : '' }
}

t.test('attribution', async (t) => {
  const object = attribute([verdict('gc.memoryUsage.heapUsed', 'heap-live', 'leak', 10240), verdict('native_bytes', 'native', 'flat'), verdict('threads', 'threads', 'flat')])
  t.equal(object.verdict, 'leak')
  t.equal(object.attribution, 'object-leak')
  t.match(worded(object).summary, /heapUsed grows 10 KiB\/request/)
  t.match(worded(object).hint, /heap dumps/)
  const native = attribute([verdict('gc.stat.old_objects', 'heap-live', 'flat'), verdict('rss_anon_bytes', 'rss', 'leak', 2048)])
  t.equal(native.attribution, 'native-or-fragmentation')
  t.match(worded(native).hint, /jemalloc|MALLOC_ARENA_MAX=2/)
  t.match(worded(native).hint, /heaptrack/)
  const threads = attribute([verdict('threads', 'threads', 'leak', 0.01, 'threads'), verdict('rss_anon_bytes', 'rss', 'leak', 100)])
  t.equal(threads.attribution, 'thread-leak')
  const rssOnly = attribute([verdict('rss_anon_bytes', 'rss', 'leak', 100)])
  t.equal(rssOnly.attribution, 'none')
  t.match(worded(rssOnly).hint, /GC statistics/)
  t.equal(attribute([verdict('a', 'rss', 'flat'), verdict('b', 'heap-live', 'plateau')]).verdict, 'plateau')
  t.equal(attribute([verdict('a', 'rss', 'inconclusive'), verdict('b', 'heap-live', 'plateau')]).verdict, 'inconclusive', 'the worst decides')
  t.equal(attribute([{ ...verdict('a', 'rss', 'leak'), decides: false }, verdict('b', 'heap-live', 'flat')]).verdict, 'flat', 'metrics that do not decide do not')
  const nothing = attribute([])
  t.equal(nothing.verdict, 'inconclusive', 'no memory columns: nothing proven')
  t.match(worded(nothing).summary, /was a target sampled/)
})

/** RSS that grew 54 MiB, 260 B/request early and 27 B/request late: a fresh puma's malloc warming up. */
function settlingRss (): RoledVerdict {
  const est = (v: number) => ({ value: v, low: v * 0.8, high: v * 1.2, level: 0.95 })
  return {
    ...verdict('rss_anon_bytes', 'rss', 'settling', 66.5),
    requests_per_hour: 7_200_000,
    more_requests: 150_000,
    shape: { early: est(260), middle: est(80), late: est(27), late_per_hour: 27 * 7_200_000, slowed: true, bending: true, holding: false, heading: { value: 75 * 2 ** 20, low: 72 * 2 ** 20, high: 90 * 2 ** 20, level: 0.95, scale_requests: 60_000, remaining: 5 * 2 ** 20 } },
    segments: [{ rows: [0, 120], requests: [0, 254_000], elapsed_s: [0, 120], verdict: 'settling', warmup: { elapsed_s: 12, requests: 25_400 }, windows: 120, why: { unit: 'bytes', kind: 'too-few-floors', floors: 0, needed: 6 }, floor: [], growth: est(54 * 2 ** 20) }],
  }
}

t.test('settling: the verdict, its attribution and its scale', async (t) => {
  const warm = attribute([verdict('gc.stat.old_objects', 'heap-live', 'flat', 0, 'objects'), settlingRss(), verdict('threads', 'threads', 'flat', 0, 'threads')], { freshProcess: true })
  t.equal(warm.verdict, 'settling')
  t.equal(warm.attribution, 'allocator-warmup', 'objects flat, RSS bending: the allocator warming up')
  t.match(worded(warm).hint, /MALLOC_ARENA_MAX=2/)
  t.match(worded(warm).summary, /^Still settling, not a leak: rss_anon_bytes grew 54 MiB over 228,600 requests, slower and slower: 260 B\/request early, 27 B\/request late/)
  t.match(worded(warm).summary, /levels off at about 75 MiB \(95% CI 72 MiB to 90 MiB\) after about 150,000 more requests/)
  t.match(worded(warm).summary, /Only a rate that holds is a leak/)
  t.match(worded(warm).summary, /Its late rate, at this run's 2,000 requests\/s, is 185 MiB\/h \(4.35 GiB a day if it held\), but it is still falling/)
  t.match(worded(warm).summary, /started for this run: its first 254,000 requests, still inside a fresh process's warm-up/)
  t.equal(warm.scale?.per_hour, 27 * 7_200_000)
  t.equal(warm.scale?.fresh_process, true)

  t.equal(attribute([verdict('a', 'rss', 'inconclusive'), settlingRss()]).verdict, 'inconclusive', 'an open question outweighs settling')
  t.equal(attribute([verdict('a', 'rss', 'plateau'), settlingRss()]).verdict, 'settling', 'settling outweighs a plateau')
  t.equal(attribute([settlingRss()]).attribution, 'none', 'without heap figures: no attribution')
  t.equal(attribute([verdict('gc.stat.old_objects', 'heap-live', 'settling', 1, 'objects'), settlingRss()]).attribution, 'none', 'objects settling too: a cache or pool filling, not the allocator')
  t.equal(attribute([verdict('gc.stat.old_objects', 'heap-live', 'plateau', 1, 'objects'), settlingRss()]).attribution, 'none', 'objects grew and stopped: a cache that filled')

  const native = attribute([verdict('gc.stat.old_objects', 'heap-live', 'flat'), { ...verdict('rss_anon_bytes', 'rss', 'leak', 1600), requests_per_hour: 3_600_000 }], { freshProcess: true })
  t.equal(native.attribution, 'native-or-fragmentation', 'objects flat, RSS growing straight: native memory')
  t.match(worded(native).hint, /native leak/)
  t.match(worded(native).summary, /At that rate, at this run's 1,000 requests\/s: 5.36 GiB\/h, 129 GiB over a day of traffic at that rate\./)
  t.match(worded(native).summary, /a fresh process's warm-up slows down, and this rate held/)
})

t.test("the scale's figure comes from the series the sentence gives, and names it among several", async (t) => {
  const grow = (v: RoledVerdict, kind: 'no-major-gc' | 'no-trend'): RoledVerdict => {
    const e = v.per_request!
    const why = kind === 'no-major-gc'
      ? { unit: v.unit, kind, rise: { per_request: e, growth: e.value * 1000, requests: 1000, p: 0.001 } }
      : { unit: v.unit, kind, p: 0.4, at_most: 1e6, threshold: { value: 1e6, basis: { kind: 'minimum', unit: v.unit } } }
    return { ...v, requests_per_hour: 14_208 * 3600, why } as RoledVerdict
  }
  // A shrinking series before the growing one: the scale was the first's, "-1.76 MiB/h" after "grows 2.54 KiB/request".
  const open = attribute([grow(verdict('native_bytes', 'native', 'inconclusive', -36), 'no-trend'), grow(verdict('heap_old_bytes', 'old-generation', 'inconclusive', 2601), 'no-major-gc')])
  t.equal(open.scale?.metric, 'heap_old_bytes')
  t.equal(open.scale?.per_hour, 2601 * 14_208 * 3600)
  const words = worded(open).summary
  t.match(words, /heap_old_bytes: grows 2\.54 KiB\/request/)
  t.match(words, /At the rate of heap_old_bytes, at this run's 14,208 requests\/s: 124 GiB\/h/)
  // One series in the sentence, and it is the scale's: "at that rate" is unambiguous.
  const leak = attribute([{ ...verdict('heap_old_bytes', 'old-generation', 'leak', 5161), requests_per_hour: 3600 }])
  t.match(worded(leak).summary, /grows 5\.04 KiB\/request, and the rate held to the end\. .*At that rate, at this run's 1 requests\/s: 17\.7 MiB\/h/)
  const flat = attribute([{ ...verdict('native_bytes', 'native', 'flat', 100), requests_per_hour: 3600 }, verdict('threads', 'threads', 'flat', 0, 'threads')])
  t.match(worded(flat).summary, /stayed flat over the analysed requests\. At most 387 KiB\/h for native_bytes at this run's 1 requests\/s/)
})

t.test('breaches', async (t) => {
  const metrics = [verdict('gc.memoryUsage.heapUsed', 'heap-live', 'leak', 10240), verdict('threads', 'threads', 'flat', 0, 'threads')]
  t.same(findBreaches('leak', metrics, {}), [], 'nothing asked, nothing breached')
  const words = (b: ReturnType<typeof findBreaches>) => b.map(breachText)
  t.same(words(findBreaches('leak', metrics, { failOn: 'leak' })), ['verdict is leak (--fail-on leak)'])
  t.same(findBreaches('inconclusive', metrics, { failOn: 'leak' }), [])
  t.same(words(findBreaches('inconclusive', metrics, { failOn: 'inconclusive' })), ['verdict is inconclusive (--fail-on inconclusive)'])
  t.match(words(findBreaches('leak', metrics, { maxGrowth: [parseGrowthLimit('2KB/request')] })), [/heapUsed grows 10 KiB\/request, over the limit of 2KB\/request/])
  t.same(findBreaches('leak', metrics, { maxGrowth: [parseGrowthLimit('20KB/request')] }), [], 'under the limit')
  t.equal(findBreaches('leak', metrics, { maxGrowth: [parseGrowthLimit('5GB/h')] }).length, 1, 'per hour: 10 GB/h')
  t.same(findBreaches('leak', metrics, { maxGrowth: [parseGrowthLimit('1 thread/h')] }), [], 'threads are flat')
  const plateau = [verdict('gc.memoryUsage.heapUsed', 'heap-live', 'plateau', 10240)]
  t.same(findBreaches('plateau', plateau, { maxGrowth: [parseGrowthLimit('2KB/request')] }), [], 'a plateau has stopped growing')
})

t.test('amounts', async (t) => {
  t.equal(formatAmount(10 * 1024, 'bytes'), '10 KiB')
  t.equal(formatAmount(1536, 'bytes'), '1.5 KiB')
  t.equal(formatAmount(-3 * 1024 * 1024, 'bytes'), '-3 MiB')
  t.equal(formatAmount(0.98, 'objects'), '0.98 objects')
  t.equal(formatAmount(1, 'threads'), '1 thread')
  t.equal(formatAmount(1234567, 'objects'), '1,234,567 objects')
})

t.test('which metrics decide', async (t) => {
  const base = ['time', 'elapsed_s', 'requests', 'rss_bytes', 'rss_anon_bytes', 'pss_bytes', 'threads', 'procs', 'gc_age_s', 'gc.pid']
  const node = [...base, 'gc.memoryUsage.rss', 'gc.memoryUsage.heapTotal', 'gc.memoryUsage.heapUsed', 'gc.heap.total_physical_size', 'gc.heap_spaces.new_space.space_used_size', 'gc.heap_spaces.new_large_object_space.space_used_size', 'gc.gc_count.major']
  const deciding = (header: string[], requested?: string[]) => chooseMetrics(header, requested).metrics.filter((m) => m.decides).map((m) => m.column)
  t.same(deciding(node), ['native_bytes', 'threads', 'heap_old_bytes'], 'Node: memory outside the heap, threads, the old generation')
  const all = chooseMetrics(node).metrics
  t.same(all.find((m) => m.column === 'native_bytes')!.difference, ['gc.memoryUsage.rss', 'gc.heap.total_physical_size'])
  t.same(all.find((m) => m.column === 'heap_old_bytes')!.difference, ['gc.memoryUsage.heapUsed', 'gc.heap_spaces.new_space.space_used_size', 'gc.heap_spaces.new_large_object_space.space_used_size'])
  t.ok(all.find((m) => m.column === 'gc.memoryUsage.heapUsed'), 'heapUsed itself is reported')
  const ruby = [...base, 'gc.stat.old_objects', 'gc.stat.heap_live_slots', 'gc.stat.heap_allocated_pages', 'gc.stat.major_gc_count']
  t.same(deciding(ruby), ['rss_anon_bytes', 'threads', 'gc.stat.old_objects'])
  t.equal(chooseMetrics(ruby).metrics.find((m) => m.column === 'gc.stat.old_objects')!.majorCounter, 'gc.stat.major_gc_count')
  t.same(deciding(base), ['rss_anon_bytes', 'threads'], 'no GC statistics')
  t.same(deciding(['time', 'elapsed_s', 'requests', 'rss_bytes', 'procs']), ['rss_bytes'], 'no /proc (macOS): rss_bytes')
  t.same(deciding(ruby, ['rss_bytes', 'gc.stat.heap_live_slots']), ['rss_bytes', 'gc.stat.heap_live_slots'], 'analysis.metrics: all of them decide')
  t.same(chooseMetrics(ruby, ['rss_bytes', 'gc.nope']).missing, ['gc.nope'])

  const tab = table({
    elapsed_s: [0, 1],
    requests: [0, 100],
    gc_age_s: [0.01, 0.01],
    'gc.memoryUsage.heapUsed': [30, 40],
    'gc.heap_spaces.new_space.space_used_size': [12, 15],
    'gc.heap_spaces.new_large_object_space.space_used_size': [1, 0],
  })
  const old = chooseMetrics(tab.header).metrics.find((m) => m.column === 'heap_old_bytes')!
  t.same(Array.from(freshReadings(tab, old, 0, 2).y), [17, 25], 'heapUsed − the young generation, reading by reading')
})
