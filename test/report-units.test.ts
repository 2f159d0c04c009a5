import t from 'tap'
import { downsample, minMaxIndices } from '../src/report/downsample.js'
import { escapeHtml, html, jsonForScript, raw } from '../src/report/html/escape.js'
import { formatAmount, formatBytes, formatClock, formatCount, formatRate, formatSigned, formatValue, formatDuration, formatEstimate, niceTicks, timeTicks, valueAxis } from '../src/units/format.js'
import { interpolate } from '../src/report/report-input.js'

t.test('downsampling keeps every bucket\'s extremes, real rows only, and gaps', async (t) => {
  const n = 86_400
  const saw: Array<number | null> = []
  const other: Array<number | null> = []
  for (let i = 0; i < n; i++) {
    saw.push((i % 97) * 10 + i * 0.001)          // sawtooth: peaks at 96, floors at 0 of each tooth
    other.push(i >= 40_000 && i < 40_050 ? null : Math.sin(i / 1000))
  }
  saw[12_345] = 1e6                               // a lone spike
  saw[54_321] = -1e6                              // a lone dip
  const x = Array.from({ length: n }, (_, i) => i)
  const d = downsample(x, [saw, other], 5000)
  t.ok(d.x.length <= 5000, `${d.x.length} points`)
  t.ok(d.x.length > 4000, 'uses most of the budget')
  t.equal(d.x[0], 0, 'first row kept')
  t.equal(d.x.at(-1), n - 1, 'last row kept')
  t.ok(d.x.every((v, i) => i === 0 || v > d.x[i - 1]), 'ascending rows')
  t.ok(d.series[0].includes(1e6), 'the spike survives')
  t.ok(d.series[0].includes(-1e6), 'the dip survives')
  t.ok(d.series[1].includes(null), 'the gap survives as an empty cell')
  // every bucket's max and min are there, at their own x
  const bucket = d.info.bucket
  for (let start = 0; start < n; start += bucket) {
    let hi = start
    let lo = start
    for (let i = start; i < Math.min(n, start + bucket); i++) {
      if ((saw[i] as number) > (saw[hi] as number)) hi = i
      if ((saw[i] as number) < (saw[lo] as number)) lo = i
    }
    if (!d.x.includes(hi) || !d.x.includes(lo)) { t.fail(`bucket at ${start} lost its extremes`); break }
  }
  const kept = d.x.map((row, i) => d.series[0][i] === saw[row])
  t.ok(kept.every(Boolean), 'values are the rows\' own')
  t.equal(Math.max(...(d.series[0] as number[])), Math.max(...(saw as number[])))
  t.equal(Math.min(...(d.series[0] as number[])), Math.min(...(saw as number[])))

  const small = minMaxIndices(10, [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], 5000)
  t.same(small.indices, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'short series untouched')
  t.equal(small.bucket, 1)
  const nulls = minMaxIndices(20_000, [Array.from({ length: 20_000 }, (_, i) => (i % 2 ? null : i))], 100)
  t.ok(nulls.points <= 100, `alternating nulls still fit: ${nulls.points}`)
})

t.test('units: binary bytes, k/M counts, durations, ticks', async (t) => {
  t.equal(formatBytes(0), '0 B')
  t.equal(formatBytes(1536), '1.5 KiB')
  t.equal(formatBytes(412 * 2 ** 20), '412 MiB')
  t.equal(formatBytes(3.25 * 2 ** 30), '3.25 GiB')
  t.equal(formatValue(12_345, 'count'), '12.3 k')
  t.equal(formatValue(1_200_000, 'objects'), '1.2 M objects')
  t.equal(formatDuration(42), '42 s')
  t.equal(formatDuration(200), '3 min 20 s')
  t.equal(formatDuration(5400), '1 h 30 min')
  t.equal(formatClock(3725), '1:02:05')
  t.equal(formatClock(65), '1:05')
  t.equal(formatEstimate({ value: 10_445, low: 10_035, high: 10_854, level: 0.95 }, 'bytes', 'request'), '+10.2 KiB/request (+9.8 … +10.6, 95%)')
  t.equal(formatEstimate({ value: -2, low: -5, high: 1, level: 0.9 }, 'objects', 'request'), '−2 objects/request (−5 … +1, 90%)')
  t.same(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10])
  t.same(timeTicks(0, 3600, 6), [0, 600, 1200, 1800, 2400, 3000, 3600])
  t.same(timeTicks(0, 3600, 4), [0, 900, 1800, 2700, 3600])
  const axis = valueAxis(100 * 2 ** 20, 300 * 2 ** 20, 'bytes')
  t.equal(axis.suffix, 'MiB')
  t.same(axis.labels, ['100', '150', '200', '250', '300'])
})

t.test('escaping: strings from a run never become markup', async (t) => {
  const evil = '</script><script>alert("x")</script><img src=x onerror=alert(1)> & \'q\''
  t.equal(escapeHtml(evil), '&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39;')
  const page = html`<p title="${evil}">${evil}</p>${raw('<b>ours</b>')}${[html`<i>${'<x>'}</i>`, '<y>']}`.text
  t.equal(page, `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p><b>ours</b><i>&lt;x&gt;</i>&lt;y&gt;`)
  const json = jsonForScript({ name: evil, line: 'a\u2028b' }).text
  t.notMatch(json, /<|>/, 'no angle brackets in embedded JSON')
  t.same(JSON.parse(json), { name: evil, line: 'a\u2028b' }, 'and it parses back the same')
})

t.test('interpolate: requests to seconds, flat stretches take the first', async (t) => {
  const req = [0, 100, 200, 200, 200, 300]
  const sec = [0, 1, 2, 3, 4, 5]
  t.equal(interpolate(req, sec, 150), 1.5)
  t.equal(interpolate(req, sec, 200), 2)
  t.equal(interpolate(req, sec, -5), 0)
  t.equal(interpolate(req, sec, 300), 5)
  t.equal(interpolate(req, sec, 999), 5)
})

t.test('one module of human units: one rate, one sign', async (t) => {
  t.equal(formatRate(10_445, 'bytes', 'request'), '10.2 KiB/request', 'a rate reads as an amount per something, unsigned')
  t.equal(formatRate(1, 'threads', 'h'), '1 thread/h')
  t.equal(formatSigned(-1536, 'bytes'), '−1.5 KiB', 'the typographic minus, as in intervals')
  t.equal(formatSigned(-1536, 'bytes', 3, true), '−1.50 KiB', 'aligned (bisect): the same minus, trailing zeros kept')
  t.equal(formatSigned(2500, 'objects', 3, true), '+2.50 k objects')
  t.equal(formatValue(2.5, 's'), '2.5 s')
  t.equal(formatAmount(0.5, 'threads'), '0.5 threads')
  t.equal(formatAmount(12_345, 'count'), '12,345')
})

t.test('one thread, two threads: a noun agrees with the figure as printed', async (t) => {
  t.equal(formatCount(1, 'floor'), '1 floor')
  t.equal(formatCount(3, 'floor'), '3 floors')
  t.equal(formatCount(0, 'request'), '0 requests')
  t.equal(formatCount(12_000, 'more request'), '12,000 more requests')
  t.equal(formatCount(2, 'entry', 'entries'), '2 entries')
  t.equal(formatRate(1, 'threads', 'request'), '1 thread/request')
  t.equal(formatRate(0.9999, 'threads', 'request'), '1 thread/request', 'reads 1: one thread')
  t.equal(formatRate(0.997, 'threads', 'request'), '0.997 threads/request')
  t.equal(formatAmount(1, 'objects'), '1 object')
  t.equal(formatAmount(-1, 'slots'), '-1 slot')
  t.equal(formatAmount(1, 'count'), '1', 'a bare count has no noun')
  t.equal(formatAmount(1, 's'), '1 s', 'a unit that is no noun stays')
  t.equal(formatValue(1, 'threads'), '1 thread')
  t.equal(formatValue(1, 'threads', 3, true), '1.00 threads', 'aligned: 1.00 is not one')
  t.equal(formatValue(1500, 'threads'), '1.5 k threads')
  t.equal(formatSigned(1, 'pages'), '+1 page')
  t.equal(formatSigned(-1, 'pages'), '−1 page')
})
