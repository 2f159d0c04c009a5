import type { RunStats } from './run-stats.js'

/** siege's summary block, computed as siege does (siege-spec §3.3), with the unit in every name. */
export interface SiegeFigures {
  transactions: number
  availability_percent: number
  elapsed_s: number
  data_transferred_bytes: number
  response_time_ms: number
  transaction_rate_per_s: number
  throughput_bytes_per_s: number
  concurrency: number
  successful_transactions: number
  failed_transactions: number
  longest_ms: number
  shortest_ms: number
  /** Requests still waiting for their response when the run stopped: aborted, in no other figure. */
  in_flight_at_end: number
}

export function siegeFigures (stats: RunStats, elapsedS: number): SiegeFigures {
  const { transactions, failed } = stats
  const sumMs = stats.responseTimeSumUs / 1000
  return {
    transactions,
    availability_percent: transactions === 0 ? 0 : (transactions / (transactions + failed)) * 100,
    elapsed_s: elapsedS,
    data_transferred_bytes: stats.bytes,
    response_time_ms: transactions === 0 ? 0 : sumMs / transactions,
    transaction_rate_per_s: elapsedS > 0 ? transactions / elapsedS : 0,
    throughput_bytes_per_s: elapsedS > 0 ? stats.bytes / elapsedS : 0,
    concurrency: elapsedS > 0 ? sumMs / 1000 / elapsedS : 0,
    successful_transactions: stats.successful,
    failed_transactions: failed,
    longest_ms: stats.longestUs / 1000,
    shortest_ms: stats.shortestUs === Infinity ? 0 : stats.shortestUs / 1000,
    in_flight_at_end: stats.inFlightAtEnd
  }
}
