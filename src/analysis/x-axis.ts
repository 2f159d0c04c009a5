/**
 * The x axis in words. A run's rates are per request. A watch with no request counter has the
 * target's CPU time in its `requests` column (CPU_AXIS): rates per CPU-second of the target,
 * spans in CPU-seconds. Without a process to read it from, or side by side (targets are paired on
 * the clock they share), it has seconds (TIME_AXIS): rates per hour (sentences) or per minute
 * (the table), spans and what is still needed as durations.
 */
import { formatAmount, formatCount, formatDuration, formatNumber, formatRate, significant, type SeriesUnit } from '../units/format.js'

/** summary.json's `x_axis` for a watch with no request counter; isTimeAxis recognises it (and older wordings) by its start. */
export const TIME_AXIS = 'time: no request counter, so the `requests` column counts seconds and growth is told per hour'

export function isTimeAxis (xAxis: string | undefined): boolean {
  return xAxis?.startsWith('time:') ?? false
}

/**
 * summary.json's `x_axis` for a watch with no request counter, of a process memsiege can read:
 * the target's work, so that a stretch without traffic adds nothing (analysis/work-readings.ts).
 */
export const CPU_AXIS = "cpu: no request counter, so the `requests` column counts the target's CPU seconds (user + system, over its process tree) since the watch started, and growth is told per CPU-second of the target"

export function isCpuAxis (xAxis: string | undefined): boolean {
  return xAxis?.startsWith('cpu:') ?? false
}

export interface AxisWords {
  readonly time: boolean
  /** A growth per x-unit: "10 KiB/request", or on time "36 MiB/hour". */
  rate (perX: number, unit: SeriesUnit): string
  /** A growth per x-unit as a number in the unit `rate` words it in (per hour on time): for the bounds of its interval. */
  rateValue (perX: number): number
  /** A stretch of the axis: "12,000 requests", or on time "3 min 20 s". */
  span (x: number): string
  /** What more is needed, in a sentence: "12,000 more requests", or on time "2 h more of watching". */
  more (x: number): string
  /** The table's unit of rates: "request", or on time "min", and the factor from per-x to it. */
  readonly tableUnit: string
  readonly tableFactor: number
  /** A chart's x axis drawn over the `requests` column: "requests completed", or on time "time watched". */
  readonly chartLabel: string
  /** What the analysed stretch of the axis is made of: "requests", "time", "work". */
  readonly stretch: string
  /** As long a stretch again: "as many requests", "as long", "as much work". */
  readonly again: string
  /** ", at this run's 12 requests/s" from x-units per hour, after a figure per hour ("" on time: the clock is the rate). */
  pace (perHour: number): string
  /** "over a day of traffic at that rate", on time "over a day". */
  readonly day: string
}

const REQUESTS: AxisWords = {
  time: false,
  rate: (v, unit) => formatRate(v, unit, 'request'),
  rateValue: (v) => v,
  span: (x) => formatCount(Math.round(x), 'request'),
  more: (x) => formatCount(x, 'more request'),
  tableUnit: 'request',
  tableFactor: 1,
  chartLabel: 'requests completed',
  stretch: 'requests',
  again: 'as many requests',
  pace: (perHour) => `, at this run's ${significant(perHour / 3600, 3)} requests/s`,
  day: 'over a day of traffic at that rate',
}

const TIME: AxisWords = {
  time: true,
  rate: (v, unit) => `${formatAmount(v * 3600, unit)}/hour`,
  rateValue: (v) => v * 3600,
  span: (x) => formatDuration(x),
  more: (x) => `${formatDuration(x)} more of watching`,
  tableUnit: 'min',
  tableFactor: 60,
  chartLabel: 'time watched',
  stretch: 'time',
  again: 'as long',
  pace: () => '',
  day: 'over a day',
}

const CPU: AxisWords = {
  time: false,
  rate: (v, unit) => `${formatAmount(v, unit)} per CPU-second of the target`,
  rateValue: (v) => v,
  span: (x) => cpuSeconds(x),
  more: (x) => `${cpuSeconds(x)} more of the target's work`,
  tableUnit: 'CPU-s',
  tableFactor: 1,
  chartLabel: "the target's CPU time",
  stretch: 'work',
  again: 'as much work',
  pace: (perHour) => `, at the target's average work over the watch (${significant((perHour / 3600) * 100, 3)}% of a core)`,
  day: 'over a day of that much work',
}

function cpuSeconds (x: number): string {
  return `${formatNumber(x)} CPU-second${x === 1 ? '' : 's'}`
}

/** The words for a verdict's (or summary's) `x_axis`: requests unless it is time or CPU time. */
export function axisWords (xAxis: string | undefined): AxisWords {
  return isTimeAxis(xAxis) ? TIME : isCpuAxis(xAxis) ? CPU : REQUESTS
}

/** A chart's clock axis (elapsed_s): a watch's starts with the watch, a run's with its load; `xAxis` is set only for a watch. */
export function clockLabel (xAxis: string | undefined): string {
  return xAxis === undefined ? 'time since the load started' : 'time since the watch started'
}

/** An estimate per x-unit in the table's unit (per minute on the time axis). */
export function inTableUnit<E extends { value: number; low: number; high: number }> (e: E, axis: AxisWords): E {
  const f = axis.tableFactor
  return f === 1 ? e : { ...e, value: e.value * f, low: e.low * f, high: e.high * f }
}
