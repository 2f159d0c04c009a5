import type { IntervalFigures, RunStats } from '../counters/run-stats.js'
import type { Cell } from '../sampler/types.js'

/** The load half of a samples.csv row; counts are running totals, rps and percentiles are the interval's. */
export const LOAD_COLUMNS = ['time', 'elapsed_s', 'requests', 'errors', 'rps', 'p50_ms', 'p99_ms', 'bytes'] as const

export function loadCells (now: Date, elapsedS: number, intervalS: number, stats: RunStats, interval: IntervalFigures): Cell[] {
  const empty = interval.latency.totalCount === 0
  return [
    now.toISOString(),
    round(elapsedS, 3),
    stats.completed,
    stats.failed,
    intervalS > 0 ? round(interval.requests / intervalS, 1) : 0,
    empty ? undefined : interval.latency.getValueAtPercentile(50) / 1000,
    empty ? undefined : interval.latency.getValueAtPercentile(99) / 1000,
    stats.bytes
  ]
}

function round (value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
