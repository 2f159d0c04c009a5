import { latencyPercentiles, type LatencyPercentiles } from './latency-histogram.js'
import type { RunStats } from './run-stats.js'

/** A fixed-rate run's own figures; the summary's `latency` is then measured from each scheduled start. */
export interface RateFigures {
  asked_per_s: number
  /** Requests answered (or failed) per second, from the schedule's start to the end of the run. */
  achieved_per_s: number
  /** Scheduled starts that found `max_in_flight` requests waiting, and went out late. */
  late_starts: number
  max_in_flight: number
  /** From the actual send: what a closed-loop tool would report (coordinated omission). */
  latency_raw: LatencyPercentiles
}

export function rateFigures (stats: RunStats, endedAt: Date, asked: number, maxInFlight: number): RateFigures {
  const spanS = (endedAt.getTime() - stats.pacedFromMs) / 1000
  return {
    asked_per_s: asked,
    achieved_per_s: spanS > 0 && Number.isFinite(spanS) ? stats.completed / spanS : 0,
    late_starts: stats.lateStarts,
    max_in_flight: maxInFlight,
    latency_raw: latencyPercentiles(stats.rawLatency)
  }
}
