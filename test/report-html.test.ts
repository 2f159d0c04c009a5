import t from 'tap'
import { joinSegments, reportHtml } from '../src/report/report-html.js'
import { handSegment, handVerdict, sawtoothInput } from './helpers/report.js'

const EVIL = '</script><script>alert(1)</script>'

/** The page's embedded data. */
function pageData (page: string) {
  return JSON.parse(/<script type="application\/json" id="page-data">([^<]*)<\/script>/.exec(page)![1])
}

t.test('report.html: self-contained, every string from the run escaped', async (t) => {
  const input = sawtoothInput({ rows: 600, slope: 30, floorSlope: 10, name: `soak ${EVIL}` })
  input.summary.endpoints = [{ endpoint: `GET /x?${EVIL}`, transactions: 1, successful: 1, failed: 0, bytes: 1, latency: input.summary.latency }]
  ;(input.summary.config as { target: { url?: string } }).target.url = `http://127.0.0.1:1/${EVIL}`
  input.events = [{ time: '2026-01-01T00:05:00.000Z', type: 'target_exited', pid: 7, detail: EVIL }]
  input.summary.verdict = handVerdict([{ metric: 'rss_bytes', unit: 'bytes', verdict: 'leak', segments: [handSegment(input.series, 'rss_bytes', 30)] }], `Leak ${EVIL}`)
  const page = reportHtml(input)
  t.equal(page.split('<script').length - 1, 3, 'three script elements: the data, uPlot, the page\'s code')
  t.notMatch(page, /<script>alert/, 'no injected script')
  t.equal(page.split('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;').length - 1, 6, 'name (title, h1), endpoint, base URL, event detail, verdict: all escaped')
  t.notMatch(page, /<(script|link|img)[^>]+(src|href)=/i, 'nothing loaded from elsewhere')
  t.match(page, /uPlot/, 'uPlot inlined')
  t.match(page, /\.u-legend/, 'its stylesheet inlined')
  const data = pageData(page)
  t.equal(data.memory.x.length, 600)
  t.equal(data.memory.rss.length, 600)
  t.equal(data.memory.objects.length, 600, 'objects for the second axis')
  t.equal(data.memory.objectsLabel, 'live slots (gc.stat.heap_live_slots)')
  t.ok(data.memory.floor[0].length > 10, 'floor points')
  t.equal(data.memory.fit[0].length, data.memory.fit[1].length)
  t.same(data.events, [{ x: 300, label: 'pid 7 exited' }], 'the event on the clock')
  t.match(page, /All 600 samples are drawn\./)
})

t.test('report.html of a long run: ≤ 5,000 points per series, and says so', async (t) => {
  const input = sawtoothInput({ rows: 86_400, slope: 30, floorSlope: 1 })
  const page = reportHtml(input)
  const data = pageData(page)
  t.ok(data.memory.x.length <= 5000 && data.memory.x.length > 4000, `${data.memory.x.length} memory points`)
  t.ok(data.load.x.length <= 5000, `${data.load.x.length} load points`)
  const peak = Math.max(...input.series.columns.rss_bytes.map((v) => v ?? -Infinity))
  t.equal(Math.max(...data.memory.rss), peak, 'the highest RSS survives')
  t.match(page, /86400 samples drawn as \d+ points per series: each bucket of \d+ consecutive samples keeps its minimum and its maximum/)
  t.match(page, /Not analysed/, 'no verdict: said so')
})

t.test('report.html of a load-only run: no memory chart, said so', async (t) => {
  const input = sawtoothInput({ rows: 30, objects: false })
  delete input.series.columns.rss_bytes
  const page = reportHtml(input)
  t.match(page, /id="chart-memory-missing"/)
  t.notMatch(page, /id="chart-memory"/)
  t.match(page, /id="chart-load"/)
})

t.test('joinSegments: one series, an empty cell between segments', async (t) => {
  t.same(joinSegments([[[0, 1], [10, 2]], [[20, 3], [30, 4]]]), [[0, 10, 15, 20, 30], [1, 2, null, 3, 4]])
  t.same(joinSegments([[], [[1, 1]]]), [[1], [1]])
  t.same(joinSegments([]), [[], []])
})

t.test("report.html: the verdict's request rate beside the transaction rate says why they differ", async (t) => {
  const input = sawtoothInput({ rows: 600, slope: 30, floorSlope: 10 })
  input.summary.verdict = handVerdict([{ metric: 'rss_bytes', unit: 'bytes', verdict: 'leak', segments: [handSegment(input.series, 'rss_bytes', 30)] }], 'Leak')
  input.summary.transaction_rate_per_s = 7975.98
  input.summary.verdict.scale = { metric: 'rss_bytes', unit: 'bytes', requests_per_hour: 8574 * 3600, per_hour: 1, per_day: 24 }
  t.match(reportHtml(input), /<p class="note" id="rate-note">The verdict's 8,574 requests\/s is the rate of the requests it analysed \(the warm-up left out\); the transaction rate above is the whole run's \(7975\.98 trans\/s over [^)]+\)\.<\/p>/)
  input.summary.verdict.scale.requests_per_hour = 7975.98 * 3600
  t.notMatch(reportHtml(input), /id="rate-note"/, 'one rate: nothing to explain')
  const data = pageData(reportHtml(input))
  t.same([data.clockLabel, data.clockFormat], ['time since the load started', 'm:ss'], 'the time axis says how its ticks read')
  ;(input.summary.config as { urls: { lines: number } }).urls.lines = 1
  t.match(reportHtml(input), /<th>URL list<\/th><td>(<code>[^<]*<\/code>, )?1 line<\/td>/, 'one URL: "1 line"')
})
