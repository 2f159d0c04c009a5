/**
 * The x axis in words. A run's rates are per request; a watch with no request counter has seconds
 * in its `requests` column, and "per request" would then be false: its rates are told per hour
 * (sentences) or per minute (the table), its spans and what is still needed as durations.
 */
import { formatAmount, formatCount, formatDuration, formatRate, type SeriesUnit } from '../units/format.js'

/** summary.json's `x_axis` for a watch with no request counter; isTimeAxis recognises it (and older wordings) by its start. */
export const TIME_AXIS = 'time: no request counter, so the `requests` column counts seconds and growth is told per hour'

export function isTimeAxis (xAxis: string | undefined): boolean {
  return xAxis?.startsWith('time:') ?? false
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
}

/** The words for a verdict's (or summary's) `x_axis`: requests unless it is time. */
export function axisWords (xAxis: string | undefined): AxisWords {
  return isTimeAxis(xAxis) ? TIME : REQUESTS
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
