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
import { growthShape, MIN_PART, project, requestsToLevelOff, requestsToTellShape, type PartTrend, type Projection } from './growth-shape.js'
import type { Series } from './stats/series.js'
import type { Estimate, GrowthShape, SeriesVerdict } from './types.js'
import { formatAmount, formatRate } from '../units/format.js'
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
  /** Growth over the analysed requests that counts (same unit as the series). */
  threshold: number
  /** The threshold in words: "5% of RSS (61.2 MB)". */
  thresholdWhy: string
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
  settings?: TrendSettings
}

export interface TrendResult {
  verdict: SeriesVerdict
  reason: string
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
  const amount = (v: number) => formatAmount(v, input.unit)
  if (windows < MIN_WINDOWS || span <= 0) {
    const more = span > 0 && windows > 0 ? Math.ceil(span * (MIN_WINDOWS / windows - 1)) : undefined
    return {
      verdict: 'inconclusive',
      reason: windows < MIN_WINDOWS
        ? `too little to go on: ${windows} floor${windows === 1 ? '' : 's'} (at least ${MIN_WINDOWS} are needed)`
        // Enough floors, all at the same load: memory cannot be set against requests that never came.
        : `too little to go on: no request was answered while the ${windows} floors were taken`,
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
  const base: TrendResult = {
    verdict: 'inconclusive',
    reason: '',
    windows,
    span,
    p: mk.p,
    s: mk.s,
    correction: mk.correction,
    per_request: est(ts.slope, ts.low, ts.high),
    per_hour: est(ts.slope * input.requestsPerHour, ts.low * input.requestsPerHour, ts.high * input.requestsPerHour),
    growth: est(ts.slope * span, ts.low * span, ts.high * span),
    ...(early ? { early } : {}),
    ...(late ? { late } : {}),
    intercepts: strata.map((s) => intercept(s, ts.slope)),
  }

  const thr = input.threshold
  const g = ts.slope * span
  const gHigh = ts.high * span
  const significant = mk.p < settings.alpha && mk.s > 0
  const pText = `p ${formatP(mk.p).startsWith('<') ? '' : '= '}${formatP(mk.p)}`
  const rate = `${formatRate(ts.slope, input.unit, 'request')} (${Math.round(settings.level * 100)}% CI ${amount(ts.low)} to ${amount(ts.high)})`

  const end = strata[strata.length - 1].x[strata[strata.length - 1].x.length - 1]
  // A rise, then a level (a cache filling in the first half of the run): over the whole run the
  // trend test, corrected for the autocorrelation such a shape has, may not call it significant,
  // yet each part says it plainly: the first part grew (its interval is above 0) and the last
  // part, kept up over the whole run, would not matter even at its interval's upper end. Both
  // parts need MIN_PART floors: Sen's interval on four points reaches almost any slope.
  const stoppedAfterGrowing = () => Boolean(early && late && readings >= MIN_READINGS_TO_CLEAR &&
    early.floors >= MIN_PART && late.floors >= MIN_PART && early.low > 0 && late.high * span < input.threshold)
  let projection: Projection | undefined
  const decide = (): Pick<TrendResult, 'verdict' | 'reason'> => {
    if (gHigh < thr && readings < MIN_READINGS_TO_CLEAR) {
      return { verdict: 'inconclusive', reason: `no growth that matters so far (at most ${amount(gHigh)}), but ${readings} readings are too few to clear it (${MIN_READINGS_TO_CLEAR} are needed)` }
    }
    if (gHigh < thr) {
      const what = g < 0 && mk.p < settings.alpha ? `shrinks by ${amount(-g)}` : `changes by ${amount(g)}`
      return { verdict: 'flat', reason: `${what} over ${count(span)} requests; at most ${amount(gHigh)}, under the ${amount(thr)} that would matter (${input.thresholdWhy})` }
    }
    if (!significant && stoppedAfterGrowing()) {
      return { verdict: 'plateau', reason: `grew, then stopped: ${formatRate(early!.slope, input.unit, 'request')} early (CI ${amount(early!.low)} to ${amount(early!.high)}), ${formatRate(late!.slope, input.unit, 'request')} late (CI ${amount(late!.low)} to ${amount(late!.high)}): kept up over as many requests again, the late rate would add at most ${amount(late!.high * span)}, under the ${amount(thr)} that would matter (${input.thresholdWhy}); over the whole run the trend is not significant (${pText}), as a rise followed by a level is not a straight line` }
    }
    if (!significant) {
      return { verdict: 'inconclusive', reason: `no significant trend (${pText}), but the interval allows growth of up to ${amount(gHigh)}, over the ${amount(thr)} that would matter (${input.thresholdWhy})` }
    }
    const grows = `grows ${rate}, ${amount(g)} over ${count(span)} requests (${pText})`
    if (!shape || !late || !early) return { verdict: 'inconclusive', reason: `${grows}; too few floors to tell whether it stops` }
    const lateRate = `${formatRate(late.slope, input.unit, 'request')} late (CI ${amount(late.low)} to ${amount(late.high)})`
    const stopped = `grew, then stopped: ${formatRate(early.slope, input.unit, 'request')} early, ${lateRate}; ${amount(g)} over ${count(span)} requests`
    if (readings < MIN_READINGS_TO_CLEAR) return { verdict: 'inconclusive', reason: `${grows}; ${readings} readings are too few to tell whether it stops` }
    // The late rate, kept up over the whole analysed stretch, would not matter: whatever grew has stopped.
    if (late.high * span < thr) return { verdict: 'plateau', reason: stopped }
    if (g < thr) {
      return { verdict: 'inconclusive', reason: `grows (${pText}) by ${amount(g)} over ${count(span)} requests: under the ${amount(thr)} that would matter (${input.thresholdWhy}), but the interval reaches ${amount(gHigh)}` }
    }
    // Slowed down significantly, to a stop or to a creep that would not matter over the run:
    // a cache that has filled, while garbage not yet collected by a major GC may still creep up.
    // A late interval reaching 0 is not enough on its own (a few noisy floors reach almost any
    // slope): the slope must have come down from the early one.
    if (shape.slowed && (late.low <= 0 || late.slope * span < thr)) {
      return { verdict: 'plateau', reason: late.low > 0 ? `${stopped}; the late creep would add ${amount(late.slope * span)} over as many requests again` : stopped }
    }
    if (late.low > 0 && input.noMajorGc) {
      return { verdict: 'inconclusive', reason: `${grows}, but no major GC ran while it did: the growth may be garbage that the next one frees` }
    }
    if (late.low > 0 && shape.holding) {
      const held = shape.slowed ? `, after a warm-up: ${formatRate(early.slope, input.unit, 'request')} early, then holding` : ', and holding'
      return { verdict: 'leak', reason: `${grows}${held}: ${formatRate(late.slope, input.unit, 'request')} in the last third` }
    }
    if (late.low > 0 && shape.bending) {
      projection = project(shape, end)
      const slowed = `${formatRate(early.slope, input.unit, 'request')} early (CI ${amount(early.low)} to ${amount(early.high)}), ${lateRate}`
      const heading = projection ? `; if it keeps slowing as it has, it levels off at about ${amount(projection.value)} (${Math.round(settings.level * 100)}% CI ${amount(projection.low)} to ${projection.high !== undefined ? amount(projection.high) : 'no upper bound yet'})` : ''
      return { verdict: 'settling', reason: `grew ${amount(g)} over ${count(span)} requests, but slower and slower: ${slowed}${heading}` }
    }
    // Neither test significant: a late rate at or above the bend line is a rate that holds within
    // the intervals (the verdict needs a significant bend to call growth settling).
    if (late.low > 0 && shape.leaning === 'hold') {
      return { verdict: 'leak', reason: `${grows}, and holding within the intervals: ${formatRate(early.slope, input.unit, 'request')} early, ${formatRate(late.slope, input.unit, 'request')} in the last third` }
    }
    if (late.low > 0) {
      return { verdict: 'inconclusive', reason: `${grows}; still growing at the end (${lateRate}), but whether that rate holds (a leak) or keeps falling (a warm-up) the run can't tell yet` }
    }
    return { verdict: 'inconclusive', reason: `${grows}; the late slope (${lateRate}) can't tell whether it stops` }
  }
  const { verdict, reason } = decide()
  const result: TrendResult = { ...base, verdict, reason }
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

export function formatP (p: number): string {
  if (p < 0.0001) return '< 0.0001'
  return p < 0.01 ? p.toFixed(4) : p.toFixed(3)
}

function count (n: number): string {
  return Math.round(n).toLocaleString('en-US')
}
