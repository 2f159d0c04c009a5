/**
 * The shape of growth: does the rate hold, or does it bend towards flat?
 *
 * A leak keeps its rate: every request leaves the same few bytes behind. A warm-up slows down:
 * malloc arenas and their fragmentation, caches and pools filling, JIT and lazy loading all
 * grow fast at first and then less and less. So the floors' growth rate (Theil–Sen with Sen's
 * interval, autocorrelation-corrected) is taken on the first, middle and last third of the
 * steady state, and compared:
 *
 * - bending: the late rate is significantly below half the early one (the rate has halved at
 *   least once within the run), or it is significantly below the early one and still
 *   significantly below the middle one (it is still slowing at the end);
 * - holding: otherwise. A rate that dips a little and then holds is a leak with a warm-up on
 *   top of it; that dip alone is not enough to call it settling.
 *
 * Why rates by parts rather than a fitted curve: the slopes need no model of how a warm-up
 * decays (exponential, logarithmic, stepwise as arenas are added), they are robust to the odd
 * outlier, and their intervals already carry the autocorrelation correction the trend test
 * uses. A model is only needed for the projection, and the simplest one that bends is used:
 * the rate decaying exponentially at the pace seen between the first and last third.
 */
import { mannKendall } from './stats/mann-kendall.js'
import { intercept, senInterval, sortedSlopes, type TheilSenResult } from './stats/theil-sen.js'
import { normalQuantile } from './stats/normal.js'
import type { Series } from './stats/series.js'

/** Fewest floors a part's slope is taken over, when a third would have fewer. */
export const MIN_PART = 8

/**
 * Fewest floors on which a 95% Sen interval can leave out 0 at all: with no trend, 4 floors come
 * in rising order one time in 24 (more than the 2.5% a side the interval allows), 5 one time
 * in 120.
 */
export const MIN_SEN_FLOORS = 5

export type PartName = 'early' | 'middle' | 'late'

export interface PartTrend extends TheilSenResult {
  /** Mean requests of the part's floors, pooled over strata (where its rate applies). */
  centre: number
  /** The part's fitted level at its centre. */
  levelAtCentre: number
  /** Floors the part's slope was taken over, summed over strata. */
  floors: number
}

/**
 * Theil–Sen with Sen's interval on the first, middle or last third of each stratum's floors;
 * on up to half of them when a third is under MIN_PART floors, since Sen's interval on four or
 * five points reaches almost any slope.
 */
export function partTrend (strata: readonly Series[], which: PartName, level: number): PartTrend | undefined {
  const parts: Series[] = []
  for (const s of strata) {
    const n = s.x.length
    const k = Math.max(Math.floor(n / 3), Math.min(MIN_PART, Math.floor(n / 2)))
    if (k < 2) continue
    const from = which === 'early' ? 0 : which === 'late' ? n - k : Math.floor((n - k) / 2)
    parts.push({ x: s.x.subarray(from, from + k), y: s.y.subarray(from, from + k) })
  }
  return trendOf(parts, level)
}

/** Theil–Sen with Sen's interval (autocorrelation-corrected) over these floors, pooled over strata. */
function trendOf (parts: readonly Series[], level: number): PartTrend | undefined {
  if (parts.length === 0) return undefined
  const slopes = sortedSlopes(parts)
  if (slopes.length === 0) return undefined
  const point = senInterval(slopes, 0, level).slope
  const mk = mannKendall(parts, { slope: point })
  const ts = senInterval(slopes, mk.correctedVariance, level)
  // The last stratum's part: a projection runs on from the end of the run.
  const last = parts[parts.length - 1]
  let sum = 0
  for (const x of last.x) sum += x
  const centre = sum / last.x.length
  return { ...ts, centre, levelAtCentre: intercept(last, ts.slope) + ts.slope * centre, floors: parts.reduce((a, p) => a + p.x.length, 0) }
}

/** Standard error read off Sen's interval (half-width / z). */
function standardError (t: TheilSenResult, level: number): number {
  return (t.high - t.low) / (2 * normalQuantile(1 - (1 - level) / 2))
}

/**
 * Whether `late` × `lateShare` is significantly below `share` × `early` (one-sided, at the
 * intervals' level): the difference against the standard errors, as for two independent
 * estimates.
 */
export function slowedDown (early: TheilSenResult, late: TheilSenResult, level: number, share = 1, lateShare = 1, shrink = 1): boolean {
  const spread = shrink * Math.hypot(share * standardError(early, level), lateShare * standardError(late, level))
  const drop = share * early.slope - lateShare * late.slope
  if (!(spread > 0)) return drop > 0
  return drop / spread > normalQuantile(level)
}

export interface Shape {
  early: PartTrend
  middle?: PartTrend
  late: PartTrend
  /** The late rate is significantly below the early or the middle one. */
  slowed: boolean
  /** ... and falling at least as fast as to 1/e per run: a warm-up, not a leak. */
  bending: boolean
  /**
   * The late rate is significantly above where such a bend would have taken it from the middle
   * third (a warm-up may have lifted the first), or from the first third while not significantly
   * below where it would have taken it from the middle one: a rate that holds.
   */
  holding: boolean
  /** Where the point estimates lean when neither test is significant. */
  leaning: 'hold' | 'bend'
}

/**
 * The rates by thirds, and whether they bend or hold. The line between the two is a rate that
 * falls to 1/e over as many requests as were analysed (`span`): from the early third to the
 * late one (2/3 of the run apart) that is to 51% of the early rate, from the middle one to 72%.
 * Falling faster than that, significantly, is bending: the run has seen a good part of the bend
 * and the projection of where it levels off means something. Significantly above it from the
 * middle third on is a rate that holds, even if the first third was faster (a warm-up on top of
 * a leak: V8 or malloc growing their heaps at first). When neither is significant, the point
 * estimates lean one way: a late rate at or above the line is a rate that holds within the
 * intervals (a leak: calling growth settling takes a significant bend); below it, the run cannot
 * tell, and says how many more requests would.
 */
export function growthShape (strata: readonly Series[], span: number, level: number): Shape | undefined {
  const early = partTrend(strata, 'early', level)
  const late = partTrend(strata, 'late', level)
  if (!early || !late || !(span > 0)) return undefined
  const middle = partTrend(strata, 'middle', level)
  const parts = { early, ...(middle ? { middle } : {}), late }
  // From the middle third too: a cache that fills in the first half has its fastest rate there
  // when the warm-up cut took the start of the fill.
  const slowed = slowedDown(early, late, level) || (middle !== undefined && slowedDown(middle, late, level))
  return { ...parts, slowed, ...bendOrHold(parts, span, level, 1) }
}

/** The bending and holding tests, with the standard errors scaled by `shrink` (a longer run's). */
function bendOrHold (p: { early: PartTrend; middle?: PartTrend; late: PartTrend }, span: number, level: number, shrink: number): { bending: boolean; holding: boolean; leaning: 'hold' | 'bend' } {
  const { early, middle, late } = p
  const pace = (from: PartTrend) => Math.exp(-(late.centre - from.centre) / span)
  const below = (from: PartTrend) => slowedDown(from, late, level, pace(from), 1, shrink)
  const above = (from: PartTrend) => slowedDown(late, from, level, 1, pace(from), shrink)
  return {
    bending: below(early) || (middle !== undefined && below(middle)),
    // From the middle third on (a warm-up may have lifted the first), or from the first when the
    // middle one is too noisy to say and the rate is not still falling from it.
    holding: middle === undefined ? above(early) : above(middle) || (above(early) && !below(middle)),
    // Neither significant: the point estimates alone.
    leaning: late.slope >= pace(early) * early.slope && (middle === undefined || late.slope >= pace(middle) * middle.slope) ? 'hold' : 'bend',
  }
}

/**
 * A fresh process's growth bending since its first requests: the rate over the warm-up left out
 * (`warm`: its floors, at least MIN_PART of them) against the late third's, on the same 1/e line
 * as growthShape's, over the process's whole life so far (`life` requests). Returns the warm-up's
 * trend when the late rate is significantly below that line.
 *
 * Why the warm-up counts here: it is left out so that its growth is not taken for a leak, but
 * for memory outside the runtime's heap it also holds the evidence that the rate has fallen.
 * glibc's arenas grow like a high-water mark (fast at first, then a new peak ever more rarely),
 * and by the time the warm-up cut ends, what is left can creep at a rate that looks steady over
 * one run, yet an order of magnitude below where it started. A leak keeps its rate from the
 * first requests on: a malloc never freed costs as much in the first thousand as in the last.
 */
export function bentSinceStart (warm: readonly Series[], late: PartTrend, life: number, level: number): PartTrend | undefined {
  const parts = warm.filter((s) => s.x.length >= 2)
  if (parts.reduce((a, s) => a + s.x.length, 0) < MIN_PART || !(life > 0)) return undefined
  const w = trendOf(parts, level)
  if (!w || !(w.slope > 0)) return undefined
  const pace = Math.exp(-(late.centre - w.centre) / life)
  return slowedDown(w, late, level, pace) ? w : undefined
}

/**
 * Requests after the end of the run until the bending or the holding test would pass, if the
 * rates stayed what they are and their intervals narrowed as a longer run's do (as
 * requests^-1.5, see series-verdict.ts). Undefined beyond 1000× the run.
 */
export function requestsToTellShape (shape: Shape, span: number, level: number): number | undefined {
  for (let f = 1.05; f <= 1000; f *= 1.05) {
    const t = bendOrHold(shape, span, level, f ** -1.5)
    if (t.bending || t.holding) return Math.ceil((f - 1) * span)
  }
  return undefined
}

export interface Projection {
  /** Where the series is heading if its rate keeps falling as it has; `high` absent: no upper end yet. */
  value: number
  low: number
  high?: number
  level: number
  /** Requests over which the rate falls to 1/e (the exponential's scale), at the point estimate. */
  scale: number
  /** Growth still to come after the end of the run (at request `end`), at the point estimate. */
  remaining: number
  /** Late rate over early rate. */
  ratio: number
}

/**
 * Where a bending series is heading if its rate keeps decaying exponentially at the pace seen
 * between the early and the late third: rate(x) = late · e^(−(x − late centre)/τ), with
 * τ = (late centre − early centre) / ln(early / late); what is left to grow from the late
 * centre is late · τ. The interval takes the slopes' interval ends that give the least and the
 * most growth; when the early interval reaches down to the late one's top, the rate may not be
 * falling at all and there is no upper end.
 */
export function project (shape: Pick<Shape, 'early' | 'late'>, end: number): Projection | undefined {
  const { early, late } = shape
  const d = late.centre - early.centre
  if (!(d > 0) || !(late.slope > 0) || !(early.slope > late.slope)) return undefined
  const tau = (e: number, l: number) => (e > l && l > 0 ? d / Math.log(e / l) : Infinity)
  const scale = tau(early.slope, late.slope)
  const base = late.levelAtCentre
  const most = late.high * tau(early.low, late.high)
  const least = Math.max(0, late.low) * tau(early.high, Math.max(late.low, Number.MIN_VALUE))
  return {
    value: base + late.slope * scale,
    low: base + (Number.isFinite(least) ? least : 0),
    ...(Number.isFinite(most) ? { high: base + most } : {}),
    level: late.level,
    scale,
    remaining: late.slope * scale * Math.exp(-(end - late.centre) / scale),
    ratio: late.slope / early.slope,
  }
}

/**
 * Requests after the end of the run until, if the rate keeps falling as projected, the late rate
 * kept up over the whole (longer) run would no longer matter: a plateau. Undefined beyond
 * 1000× the run.
 */
export function requestsToLevelOff (p: Projection, late: PartTrend, end: number, span: number, threshold: number): number | undefined {
  for (let f = 0.05; f <= 1000; f *= 1.1) {
    const more = f * span
    const rate = late.slope * Math.exp(-(end + more - late.centre) / p.scale)
    if (rate * (span + more) < threshold) return Math.ceil(more)
  }
  return undefined
}
