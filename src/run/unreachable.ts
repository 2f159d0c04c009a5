/**
 * A run that reaches nothing stops early: a mistyped host or a target that isn't up would
 * otherwise be "load-tested" for the whole run (siege's default has no end), every request
 * failing. The rule needs both a count and a time, so that neither a fast machine (hundreds of
 * refusals in the first 100 ms) nor a slow one (a few DNS failures in seconds) decides on too
 * little: no answer at all, every failure a refused connection or a failed name lookup,
 * at least UNREACHABLE_REQUESTS of them and UNREACHABLE_SECONDS since the start.
 */
import type { RunStats } from '../counters/run-stats.js'
import { formatCount } from '../units/format.js'

export const UNREACHABLE_REQUESTS = 20
export const UNREACHABLE_SECONDS = 3

/** Why the run should stop now, or undefined while it may have reached its target. */
export function unreachable (stats: RunStats, elapsedS: number): string | undefined {
  if (elapsedS < UNREACHABLE_SECONDS || stats.transactions > 0) return undefined
  const { refused, dns } = stats.errors
  const failed = Object.values(stats.errors).reduce((a, b) => a + b, 0)
  if (refused + dns < UNREACHABLE_REQUESTS || refused + dns < failed) return undefined
  const how = [refused > 0 ? formatCount(refused, 'connection refused', 'connections refused') : '', dns > 0 ? formatCount(dns, 'name lookup failed', 'name lookups failed') : ''].filter(Boolean).join(', ')
  return `stopped after ${elapsedS.toFixed(1)} s: not one of ${formatCount(failed, 'request')} was answered (${how}); check the URL, or start the target first (target.command or --cmd starts it for you)`
}
