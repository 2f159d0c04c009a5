/**
 * The Theil–Sen slope (the median of pairwise slopes) with Sen's (1968) distribution-free
 * confidence interval, over one or more strata: pairs are formed within a stratum only
 * (Hirsch's seasonal Kendall slope), so a restart's drop never enters a slope.
 *
 * O(n²) in the points of a stratum: callers coarsen to a few hundred points first.
 */
import { normalQuantile } from './normal.js'
import { median, quantileSorted } from './quantile.js'
import type { Series } from './series.js'

export interface TheilSenResult {
  slope: number
  low: number
  high: number
  /** Confidence level of [low, high]. */
  level: number
  /** Pairwise slopes the median was taken over. */
  pairs: number
}

/**
 * `variance` is Var(S) of the Mann–Kendall statistic on the same points, ideally the
 * autocorrelation-corrected one: Sen's interval is the pairwise slopes ranked
 * (N ∓ z·√Var(S))/2, so a wider test variance widens the interval too.
 */
export function theilSen (strata: readonly Series[], variance: number, level = 0.95): TheilSenResult {
  return senInterval(sortedSlopes(strata), variance, level)
}

/** The pairwise slopes, sorted: compute once, then ask for intervals at several variances. */
export function sortedSlopes (strata: readonly Series[]): Float64Array {
  return pairwiseSlopes(strata).sort()
}

/** Theil–Sen from sortedSlopes(), with Sen's interval for a Mann–Kendall variance. */
export function senInterval (slopes: Float64Array, variance: number, level = 0.95): TheilSenResult {
  const n = slopes.length
  if (n === 0) return { slope: NaN, low: NaN, high: NaN, level, pairs: 0 }
  const slope = quantileSorted(slopes, 0.5)
  const c = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(Math.max(0, variance))
  // 1-based ranks M1 = (N − C)/2 and M2 + 1 = (N + C)/2 + 1, clamped, interpolated.
  const lowRank = Math.max(1, (n - c) / 2)
  const highRank = Math.min(n, (n + c) / 2 + 1)
  return {
    slope,
    low: quantileSorted(slopes, (lowRank - 1) / Math.max(1, n - 1)),
    high: quantileSorted(slopes, (highRank - 1) / Math.max(1, n - 1)),
    level,
    pairs: n,
  }
}

/** Slopes (y_j − y_i)/(x_j − x_i) for i < j within each stratum, skipping equal x. */
export function pairwiseSlopes (strata: readonly Series[]): Float64Array {
  let total = 0
  for (const s of strata) total += (s.x.length * (s.x.length - 1)) / 2
  const out = new Float64Array(total)
  let k = 0
  for (const { x, y } of strata) {
    const n = x.length
    for (let i = 0; i < n - 1; i++) {
      const xi = x[i]
      const yi = y[i]
      for (let j = i + 1; j < n; j++) {
        const dx = x[j] - xi
        if (dx !== 0) out[k++] = (y[j] - yi) / dx
      }
    }
  }
  return out.subarray(0, k)
}

/** Conover's intercept for a given slope: median of y − slope·x. */
export function intercept (s: Series, slope: number): number {
  const r = new Float64Array(s.x.length)
  for (let i = 0; i < r.length; i++) r[i] = s.y[i] - slope * s.x[i]
  return median(r)
}
