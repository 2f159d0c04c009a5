/**
 * The verdict on one floor series (one segment, or several pooled): leak, settling, plateau,
 * flat or inconclusive, with its evidence.
 *
 * - Trend: Mann–Kendall with Hamed–Rao's autocorrelation correction, on the floors in request
 *   order; size: Theil–Sen slope per request with Sen's interval from the corrected variance;
 *   the same on the first, middle and last third (see growth-shape.ts).
 * - Meaningful: growth over the analysed requests (slope × requests) against a threshold: a
 *   share of the process's RSS at the start (bytes) or of the series' own starting level
 *   (objects, slots...), and never less than a unit's smallest meaningful step (1 MB, 1 thread).
 * - flat: even the interval's upper end stays under the threshold (and there were at least
 *   MIN_READINGS_TO_CLEAR readings).
 * - plateau: a significant trend that has stopped: the late slope kept up over the whole run
 *   would stay under the threshold even at its interval's upper end; or the growth mattered
 *   and the slope came down significantly from the early one, to 0 or to a creep that would not
 *   matter (a filled cache while the old generation still collects garbage for a major GC).
 * - settling: growth that matters, still going on at the end, but bending: its rate has fallen
 *   significantly (growth-shape.ts says when). Not a leak: with where it is heading if it keeps
 *   bending, and the requests after which it would have levelled off.
 * - leak: a significant trend whose growth matters and whose rate holds: the late slope is
 *   still above 0 and not bending (for a series that only falls at major GCs, with at least
 *   one major GC in the steady state).
 * - inconclusive: anything else, with the requests that would probably settle it: Sen's
 *   interval narrows about as (requests)^-1.5 when sampling goes on at the same rate, while
 *   the growth it is compared with grows with the requests.
 */
import { mannKendall } from './stats/mann-kendall.js'
import { senInterval, sortedSlopes, intercept, type TheilSenResult } from './stats/theil-sen.js'
import { bentSinceStart, growthShape, MIN_PART, MIN_SEN_FLOORS, project, requestsToLevelOff, requestsToTellShape, type PartTrend, type Projection } from './growth-shape.js'
import type { Series } from './stats/series.js'
import type { Estimate, GrowthShape, SeriesVerdict } from './types.js'
import type { Rise, SeriesReason, Threshold } from './reasons.js'
import { MIN_WINDOWS } from './floors.js'
import type { Unit } from '../columns/meaning.js'

export interface TrendSettings {
  /** Significance level of the trend test. */
  alpha: number
  /** Confidence level of the intervals. */
  level: number
}

export const DEFAULT_TREND_SETTINGS: TrendSettings = { alpha: 0.05, level: 0.95 }

/**
 * Readings a series needs before it can be called flat or plateau: a handful of points can show
 * a leak (the trend test must pass), but clearing a target takes a run that has at least seen
 * its memory move and settle a few times.
 */
export const MIN_READINGS_TO_CLEAR = 12

export interface TrendInput {
  /** Steady-state floors, one series per segment; x = requests completed. */
  strata: readonly Series[]
  unit: Unit
  /** Growth over the analysed requests that counts (same unit as the series), and how it was set. */
  threshold: Threshold
  /** Requests per hour over the analysed stretch, to turn per-request into per-hour growth. */
  requestsPerHour: number
  /**
   * Floors for the rates by thirds, when finer than `strata` (same readings): the windowing with
   * the narrowest overall interval can leave too few floors for three parts.
   */
  shapeStrata?: readonly Series[]
  /** A live-heap series whose runtime counts major GCs, none of which happened here. */
  noMajorGc?: boolean
  /** Readings the floors were taken from (default: one per floor). */
  readings?: number
  /**
   * For memory outside the heap of a process started with the run: the floors of the warm-up
   * left out (one series per segment), and the requests from its first reading to the end.
   */
  freshStart?: { strata: readonly Series[]; life: number; requests: number }
  /**
   * Memory outside the heap of a process started with the run, while no heap series rises
   * significantly: its growth may be the allocator's creep, so only a significant hold is a leak.
   */
  allocatorCreep?: boolean
  settings?: TrendSettings
}

export interface TrendResult {
  verdict: SeriesVerdict
  why: SeriesReason
  windows: number
  /** Requests the floors span (summed over segments). */
  span: number
  p?: number
  s?: number
  correction?: number
  per_request?: Estimate
  per_hour?: Estimate
  /** Growth over the analysed requests. */
  growth?: Estimate
  early?: PartTrend
  late?: PartTrend
  /** The rate by thirds; for `settling`, where it is heading. */
  shape?: GrowthShape
  more_requests?: number
  /** Per stratum, for charts. */
  intercepts?: number[]
}

export function trendVerdict (input: TrendInput): TrendResult {
  const settings = input.settings ?? DEFAULT_TREND_SETTINGS
  const strata = input.strata.filter((s) => s.x.length > 0)
  const windows = strata.reduce((a, s) => a + s.x.length, 0)
  const readings = input.readings ?? windows
  const span = strata.reduce((a, s) => a + (s.x.length > 0 ? s.x[s.x.length - 1] - s.x[0] : 0), 0)
  const unit = input.unit
  if (windows < MIN_WINDOWS || span <= 0) {
    const more = span > 0 && windows > 0 ? Math.ceil(span * (MIN_WINDOWS / windows - 1)) : undefined
    return {
      verdict: 'inconclusive',
      why: windows < MIN_WINDOWS
        ? { unit, kind: 'too-few-floors', floors: windows, needed: MIN_WINDOWS }
        // Enough floors, all at the same load: memory cannot be set against requests that never came.
        : { unit, kind: 'no-requests', floors: windows },
      windows,
      span,
      ...(more !== undefined ? { more_requests: more } : {}),
    }
  }

  const slopes = sortedSlopes(strata)
  const point = senInterval(slopes, 0, settings.level).slope
  const mk = mannKendall(strata, { slope: point })
  const ts = senInterval(slopes, mk.correctedVariance, settings.level)
  const shapeStrata = input.shapeStrata?.filter((s) => s.x.length > 0) ?? strata
  const shape = growthShape(shapeStrata, span / strata.length, settings.level)
  const early = shape?.early
  const late = shape?.late
  const est = (v: number, lo: number, hi: number): Estimate => ({ value: v, low: lo, high: hi, level: settings.level })
  const perRequest = est(ts.slope, ts.low, ts.high)
  const base: Omit<TrendResult, 'why'> = {
    verdict: 'inconclusive',
    windows,
    span,
    p: mk.p,
    s: mk.s,
    correction: mk.correction,
    per_request: perRequest,
    per_hour: est(ts.slope * input.requestsPerHour, ts.low * input.requestsPerHour, ts.high * input.requestsPerHour),
    growth: est(ts.slope * span, ts.low * span, ts.high * span),
    ...(early ? { early } : {}),
    ...(late ? { late } : {}),
    intercepts: strata.map((s) => intercept(s, ts.slope)),
  }

  const threshold = input.threshold
  const thr = threshold.value
  const g = ts.slope * span
  const gHigh = ts.high * span
  const significant = mk.p < settings.alpha && mk.s > 0
  const rise: Rise = { per_request: perRequest, growth: g, requests: span, p: mk.p }
  const part = (t: PartTrend): Estimate => est(t.slope, t.low, t.high)

  const end = strata[strata.length - 1].x[strata[strata.length - 1].x.length - 1]
  // A rise, then a level (a cache filling in the first half of the run): over the whole run the
  // trend test, corrected for the autocorrelation such a shape has, may not call it significant,
  // yet each part says it plainly: the first part grew (its interval is above 0) and the last
  // part, kept up over the whole run, would not matter even at its interval's upper end. Both
  // parts need MIN_PART floors (Sen's interval on four points reaches almost any slope), or, on
  // fewer than three thirds' worth, be the two halves of the run with MIN_SEN_FLOORS each: a run
  // of 30,000 requests gives a Ruby old generation only about 15 major GCs, one floor each.
  const enough = (t: PartTrend) => t.floors >= MIN_PART || (t.floors >= MIN_SEN_FLOORS && 2 * t.floors >= windows - 1)
  const stoppedAfterGrowing = () => Boolean(early && late && readings >= MIN_READINGS_TO_CLEAR &&
    enough(early) && enough(late) && early.low > 0 && late.high * span < thr)
  let projection: Projection | undefined
  let warm: PartTrend | undefined
  const heading = (p: Projection | undefined) => p ? { heading: { value: p.value, low: p.low, ...(p.high !== undefined ? { high: p.high } : {}), level: settings.level } } : {}
  const decide = (): { verdict: SeriesVerdict; why: SeriesReason } => {
    if (gHigh < thr && readings < MIN_READINGS_TO_CLEAR) {
      return { verdict: 'inconclusive', why: { unit, kind: 'too-few-readings-to-clear', at_most: gHigh, readings, needed: MIN_READINGS_TO_CLEAR } }
    }
    if (gHigh < thr) {
      return { verdict: 'flat', why: { unit, kind: 'flat', growth: g, shrinks: g < 0 && mk.p < settings.alpha, requests: span, at_most: gHigh, threshold } }
    }
    // A rise, then a level: the whole run is no straight line, but each part says it plainly.
    if (!significant && stoppedAfterGrowing()) return { verdict: 'plateau', why: { unit, kind: 'stopped', growth: g, requests: span, early: early!.slope, late: part(late!), no_trend: mk.p } }
    if (!significant) return { verdict: 'inconclusive', why: { unit, kind: 'no-trend', p: mk.p, at_most: gHigh, threshold } }
    if (!shape || !late || !early) return { verdict: 'inconclusive', why: { unit, kind: 'too-few-floors-for-shape', rise } }
    const stopped = { unit, kind: 'stopped', growth: g, requests: span, early: early.slope, late: part(late) } as const
    if (readings < MIN_READINGS_TO_CLEAR) return { verdict: 'inconclusive', why: { unit, kind: 'too-few-readings-for-shape', rise, readings } }
    // The late rate, kept up over the whole analysed stretch, would not matter: whatever grew has stopped.
    if (late.high * span < thr) return { verdict: 'plateau', why: stopped }
    // Slowed down significantly, to a stop or to a creep that would not matter over the run:
    // a cache that has filled, while garbage not yet collected by a major GC may still creep up.
    // A late interval reaching 0 is not enough on its own (a few noisy floors reach almost any
    // slope): the slope must have come down from the early one.
    // Only the run's own thirds call a stop: on a short run (a bisect trial of 1,500 requests) the
    // warm-up left out is mostly the process's start-up jump, beside which any later rate looks bent.
    if (shape.slowed && (late.low <= 0 || late.slope * span < thr)) {
      return { verdict: 'plateau', why: late.low > 0 ? { ...stopped, creep: late.slope * span } : stopped }
    }
    // Still growing in such a process: settling, even if what it grew so far is under what
    // matters while its interval reaches above (the bend tells). A bend within the stretch, on
    // growth that matters, is told below with the run's own thirds.
    warm = late.low > 0 && (!shape.bending || g < thr) && input.freshStart ? bentSinceStart(input.freshStart.strata, late, input.freshStart.life, settings.level) : undefined
    if (warm) {
      projection = project({ early: warm, late }, end)
      return { verdict: 'settling', why: { unit, kind: 'settling', growth: g, requests: span, early: part(warm), late: part(late), since_start: input.freshStart!.requests, ...heading(projection) } }
    }
    // Growth under what matters whose interval reaches above it, and no bend to tell: open.
    if (g < thr) return { verdict: 'inconclusive', why: { unit, kind: 'under-threshold', p: mk.p, growth: g, requests: span, at_most: gHigh, threshold } }
    if (late.low > 0 && input.noMajorGc) return { verdict: 'inconclusive', why: { unit, kind: 'no-major-gc', rise } }
    if (late.low > 0 && shape.holding) {
      return { verdict: 'leak', why: { unit, kind: 'holding', rise, late: late.slope, ...(shape.slowed ? { early: early.slope } : {}) } }
    }
    if (late.low > 0 && shape.bending) {
      projection = project(shape, end)
      return { verdict: 'settling', why: { unit, kind: 'settling', growth: g, requests: span, early: part(early), late: part(late), ...heading(projection) } }
    }
    // Neither test significant: a late rate at or above the bend line is a rate that holds within
    // the intervals (the verdict needs a significant bend to call growth settling) — except for
    // memory outside the heap of a fresh process whose heap does not rise: glibc's arenas grow
    // like a high-water mark, and over a short run that creep looks as steady as a leak; a leak
    // there needs a significant hold. A heap that rises explains the growth.
    if (late.low > 0 && shape.leaning === 'hold' && input.allocatorCreep) {
      return { verdict: 'inconclusive', why: { unit, kind: 'fresh-outside-open', rise, early: early.slope, late: late.slope } }
    }
    if (late.low > 0 && shape.leaning === 'hold') {
      return { verdict: 'leak', why: { unit, kind: 'holding-within-intervals', rise, early: early.slope, late: late.slope } }
    }
    if (late.low > 0) return { verdict: 'inconclusive', why: { unit, kind: 'shape-open', rise, late: part(late) } }
    return { verdict: 'inconclusive', why: { unit, kind: 'late-unclear', rise, late: part(late) } }
  }
  const { verdict, why } = decide()
  const result: TrendResult = { ...base, verdict, why }
  if (shape) {
    const e = (t: PartTrend): Estimate => est(t.slope, t.low, t.high)
    result.shape = {
      early: e(shape.early),
      ...(shape.middle ? { middle: e(shape.middle) } : {}),
      late: e(shape.late),
      late_per_hour: shape.late.slope * input.requestsPerHour,
      slowed: shape.slowed,
      bending: shape.bending,
      holding: shape.holding,
      ...(warm ? { since_start: { warmup: e(warm), requests: input.freshStart!.requests } } : {}),
      ...(projection ? { heading: { value: projection.value, low: projection.low, ...(projection.high !== undefined ? { high: projection.high } : {}), level: projection.level, scale_requests: projection.scale, remaining: projection.remaining } } : {}),
    }
  }
  if (verdict === 'settling' && projection && late) {
    const more = requestsToLevelOff(projection, late, end, span, thr)
    if (more !== undefined) result.more_requests = more
  }
  if (verdict === 'inconclusive' && shape && late && late.low > 0 && !input.noMajorGc && g >= thr && significant && readings >= MIN_READINGS_TO_CLEAR) {
    // Growing, and the question left is whether the rate holds or bends.
    const more = requestsToTellShape(shape, span / strata.length, settings.level)
    if (more !== undefined) result.more_requests = more
  } else if (verdict === 'inconclusive') {
    let f = input.noMajorGc && late && late.low > 0 ? undefined : factorToSettle(ts, late, span, thr)
    if (readings < MIN_READINGS_TO_CLEAR) f = Math.max(f ?? 1, MIN_READINGS_TO_CLEAR / Math.max(1, readings))
    if (f !== undefined) result.more_requests = Math.ceil((f - 1) * span)
  }
  return result
}

/** Width of Sen's interval (Hamed–Rao corrected) on these floors; Infinity without pairs. */
export function intervalWidth (strata: readonly Series[], level: number): number {
  const slopes = sortedSlopes(strata)
  if (slopes.length === 0) return Infinity
  const mk = mannKendall(strata, { slope: senInterval(slopes, 0, level).slope })
  const all = senInterval(slopes, mk.correctedVariance, level)
  return all.high - all.low
}

/**
 * How many times the analysed requests it would take, at the same sampling, for the verdict to
 * settle if the slope stayed what it is: the interval's half-width shrinks as f^-1.5 while
 * the growth over the run grows as f. Undefined beyond 1000×.
 */
export function factorToSettle (ts: TheilSenResult, late: TheilSenResult | undefined, span: number, threshold: number): number | undefined {
  const b = ts.slope
  const h = (ts.high - ts.low) / 2
  const lateH = late ? (late.high - late.low) / 2 : h
  const lateB = late ? late.slope : b
  for (let f = 1.05; f <= 1000; f *= 1.05) {
    const shrink = f ** -1.5
    const hi = b + h * shrink
    const lo = b - h * shrink
    const run = span * f
    if (hi * run < threshold) return f // flat
    if (lo > 0 && b * run >= threshold) {
      // Leak or plateau then hinges on the last third.
      const lateHi = lateB + lateH * shrink
      const lateLo = lateB - lateH * shrink
      if (lateLo > 0 || lateHi * run < threshold) return f
    }
  }
  return undefined
}
