/**
 * Human units, for the verdict text, the reports and charts, and bisect: bytes in binary units (KiB, MiB, GiB), counts in k/M/G,
 * durations in s/min/h, and "nice" axis ticks (1, 2, 5 × 10ⁿ) in the unit the axis is labelled in.
 * Negative figures carry a typographic minus (−), positive growth a plus.
 * The unit of a column comes from the column registry (src/columns/).
 */
import type { Unit } from '../columns/meaning.js'

/** The unit of a series: a column's unit (the registry's), or a derived metric's. */
export type SeriesUnit = Unit

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
const DECIMAL = ['', 'k', 'M', 'G', 'T', 'P']

/** A scale for an axis or a table: what to divide by and what to call the result. */
export interface UnitScale {
  divisor: number
  /** 'MiB', 'k objects', 'ms', '' … */
  suffix: string
}

/** The scale that makes `magnitude` read as 1–1023 (bytes) or 1–999 (the rest). */
export function unitScale (magnitude: number, unit: SeriesUnit): UnitScale {
  const m = Math.abs(magnitude)
  if (unit === 'bytes') {
    let i = 0
    while (i < BINARY.length - 1 && m >= 1024 ** (i + 1)) i++
    return { divisor: 1024 ** i, suffix: BINARY[i] }
  }
  if (unit === 'ms' || unit === 's' || unit === 'req/s' || unit === '%') return { divisor: 1, suffix: unit }
  let i = 0
  while (i < DECIMAL.length - 1 && m >= 1000 ** (i + 1)) i++
  const noun = countNoun(unit)
  return { divisor: 1000 ** i, suffix: [DECIMAL[i], noun].filter(Boolean).join(' ') }
}

function countNoun (unit: SeriesUnit): string {
  return unit === 'count' || unit === 'timestamp' ? '' : unit
}

/** Units that are nouns, named in the plural ("objects"): one of them is an "object". */
const NOUN_UNITS: ReadonlySet<SeriesUnit> = new Set(['objects', 'slots', 'pages', 'threads'])

/**
 * The word after a figure in `unit`: "thread" when the figure reads exactly one ("1", not
 * "1.00"), "threads" otherwise; '' for a bare count.
 */
export function unitNoun (figure: string, unit: SeriesUnit): string {
  const noun = countNoun(unit)
  return NOUN_UNITS.has(unit) && /^[-−+]?1$/.test(figure) ? noun.slice(0, -1) : noun
}

/** A count and its noun, singular for exactly one: "1 floor", "3 floors", "12,000 requests", "2 entries". */
export function formatCount (n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${Math.abs(n) === 1 ? noun : plural}`
}

/**
 * A number with `digits` significant-ish decimals: 1.5, 12.3, 512. Without trailing zeros,
 * unless `aligned` (1.50, 12.3, 512: lines of figures then align).
 */
export function formatNumber (value: number, digits = 3, aligned = false): string {
  if (!Number.isFinite(value)) return String(value)
  if (value === 0) return aligned ? (0).toFixed(digits - 1) : '0'
  const a = Math.abs(value)
  const decimals = a >= 100 ? 0 : a >= 10 ? Math.max(0, digits - 2) : a >= 1 || aligned ? Math.max(0, digits - 1) : Math.min(6, digits - 1 - Math.floor(Math.log10(a)))
  const text = value.toFixed(decimals)
  return aligned ? text : trimZeros(text)
}

function trimZeros (text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/** 1536 → "1.5 KiB"; 0 → "0 B". */
export function formatBytes (bytes: number, digits = 3): string {
  const s = unitScale(bytes, 'bytes')
  return `${formatNumber(bytes / s.divisor, digits)} ${s.suffix}`
}

/** A value in its unit, scaled for reading: "412 MiB", "1.2 M objects", "3.4 ms". */
export function formatValue (value: number, unit: SeriesUnit, digits = 3, aligned = false): string {
  const s = unitScale(value, unit)
  const figure = formatNumber(value / s.divisor, digits, aligned)
  const suffix = s.divisor === 1 && NOUN_UNITS.has(unit) ? unitNoun(figure, unit) : s.suffix
  return `${figure}${suffix ? ` ${suffix}` : ''}`
}

/**
 * An amount in words, for sentences: bytes scaled in 1024s (10.2 KiB), anything else counted
 * exactly with thousands separators and its noun (1,250 objects, 1 thread).
 */
export function formatAmount (value: number, unit: SeriesUnit, digits = 3): string {
  if (!Number.isFinite(value)) return '?'
  if (unit === 'bytes') return formatBytes(value, digits)
  const figure = significant(value, digits)
  const noun = unitNoun(figure, unit)
  return `${figure}${noun ? ` ${noun}` : ''}`
}

/** `digits` significant digits, without exponent notation, with thousands separators. */
export function significant (value: number, digits = 3): string {
  if (value === 0) return '0'
  const abs = Math.abs(value)
  const decimals = Math.max(0, Math.min(6, digits - 1 - Math.floor(Math.log10(abs))))
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: decimals })
}

/** 42 → "42 s", 200 → "3 min 20 s", 5400 → "1 h 30 min". */
export function formatDuration (seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds)
  const sign = seconds < 0 ? '-' : ''
  const s = Math.abs(seconds)
  if (s < 60) return `${sign}${formatNumber(s, s < 10 ? 2 : 3)} s`
  const total = Math.round(s)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const rest = total % 60
  if (h === 0) return `${sign}${m} min${rest ? ` ${rest} s` : ''}`
  return `${sign}${h} h${m ? ` ${m} min` : ''}`
}

/** An axis clock label: "0:45", "12:30", "1:05:00". */
/** What formatClock's figures are, for an axis whose values go up to `seconds`: "m:ss" or "h:mm:ss". */
export function clockFormat (seconds: number): string {
  return seconds >= 3600 ? 'h:mm:ss' : 'm:ss'
}

export function formatClock (seconds: number): string {
  const sign = seconds < 0 ? '-' : ''
  const total = Math.round(Math.abs(seconds))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const two = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${sign}${h}:${two(m)}:${two(s)}` : `${sign}${m}:${two(s)}`
}

/** A rate in words: "10.2 KiB/request", "1,250 objects/h". */
export function formatRate (value: number, unit: SeriesUnit, per: string): string {
  return `${formatAmount(value, unit)}/${per}`
}

/** A figure with its sign always shown: "+1.2 MiB", "−3 objects"; `aligned` keeps trailing zeros (bisect's columns). */
export function formatSigned (value: number, unit: SeriesUnit, digits = 3, aligned = false): string {
  return withSign(value, formatValue(value, unit, digits, aligned))
}

function withSign (value: number, text: string): string {
  return value > 0 ? `+${text}` : text.replace(/^-/, '−')
}

/** An estimate and its interval in one unit scale: "+10.2 KiB/request (9.8 … 10.6, 95%)". */
export function formatEstimate (e: { value: number; low: number; high: number; level: number }, unit: SeriesUnit, per: string): string {
  const magnitude = Math.max(Math.abs(e.value), Math.abs(e.low), Math.abs(e.high))
  const s = unitScale(magnitude, unit)
  const n = (v: number) => withSign(v, formatNumber(v / s.divisor))
  const suffix = s.suffix ? ` ${s.suffix}` : ''
  return `${n(e.value)}${suffix}/${per} (${n(e.low)} … ${n(e.high)}, ${Math.round(e.level * 100)}%)`
}

/** Ticks at 1, 2 or 5 × 10ⁿ (in the scaled unit) covering [min, max], about `count` of them. */
export function niceTicks (min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (max < min) [min, max] = [max, min]
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1
    min -= pad
    max += pad
  }
  const step = niceStep((max - min) / Math.max(1, count))
  const first = Math.ceil(min / step - 1e-9) * step
  const ticks: number[] = []
  for (let v = first; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)))
  return ticks
}

export function niceStep (raw: number): number {
  if (!(raw > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(raw))
  const f = raw / power
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]

/** Ticks for a time axis in seconds: at whole seconds, minutes or hours. */
export function timeTicks (min: number, max: number, count = 6): number[] {
  const span = Math.max(max - min, 1e-9)
  if (span < count) return niceTicks(min, max, count)
  const step = TIME_STEPS.find((s) => span / s <= count) ?? niceStep(span / count)
  const ticks: number[] = []
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) ticks.push(v)
  return ticks
}

/** Ticks and their labels for a value axis in `unit`: the labels are in one scale, named by `suffix`. */
export function valueAxis (min: number, max: number, unit: SeriesUnit, count = 5): { ticks: number[]; labels: string[]; suffix: string } {
  const s = unitScale(Math.max(Math.abs(min), Math.abs(max)), unit)
  const ticks = niceTicks(min / s.divisor, max / s.divisor, count)
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  return {
    ticks: ticks.map((t) => t * s.divisor),
    labels: ticks.map((t) => t.toFixed(decimals)),
    suffix: s.suffix
  }
}

/** Milliseconds with microsecond resolution, so that a fast endpoint never reads "0 ms" (siege's figures). */
export function ms (value: number): string {
  if (value >= 100) return value.toFixed(1)
  return value.toFixed(3)
}

/** Bytes as MiB with two decimals (siege's figures). */
export function mib (bytes: number): string {
  return (bytes / 1048576).toFixed(2)
}
