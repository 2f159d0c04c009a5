/**
 * The time range and step of a fleet analysis (--since, --until, --step) as the grid every query
 * is read on. Aligned to the step, so that the same flags a little later read the same steps.
 */
import { parseDuration } from '../units/duration.js'
import { formatCount } from '../units/format.js'
import { ConfigError } from '../errors.js'
import type { Grid } from './prom-range.js'

/** Points per series memsiege reads at most: 7 days at 6 s. Beyond, the step is too small for the range. */
export const MAX_POINTS_PER_SERIES = 100_000

export interface RangeFlags {
  since: string
  until?: string
  step?: string
}

/** `now` in seconds since the epoch. Throws ConfigError naming the flag. */
export function fleetGrid (flags: RangeFlags, now: number): Grid {
  const step = durationFlag('--step', flags.step ?? '15s')
  if (step <= 0) throw new ConfigError('--step: must be more than 0')
  const until = flags.until === undefined ? now : instantFlag('--until', flags.until, now)
  const since = instantFlag('--since', flags.since, until)
  if (since >= until) throw new ConfigError(`--since ${flags.since}: must be before --until (${new Date(until * 1000).toISOString()})`)
  const start = Math.floor(since / step) * step
  const steps = Math.floor((until - start) / step) + 1
  if (steps > MAX_POINTS_PER_SERIES) {
    const least = Math.ceil((until - start) / (MAX_POINTS_PER_SERIES - 1))
    throw new ConfigError(`--step ${flags.step ?? '15s'}: too small for the range (${formatCount(steps, 'point')} per series, at most ${formatCount(MAX_POINTS_PER_SERIES, 'point')}); use --step ${least}s or more`)
  }
  return { start, step, steps }
}

/** Seconds in a duration flag; ConfigError naming the flag. */
export function durationFlag (flag: string, text: string): number {
  try {
    return parseDuration(text)
  } catch (err) {
    throw new ConfigError(`${flag}: ${(err as Error).message}`)
  }
}

/** A time: a duration before `from` (3d, 90m), an ISO time, or seconds since the epoch. */
function instantFlag (flag: string, text: string, from: number): number {
  if (/^\d{9,}(\.\d+)?$/.test(text.trim())) return Number(text)
  if (/^\d{4}-\d\d-\d\d/.test(text.trim())) {
    const t = Date.parse(text)
    if (Number.isNaN(t)) throw new ConfigError(`${flag} ${text}: not a time (2026-12-01T10:00:00Z) nor a duration ago (3d)`)
    return t / 1000
  }
  return from - durationFlag(flag, text)
}
