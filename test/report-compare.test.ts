import t from 'tap'
import type { Estimate, SegmentVerdict } from '../src/analysis/types.js'
import { normalQuantile } from '../src/analysis/stats/normal.js'
import { compareRuns, compareText, slopeDifference, type CompareRunInput } from '../src/report/compare.js'
import { compareHtml } from '../src/report/compare-html.js'
import { handSegment, handVerdict, sawtoothInput } from './helpers/report.js'

const est = (value: number, half: number, level = 0.95): Estimate => ({ value, low: value - half, high: value + half, level })

/** A run whose RSS verdict has exactly this per-request estimate. */
function run (name: string, perRequest: Estimate | undefined, rows = 600): CompareRunInput {
  const input = sawtoothInput({ rows, slope: 30, floorSlope: perRequest?.value ?? 0, name })
  if (!perRequest) return { input, verdictFrom: 'none', noVerdictReason: 'not analysed' }
  const seg: SegmentVerdict = { ...handSegment(input.series, 'rss_bytes', 60), per_request: perRequest, per_hour: { ...perRequest, value: perRequest.value * 360000, low: perRequest.low * 360000, high: perRequest.high * 360000 } }
  seg.verdict = perRequest.low > 0 ? 'leak' : 'flat'
  const verdict = handVerdict([{ metric: 'rss_bytes', unit: 'bytes', verdict: seg.verdict, segments: [seg] }])
  return { input, verdict, verdictFrom: 'summary' }
}

t.test('normal quantile and the difference of two slopes', async (t) => {
  t.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6)
  t.ok(Math.abs(normalQuantile(0.05) + 1.644854) < 1e-6)
  t.ok(Math.abs(normalQuantile(0.5)) < 1e-12)
  const d = slopeDifference(est(10, 1.959964), est(7, 1.959964))
  t.ok(Math.abs(d.difference.value + 3) < 1e-9)
  t.ok(Math.abs(d.difference.high - d.difference.value - 1.959964 * Math.SQRT2) < 1e-5, 'se of the difference: √(1² + 1²)')
  t.equal(d.significant, true)
  t.equal(slopeDifference(est(10, 3), est(8, 3)).significant, false, 'overlapping a lot: not significant')
  // a 90% interval is narrower for the same se: convert through its own z
  const d90 = slopeDifference(est(0, 1.644854, 0.9), est(0, 1.959964))
  t.ok(Math.abs(d90.difference.high - 1.959964 * Math.SQRT2) < 1e-5, 'intervals of different levels are put on one scale')
})

t.test('sentences: slower/faster, significant or not, no verdict', async (t) => {
  const c = compareRuns([run('before', est(10240, 400)), run('after', est(2970, 300)), run('same', est(10000, 3000)), run('unknown', undefined)])
  t.equal(c.runs.map((r) => r.label).join(''), 'ABCD')
  const [b, cc, d] = c.sentences
  t.match(b, /^RSS: B grows 71% slower than A \(\+2\.9\d* KiB\/request against \+10 KiB\/request\); the difference is significant \(B − A: −7\.\d+ KiB\/request, 95% interval −\d/)
  t.match(cc, /^RSS: C grows 2% slower than A .*; the difference is not significant/)
  t.match(d, /^RSS: D can't be compared with A: D has no verdict \(not analysed\)\.$/)

  const faster = compareRuns([run('a', est(1000, 100)), run('b', est(3500, 100)), run('c', est(1500, 100))])
  t.match(faster.sentences[0], /B grows 3\.5 times as fast as A/)
  t.match(faster.sentences[1], /C grows 50% faster than A/)

  const flat = compareRuns([run('a', est(-1, 3)), run('b', est(5, 1)), run('c', est(-2, 3))])
  t.match(flat.sentences[0], /B grows where A does not.*significant/)
  t.match(flat.sentences[1], /neither A nor C grows.*not significant/)
  t.match(compareRuns([run('a', est(5, 1)), run('b', est(-1, 3))]).sentences[0], /B does not grow where A does/)
})

t.test('the table: throughput, latency, growth per request and per hour, with intervals', async (t) => {
  const c = compareRuns([run('before', est(10240, 400), 600), run('after', est(2970, 300), 300)])
  const text = compareText(c)
  const lines = text.split('\n')
  t.match(lines[0], /^\s+A\s+B$/)
  t.match(text, /^run\s+before\s+after$/m)
  t.match(text, /^rate\s+100\.0 req\/s\s+100\.0 req\/s$/m)
  t.match(text, /^p50 \/ p99\s+1\.000 \/ 5\.000 ms/m)
  t.match(text, /^RSS per request\s+\+10 KiB\/request \(\+9\.61 … \+10\.4, 95%\)\s+\+2\.9\d* KiB\/request \(/m)
  t.match(text, /^RSS per hour\s+\+3\.43 GiB\/h/m)
  t.match(text, /B grows 71% slower than A/)
})

t.test('compare.html escapes run names and embeds each run\'s series on requests', async (t) => {
  const a = run('<script>alert(1)</script>', est(10240, 400), 600)
  const b = run('b & "c"', est(2970, 300), 200)
  const page = compareHtml([a, b])
  t.notMatch(page, /<script>alert/, 'no live script from a name')
  t.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
  t.match(page, /b &amp; &quot;c&quot;/)
  const json = JSON.parse(/<script type="application\/json" id="page-data">([^<]*)<\/script>/.exec(page)![1])
  t.equal(json.charts.length, 1)
  t.equal(json.charts[0].runs.length, 2)
  t.equal(json.charts[0].runs[0].x.length, 600)
  t.equal(json.charts[0].runs[1].x.length, 200, 'runs of different lengths')
  t.equal(json.charts[0].runs[1].x.at(-1), 199 * 100, 'x is requests')
  t.ok(json.charts[0].runs[0].fit[0].length >= 2, 'the fitted line')
  t.notMatch(page, /<script src=|<link /, 'nothing loaded from elsewhere')
})
