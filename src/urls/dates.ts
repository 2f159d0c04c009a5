import { ConfigError } from '../errors.js'

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11
}

// The time of the common log format: `10/Oct/2000:13:55:36 -0700`, brackets optional.
const CLF_TIME = /^\[?(\d{1,2})\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?: ?([+-])(\d\d):?(\d\d))?\]?$/
// ISO 8601 as logs and people write it: a date, optionally a time (T or space), optionally an offset.
const ISO_TIME = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)?$/i

/** Milliseconds since the epoch for a CLF time, or NaN. */
export function parseClfTime (text: string): number {
  const m = CLF_TIME.exec(text)
  if (m === null) return NaN
  const month = MONTHS[m[2].toLowerCase()]
  if (month === undefined) return NaN
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'))
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), ms)
  if (m[8] === undefined) return utc
  const offset = (Number(m[9]) * 60 + Number(m[10])) * 60_000
  return m[8] === '+' ? utc - offset : utc + offset
}

/** Milliseconds since the epoch for an ISO 8601 time, or NaN. Without an offset, a date-time is local time (as in JavaScript). */
export function parseIsoTime (text: string): number {
  if (!ISO_TIME.test(text)) return NaN
  let normalized = text.replace(' ', 'T').replace(',', '.')
  // Date.parse wants +hh:mm; logs also write +hhmm and +hh.
  normalized = normalized.replace(/([+-]\d\d)(\d\d)$/, '$1:$2').replace(/([T].*[+-]\d\d)$/, '$1:00')
  return Date.parse(normalized)
}

/**
 * A log's time field, whatever its style: ISO 8601, CLF, or a number of seconds
 * (or milliseconds, microseconds, nanoseconds, told apart by size) since the epoch.
 */
export function parseLogTime (value: unknown): number {
  if (typeof value === 'number') return epochToMs(value)
  if (typeof value !== 'string' || value === '') return NaN
  const first = value.charCodeAt(0)
  if (first === 0x5b /* [ */) return parseClfTime(value)
  if (/^\d+(\.\d+)?$/.test(value)) return epochToMs(Number(value))
  const iso = parseIsoTime(value)
  return Number.isNaN(iso) ? parseClfTime(value) : iso
}

function epochToMs (n: number): number {
  if (!Number.isFinite(n)) return NaN
  if (n < 1e11) return n * 1000 // seconds
  if (n < 1e14) return n // milliseconds
  if (n < 1e17) return n / 1000 // microseconds
  return n / 1e6 // nanoseconds
}

/** --since/--until: ISO 8601 or `[10/Oct/2000:13:55:36 -0700]`. */
export function parseDateOption (option: string, text: string): number {
  const trimmed = text.trim()
  const ms = trimmed.startsWith('[') || /^\d{1,2}\//.test(trimmed) ? parseClfTime(trimmed) : parseIsoTime(trimmed)
  if (Number.isNaN(ms)) {
    throw new ConfigError(`${option} "${text}": not a date (write ISO 8601, 2024-05-01T13:00:00+02:00, or the log's [01/May/2024:13:00:00 +0200])`)
  }
  return ms
}
