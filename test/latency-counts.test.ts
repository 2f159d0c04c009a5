/**
 * Worker threads hand their histograms over as non-zero buckets: added on the other side, they
 * give what HdrHistogram's own compressed encoding gave (the figures of summary.json and
 * samples.csv), bucket for bucket.
 */
import t from 'tap'
import * as hdr from 'hdr-histogram-js'
import { createLatencyHistogram, latencyCounts, LatencyCountsReader, latencyPercentiles, type LatencyHistogram } from '../src/counters/latency-histogram.js'
import { RunStats } from '../src/counters/run-stats.js'

function filled (values: number[]): LatencyHistogram {
  const histogram = createLatencyHistogram()
  for (const v of values) histogram.recordValue(v)
  return histogram
}

/** How a thread's histogram was handed over before: HdrHistogram's compressed encoding, decoded. */
function throughEncoding (histogram: LatencyHistogram): LatencyHistogram {
  return hdr.decodeFromCompressedBase64(hdr.encodeIntoCompressedBase64(histogram), 32, false) as unknown as LatencyHistogram
}

const spread = Array.from({ length: 5000 }, (_, i) => 1 + ((i * 7919) % 2_000_000) * (i % 3 === 0 ? 1000 : 1))

t.test('added through counts = added through the compressed encoding', async (t) => {
  const reader = new LatencyCountsReader()
  for (const [name, own, theirs] of [
    ['both sides filled', [3, 17, 250, 9_999, 1_000_000], spread],
    ['this side empty', [], spread],
    ['one value', [42], [3_599_999_999]],
    ['their side empty', [5, 6], []]
  ] as Array<[string, number[], number[]]>) {
    const viaCounts = filled(own)
    reader.addTo(viaCounts, latencyCounts(filled(theirs)))
    const viaEncoding = filled(own)
    if (theirs.length > 0) viaEncoding.add(throughEncoding(filled(theirs)))
    t.same(latencyPercentiles(viaCounts), latencyPercentiles(viaEncoding), name)
    t.equal(viaCounts.totalCount, own.length + theirs.length, `${name}: every value counted`)
  }
})

t.test('a drained thread adds up exactly in the absorbing one', async (t) => {
  const worker = new RunStats()
  const main = new RunStats()
  const endpoint = worker.endpoints.get('GET /a')
  for (const v of spread.slice(0, 300)) worker.recordResponse(endpoint, 200, 4, v)
  main.absorb(worker.drain())
  t.equal(worker.drain().interval.latency.length, 0, 'drained: nothing left to hand over')
  const interval = main.takeInterval()
  t.equal(interval.latency.totalCount, 300)
  const expected = createLatencyHistogram()
  expected.add(throughEncoding(filled(spread.slice(0, 300))))
  t.same(latencyPercentiles(main.endpoints.get('GET /a').latency), latencyPercentiles(expected))
  t.equal(main.transactions, 300)
})
