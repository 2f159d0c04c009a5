/**
 * A fresh process's memory outside the heap: the warm-up left out still counts as evidence of a
 * bend (growth-shape.ts, bentSinceStart). Floor series of a whole process life (test/helpers/
 * shapes.ts), split where the warm-up cut would fall (a tenth of the requests), across seeds.
 */
import t from 'tap'
import { trendVerdict, type TrendResult } from '../src/analysis/series-verdict.js'
import { seriesReasonText } from '../src/analysis/verdict-words.js'
import { series } from '../src/analysis/stats/series.js'
import { shapeSeries, type ShapeName } from './helpers/shapes.js'

const SEEDS = 30
const LIFE = 120_000
const POINTS = 240

function judge (name: ShapeName, seed: number, fresh: boolean, growth = 20e6, noise = 150e3): TrendResult {
  const s = shapeSeries(name, { seed, points: POINTS, step: LIFE / (POINTS - 1), growth, noise })
  const cut = POINTS / 10
  const steady = series(s.x.slice(cut), s.y.slice(cut))
  const warm = series(s.x.slice(0, cut), s.y.slice(0, cut))
  return trendVerdict({
    strata: [steady],
    unit: 'bytes',
    // The arena warm-up's creep adds about 3.6 MB over the analysed requests: enough to matter.
    threshold: { value: 2.5e6, basis: { kind: 'minimum', unit: 'bytes' } },
    requestsPerHour: 3.6e6,
    readings: POINTS,
    ...(fresh ? { freshStart: { strata: [warm], life: LIFE, requests: s.x[cut] } } : {}),
  })
}

function tally (name: ShapeName, fresh: boolean, growth?: number, noise?: number): Record<string, number> {
  const counts: Record<string, number> = {}
  for (let seed = 1; seed <= SEEDS; seed++) {
    const v = judge(name, seed, fresh, growth, noise).verdict
    counts[v] = (counts[v] ?? 0) + 1
  }
  return counts
}

t.test('allocator arenas filling, then a creep that looks steady: settling in a fresh process', async (t) => {
  const alone = tally('arena-warmup', false)
  t.ok((alone.leak ?? 0) >= SEEDS - 3, `the analysed stretch alone holds its rate: ${JSON.stringify(alone)}`)
  const fresh = tally('arena-warmup', true)
  t.ok((fresh.settling ?? 0) >= SEEDS - 3, `with the process's first requests, the rate has fallen: ${JSON.stringify(fresh)}`)
  t.ok((fresh.leak ?? 0) <= 2, 'a leak only at the tests\' error rate')
})

t.test('a small creep after the warm-up, under what matters but with an interval reaching above it', async (t) => {
  // 3.5 MB over the life: about 2.4 MB over the analysed requests, under the 2.5 MB that matters.
  const alone = tally('arena-warmup', false, 3.5e6, 400e3)
  const fresh = tally('arena-warmup', true, 3.5e6, 400e3)
  t.ok((fresh.inconclusive ?? 0) < (alone.inconclusive ?? 0), `the bend since the first requests tells some the stretch alone leaves open: ${JSON.stringify(alone)} → ${JSON.stringify(fresh)}`)
  t.ok((fresh.settling ?? 0) + (fresh.plateau ?? 0) + (fresh.flat ?? 0) >= SEEDS - 3, 'not a leak, and rarely open')
  t.notOk(fresh.leak, 'never a leak')
})

t.test('a malloc never freed from the first request is a leak, fresh process or not', async (t) => {
  const fresh = tally('leak-from-start', true)
  t.ok((fresh.leak ?? 0) >= SEEDS - 3, JSON.stringify(fresh))
  t.notOk(fresh.settling, 'never settling')
})

t.test('the sentence names the process\'s first requests as the early rate', async (t) => {
  const v = judge('arena-warmup', 1, true)
  t.equal(v.verdict, 'settling')
  t.ok(v.shape?.since_start, 'the warm-up rate is kept')
  t.ok(v.shape!.since_start!.warmup.value > 2 * v.shape!.late.value, `more than twice the late rate: ${v.shape!.since_start!.warmup.value.toFixed(0)} → ${v.shape!.late.value.toFixed(0)} B/request`)
  t.comment(seriesReasonText(v.why))
  t.match(seriesReasonText(v.why), /slower and slower: .* in the process's first 12,0\d\d requests \(CI .*, the warm-up left out\), .* late/)
})
