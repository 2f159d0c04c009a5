import type { RunSummary } from '../recorder/summary-json.js'
import { ms } from '../units/format.js'

/** p50 … max of one latency histogram, on one line. */
export function latencyFigures (l: RunSummary['latency']): string {
  return `p50 ${ms(l.p50_ms)}   p90 ${ms(l.p90_ms)}   p99 ${ms(l.p99_ms)}   p99.9 ${ms(l.p999_ms)}   max ${ms(l.max_ms)}`
}

/**
 * A fixed-rate run's block of the text summary: whether the schedule was kept, and the latency a
 * closed-loop tool would have shown beside the corrected one (the summary's main latency line).
 */
export function rateLines (rate: NonNullable<RunSummary['rate']>, pad: (text: string, width: number) => string): string[] {
  const share = rate.asked_per_s > 0 ? ` (${(100 * rate.achieved_per_s / rate.asked_per_s).toFixed(1)} % of asked)` : ''
  return [
    `Rate asked:\t\t${pad(rate.asked_per_s.toFixed(2), 12)} req/sec`,
    `Rate achieved:\t\t${pad(rate.achieved_per_s.toFixed(2), 12)} req/sec${share}`,
    `Late starts:\t\t${pad(String(rate.late_starts), 12)} (due with maxInFlight = ${rate.max_in_flight} already waiting: sent late, none dropped)`,
    `Raw latency (ms):\t${latencyFigures(rate.latency_raw)}   (from the send, as a closed-loop tool reports it)`
  ]
}
