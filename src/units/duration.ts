/**
 * Durations as people write them in scenarios and on siege's command line.
 *
 *   30s  10m  8h  3d  1.5m  500ms  1h30m   number and unit, or several in a row
 *   30S  10M  1H                           siege's upper-case units
 *   10min  30sec  2hours                   longer unit words
 *   30   "30"                              bare number: seconds in YAML, minutes for siege's -t
 */

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  msec: 0.001,
  msecs: 0.001,
  millisecond: 0.001,
  milliseconds: 0.001,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
}

/** The longest duration accepted: a year. Beyond it a value is a typo (999999h), not a soak. */
export const LONGEST_DURATION_S = 365 * 24 * 3600

const BARE = /^(?:\d+(?:\.\d*)?|\.\d+)$/
const PART = /(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*/giy

/**
 * Seconds in `text`. A bare number (or a string of one) is in `opts.bareUnit`: seconds by default,
 * as in a YAML scenario; minutes for siege's -t. Throws a plain Error whose message says what is
 * wrong (`bad duration "10x": unknown unit "x" (use ms, s, m, h or d)`); the caller adds the place.
 */
export function parseDuration (text: string | number, opts: { bareUnit?: 's' | 'm' } = {}): number {
  const bare = opts.bareUnit === 'm' ? 60 : 1
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw new Error(`bad duration ${text}: not a finite number`)
    if (text < 0) throw new Error(`bad duration ${text}: negative`)
    return withinAYear(round(text * bare), String(text))
  }
  if (typeof text !== 'string') throw new Error(`bad duration: expected a string or a number, got ${typeof text}`)
  const s = text.trim()
  const quoted = JSON.stringify(text)
  if (s === '') throw new Error('bad duration "": empty')
  if (s.startsWith('-')) throw new Error(`bad duration ${quoted}: negative`)
  if (BARE.test(s)) return withinAYear(round(Number(s) * bare), quoted)

  let total = 0
  let at = 0
  PART.lastIndex = 0
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    const unit = m[2].toLowerCase()
    if (unit === '') throw new Error(`bad duration ${quoted}: missing unit after ${m[1]} (use ms, s, m, h or d)`)
    const factor = UNIT_SECONDS[unit]
    if (factor === undefined) throw new Error(`bad duration ${quoted}: unknown unit "${m[2]}" (use ms, s, m, h or d)`)
    total += Number(m[1]) * factor
    at = PART.lastIndex
  }
  if (at === 0 || at < s.length) {
    throw new Error(`bad duration ${quoted}: expected a number and a unit such as 30s, 10m, 8h or 500ms`)
  }
  return withinAYear(round(total), quoted)
}

function withinAYear (seconds: number, shown: string): number {
  if (!(seconds <= LONGEST_DURATION_S)) throw new Error(`bad duration ${shown}: longer than a year, the longest memsiege accepts`)
  return seconds
}

/** Whole microseconds, so that 0.1h is 360 and not 360.00000000000006. */
function round (seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6
}
