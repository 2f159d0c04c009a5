import t from 'tap'
import { erfc, normalCdf, normalQuantile, twoSidedP } from '../src/analysis/stats/normal.js'
import { median, quantile, ranks } from '../src/analysis/stats/quantile.js'
import { hamedRao, kendallS, mannKendall, tiedVariance } from '../src/analysis/stats/mann-kendall.js'
import { intercept, pairwiseSlopes, theilSen } from '../src/analysis/stats/theil-sen.js'
import { series } from '../src/analysis/stats/series.js'

// Reference values from scipy 1.17 (stats.norm, stats.theilslopes) and by hand.
const close = (t: { ok: (v: boolean, m: string) => void }, actual: number, expected: number, tol: number, what: string) =>
  t.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} ≈ ${expected} (±${tol})`)

t.test('normal distribution', async (t) => {
  close(t, normalCdf(1.96), 0.9750021048517795, 1e-12, 'Φ(1.96)')
  close(t, normalCdf(-1.96), 1 - 0.9750021048517795, 1e-12, 'Φ(−1.96)')
  close(t, erfc(0.5), 0.4795001221869535, 1e-14, 'erfc(0.5)')
  close(t, normalQuantile(0.975), 1.959963984540054, 1e-12, 'z(0.975)')
  close(t, normalQuantile(0.3), -0.5244005127080409, 1e-12, 'z(0.3)')
  close(t, normalQuantile(1e-10), -6.361340902404056, 1e-9, 'z(1e-10)')
  close(t, twoSidedP(3.634345051015831), 0.0002786876842340025, 1e-12, 'two-sided p')
  t.equal(normalQuantile(0), -Infinity)
  t.throws(() => normalQuantile(1.5))
})

t.test('quantiles and ranks', async (t) => {
  t.equal(median([5, 1, 3]), 3)
  t.equal(median([4, 1, 3, 2]), 2.5)
  t.equal(quantile([1, 2, 3, 4, 5], 0.1), 1.4, "R's type 7")
  t.same(Array.from(ranks([10, 20, 20, 5])), [2, 3.5, 3.5, 1], 'ties get their average rank')
})

const x12 = Array.from({ length: 12 }, (_, i) => i + 1)
const y12 = [3.1, 2.9, 4.0, 4.4, 3.8, 5.2, 5.0, 6.1, 5.9, 7.2, 6.8, 7.5]

t.test('Mann–Kendall', async (t) => {
  t.equal(kendallS([1, 2, 3, 4, 5]), 10)
  t.equal(kendallS([5, 4, 3, 2, 1]), -10)
  close(t, tiedVariance([1, 2, 3, 4, 5]), (5 * 4 * 15) / 18, 1e-12, 'Var(S) without ties')
  close(t, tiedVariance([1, 1, 2, 3, 3, 3, 4]), 39.666666666666664, 1e-12, 'Var(S) with a pair and a triple tied')

  const plain = mannKendall([series(x12, y12)], { plain: true })
  t.equal(plain.s, 54)
  close(t, plain.variance, 212.66666666666666, 1e-9, 'Var(S)')
  close(t, plain.z, 3.634345051015831, 1e-12, 'z with continuity correction')
  close(t, plain.p, 0.0002786876842340025, 1e-12, 'p')

  const none = mannKendall([series([1, 2, 3, 4], [2, 2, 2, 2])])
  t.equal(none.s, 0)
  t.equal(none.p, 1, 'a constant series has no trend')
})

t.test('Mann–Kendall over strata sums S and variances (seasonal Kendall)', async (t) => {
  const a = series([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])
  const b = series([6, 7, 8, 9, 10], [0, 1, 2, 3, 4])
  const pooled = mannKendall([a, b], { plain: true })
  t.equal(pooled.s, 20, 'each segment rises; the drop between them is never a pair')
  close(t, pooled.variance, 2 * tiedVariance([1, 2, 3, 4, 5]), 1e-12, 'variances add')
  t.equal(mannKendall([series([...a.x, ...b.x], [...a.y, ...b.y])], { plain: true }).s, 11, 'as one series the drop counts against the rise (S = 20 − 9)')
})

t.test('Theil–Sen with Sen\'s interval', async (t) => {
  const s = series(x12, y12)
  const mk = mannKendall([s], { plain: true })
  const ts = theilSen([s], mk.variance)
  close(t, ts.slope, 0.42678571428571416, 1e-12, 'slope (scipy.stats.theilslopes)')
  t.equal(ts.pairs, 66)
  // Sen's ranks (N ∓ z√Var)/2 = 18.7 and 48.3: interpolated between order statistics, where
  // scipy rounds to the nearest (0.35 and 0.5).
  close(t, ts.low, 0.34792020912151883, 1e-12, 'lower bound')
  close(t, ts.high, 0.5, 1e-12, 'upper bound')

  const exact = series([0, 1, 2, 3, 4], [1, 3, 5, 7, 9])
  const fit = theilSen([exact], tiedVariance(exact.y))
  t.same([fit.slope, fit.low, fit.high], [2, 2, 2], 'a straight line')
  t.equal(intercept(exact, fit.slope), 1)

  t.same(Array.from(pairwiseSlopes([series([1, 1, 2], [0, 5, 2])])), [2, -3], 'pairs with equal x are skipped')
  t.ok(Number.isNaN(theilSen([series([1], [1])], 0).slope), 'no pairs, no slope')
})

/** AR(1) noise, y_t = φ·y_{t−1} + e_t: no trend at all, but long runs up and down. */
function ar1 (n: number, phi: number, seed: number): number[] {
  let s = seed
  const uniform = () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return (s + 0.5) / 2147483648
  }
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
  const out: number[] = []
  let y = 0
  for (let i = 0; i < n; i++) {
    y = phi * y + gauss()
    out.push(y)
  }
  return out
}

t.test('Hamed–Rao keeps the test honest on autocorrelated series', async (t) => {
  const n = 100
  const x = Array.from({ length: n }, (_, i) => i)
  let plainAlarms = 0
  let correctedAlarms = 0
  const runs = 200
  for (let seed = 1; seed <= runs; seed++) {
    const s = series(x, ar1(n, 0.8, seed))
    if (mannKendall([s], { plain: true }).p < 0.05) plainAlarms++
    const slope = theilSen([s], 0).slope
    if (mannKendall([s], { slope }).p < 0.05) correctedAlarms++
  }
  // On trendless AR(1) noise a 5% test should fire about 5% of the time. The plain test fires
  // far more often ("cries wolf"); the corrected one stays near its level.
  t.ok(plainAlarms / runs > 0.3, `plain Mann–Kendall: ${plainAlarms}/${runs} false alarms`)
  t.ok(correctedAlarms / runs < 0.15, `Hamed–Rao corrected: ${correctedAlarms}/${runs} false alarms`)
  t.comment(`false alarms on trendless AR(1) noise, φ = 0.8, n = ${n}: plain ${plainAlarms}/${runs}, corrected ${correctedAlarms}/${runs}`)
  let found = 0
  for (let seed = 1; seed <= runs; seed++) {
    const s = series(x, ar1(n, 0.8, seed).map((v, i) => v + 0.05 * i))
    if (mannKendall([s], { slope: theilSen([s], 0).slope }).p < 0.05) found++
  }
  t.ok(found / runs > 0.8, `and it still finds a trend of 5 noise SDs over the series: ${found}/${runs}`)

  const white = series(x, ar1(n, 0, 7))
  t.ok(hamedRao(white, 0, 0.05) < 1.3, 'white noise needs (almost) no correction')
  t.ok(hamedRao(series(x, ar1(n, 0.9, 7)), 0, 0.05) > 2, 'strongly autocorrelated noise gets a large one')
})
