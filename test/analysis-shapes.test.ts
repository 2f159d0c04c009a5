/**
 * Growth that bends is not a leak: the verdict on floor series of each shape (test/helpers/
 * shapes.ts), with autocorrelated noise, across seeds. The counts allow for the tests' error
 * rates (5% one-sided): they must hold for every seed set, not for a lucky one.
 */
import t from 'tap'
import { trendVerdict, type TrendResult } from '../src/analysis/series-verdict.js'
import { seriesReasonText } from '../src/analysis/verdict-words.js'
import { series } from '../src/analysis/stats/series.js'
import { shapeSeries, type ShapeName } from './helpers/shapes.js'

const SEEDS = 30
const RUN = 120_000

function judge (name: ShapeName, seed: number, noise: number, points: number): TrendResult {
  const s = shapeSeries(name, { seed, noise, points, step: RUN / points })
  // 20 MB of growth over the run (before noise); growth under 2.5 MB would not matter.
  return trendVerdict({ strata: [series(s.x, s.y)], unit: 'bytes', threshold: { value: 2.5e6, basis: { kind: 'minimum', unit: 'bytes' } }, requestsPerHour: 3.6e6, readings: points * 4 })
}

function tally (name: ShapeName, noise: number, points: number): Record<string, number> {
  const counts: Record<string, number> = {}
  for (let seed = 1; seed <= SEEDS; seed++) {
    const v = judge(name, seed, noise, points).verdict
    counts[v] = (counts[v] ?? 0) + 1
  }
  return counts
}

// Noise as a share of the run's growth: 0.75% (a smooth RSS) and 2.5% (a jumpy one).
for (const noise of [150e3, 500e3]) {
  for (const points of [40, 120]) {
    t.test(`noise ${noise / 1e3} kB, ${points} floors`, async (t) => {
      // Noisier and shorter leaves some leaks open (inconclusive), never settling.
      const power = noise > 150e3 && points < 100 ? 0.8 * SEEDS : SEEDS - 3
      const leak = tally('leak', noise, points)
      t.ok((leak.leak ?? 0) >= power, `a steady leak is a leak: ${JSON.stringify(leak)}`)
      t.notOk(leak.settling, 'and never settling')
      const warm = tally('leak-after-warmup', noise, points)
      t.ok((warm.leak ?? 0) >= power, `a leak with a warm-up on top is a leak: ${JSON.stringify(warm)}`)
      t.notOk(warm.settling, 'and never settling')
      for (const shape of ['settling-exp', 'settling-log'] as const) {
        const c = tally(shape, noise, points)
        t.ok((c.settling ?? 0) >= SEEDS - 3, `${shape}: settling ${JSON.stringify(c)}`)
        t.ok((c.leak ?? 0) <= 2, `${shape}: a leak only at the tests' error rate`)
      }
      const plateau = tally('plateau', noise, points)
      t.notOk(plateau.leak && plateau.leak > 1, `a plateau is not a leak: ${JSON.stringify(plateau)}`)
      t.ok((plateau.plateau ?? 0) >= SEEDS * 0.6, 'and mostly a plateau')
      const cache = tally('cache-fill', noise, points)
      t.notOk(cache.leak, `a cache that has filled is not a leak: ${JSON.stringify(cache)}`)
      const flat = tally('flat', noise, points)
      t.equal(flat.flat, SEEDS, 'flat is flat')
    })
  }
}

t.test('very noisy: a warm-up is never called a leak more often than the tests allow', async (t) => {
  for (const shape of ['settling-exp', 'settling-log', 'plateau', 'cache-fill'] as const) {
    const c = tally(shape, 1.5e6, 120)
    t.ok((c.leak ?? 0) <= 2, `${shape}: ${JSON.stringify(c)}`)
  }
  const leak = tally('leak', 1.5e6, 120)
  t.ok((leak.settling ?? 0) <= 2, `and a leak is not called settling: ${JSON.stringify(leak)}`)
})

t.test('settling says how fast, how much slower, where it is heading and how many more requests would tell', async (t) => {
  const v = judge('settling-exp', 1, 150e3, 120)
  t.equal(v.verdict, 'settling')
  const shape = v.shape!
  t.ok(shape.early.value > 3 * shape.late.value, `the rate fell: ${shape.early.value.toFixed(0)} → ${shape.late.value.toFixed(0)} B/request`)
  t.ok(shape.late.low > 0, 'still growing at the end')
  t.ok(shape.bending && !shape.holding)
  // The curve: 50 MB + 20 MB·(1 − e^(−2u))/(1 − e^(−2)); its limit is 50 + 23.1 MB.
  const h = shape.heading!
  t.ok(h.low <= 73.1e6 && (h.high === undefined || h.high >= 73.1e6), `the interval covers the true level: ${(h.low / 1e6).toFixed(1)} to ${h.high === undefined ? '∞' : (h.high / 1e6).toFixed(1)} MB`)
  t.ok(Math.abs(h.value - 73.1e6) < 2e6, `heading for about 73 MB: ${(h.value / 1e6).toFixed(1)} MB`)
  t.ok(Math.abs(h.scale_requests - RUN / 2) < RUN / 4, `the rate falls to 1/e every ~60,000 requests: ${h.scale_requests.toFixed(0)}`)
  t.ok(v.more_requests! > 0 && v.more_requests! < 10 * RUN, `levelled off after about ${v.more_requests} more requests`)
  t.match(seriesReasonText(v.why), /slower and slower: .* early .* late .* levels off at about/)
})

t.test('a rate that may hold or bend: inconclusive, with the requests that would tell', async (t) => {
  const open = Array.from({ length: SEEDS }, (_, i) => judge('leak', i + 1, 1.5e6, 40)).filter((v) => v.verdict === 'inconclusive' && /holds .* or keeps falling/.test(seriesReasonText(v.why)))
  t.ok(open.length > 0, 'a noisy leak on few floors can be that')
  for (const v of open) t.ok(v.more_requests! > 0, `about ${v.more_requests} more requests`)
})
