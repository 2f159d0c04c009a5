/**
 * The difference in growth between two targets loaded side by side with the same requests.
 *
 * Two separate runs can only be compared through their own intervals (the normal approximation
 * of report/compare.ts). Targets loaded together have seen the same requests at the same time,
 * so their memory can be paired: at every point where either has a floor, both floor series are
 * read (linearly between their floors) and the trend test runs on B − A. What both share (the
 * machine's load, the requests' mix at that moment) cancels out, and what is left is the
 * difference the targets make. The test is the one the verdict uses: Mann–Kendall with the
 * autocorrelation correction, Theil–Sen with Sen's interval from the corrected variance.
 */
import { MAX_WINDOWS, MIN_WINDOWS } from './floors.js'
import { mannKendall } from './stats/mann-kendall.js'
import { series } from './stats/series.js'
import { senInterval, sortedSlopes } from './stats/theil-sen.js'
import type { Estimate, SeriesVerdict } from './types.js'
import type { Unit } from '../columns/index.js'

export interface PairedGrowth {
  /** B's growth per request minus A's, with Sen's interval. */
  difference: Estimate
  /** Two-sided p of the trend in B − A. */
  p_value: number
  /** The trend is significant at `alpha` and the interval excludes 0. */
  significant: boolean
  /** Points the test ran on. */
  points: number
  /** The requests both series cover: where the pairing starts and ends. */
  requests: [number, number]
}

export interface PairedGrowthOptions {
  level?: number
  alpha?: number
}

/** One target's series as a side-by-side sentence names it (verdict-words.ts words it). */
export interface SideSeries {
  target: string
  /** Absent when the sentence names the metric once for both targets. */
  metric?: string
  unit: Unit
  verdict: SeriesVerdict
  per_request?: number
}

/** A target and its run's decided verdict, in the headline. */
export interface SideRun {
  name: string
  verdict?: SeriesVerdict
}

/**
 * What the two verdicts and the paired difference say together about target b against a:
 * - brings / fixes: b leaks where a does not (or the reverse), and the paired difference agrees
 *   significantly; faster / slower: both leak, the difference significant;
 * - grows-more: the difference is significant but the one growing more is not called a leak
 *   (its own run could not tell its growth from a settling or creeping one);
 * - disagree: the verdicts name one as leaking and the paired difference, significantly, the other;
 * - none: the difference is not significant.
 */
export type SidesConclusion = 'brings' | 'fixes' | 'faster' | 'slower' | 'grows-more' | 'disagree' | 'none'

/**
 * The headline of a side-by-side comparison, target b against a: each side's decided verdict
 * and, on the series that tells them apart, the paired difference b − a. The report picks the
 * series; verdict-words.ts words it.
 */
export type SidesHeadline =
  | { kind: 'no-verdict'; a: SideRun; b: SideRun }
  | { kind: 'unpaired'; a: SideRun; b: SideRun }
  | { kind: 'paired'; a: SideRun; b: SideRun; metric: string; unit: Unit; growth: PairedGrowth; conclusion: SidesConclusion }

/** What b's verdict and a's, with the paired difference b − a, conclude (see SidesConclusion). */
export function sidesConclusion (a: SeriesVerdict, b: SeriesVerdict, growth: PairedGrowth): SidesConclusion {
  if (!growth.significant) return 'none'
  const bMore = growth.difference.value > 0
  const [more, less] = bMore ? [b, a] : [a, b]
  if (more === 'leak' && less === 'leak') return bMore ? 'faster' : 'slower'
  if (more === 'leak') return bMore ? 'brings' : 'fixes'
  return less === 'leak' ? 'disagree' : 'grows-more'
}

/** A series of [requests, value] points, requests non-decreasing: a verdict's floor series. */
export type Points = ReadonlyArray<readonly [number, number]>

/** B − A's growth per request from the two floor series; undefined when they overlap on fewer than MIN_WINDOWS points. */
export function pairedGrowth (a: Points, b: Points, options: PairedGrowthOptions = {}): PairedGrowth | undefined {
  const level = options.level ?? 0.95
  const alpha = options.alpha ?? 0.05
  if (a.length < 2 || b.length < 2) return undefined
  const from = Math.max(a[0][0], b[0][0])
  const to = Math.min(a[a.length - 1][0], b[b.length - 1][0])
  if (!(to > from)) return undefined
  const xs = thin([...new Set([...a, ...b].map(([x]) => x).filter((x) => x >= from && x <= to))].sort((p, q) => p - q), MAX_WINDOWS)
  if (xs.length < MIN_WINDOWS) return undefined
  const d = xs.map((x) => at(b, x) - at(a, x))
  const s = series(xs, d)
  const slopes = sortedSlopes([s])
  const point = senInterval(slopes, 0, level).slope
  const mk = mannKendall([s], { slope: point })
  const ts = senInterval(slopes, mk.correctedVariance, level)
  return {
    difference: { value: ts.slope, low: ts.low, high: ts.high, level },
    p_value: mk.p,
    significant: mk.p < alpha && (ts.low > 0 || ts.high < 0),
    points: xs.length,
    requests: [from, to]
  }
}

/** The value of a series at x, linear between its points (x within its range). */
function at (p: Points, x: number): number {
  let lo = 0
  let hi = p.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (p[mid][0] <= x) lo = mid
    else hi = mid
  }
  const [x0, y0] = p[lo]
  const [x1, y1] = p[hi]
  if (x <= x0 || x1 === x0) return y0
  if (x >= x1) return y1
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0)
}

/** At most `max` of the sorted values, evenly spread: Theil–Sen is quadratic in the points. */
function thin (sorted: number[], max: number): number[] {
  if (sorted.length <= max) return sorted
  return Array.from({ length: max }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (max - 1))])
}
