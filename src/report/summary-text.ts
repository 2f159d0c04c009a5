import type { RunSummary } from '../recorder/summary-json.js'
import { mib, ms } from '../units/format.js'
import { stubLine } from './stub-line.js'
import { extensionLines } from './extension-lines.js'
import { latencyFigures, rateLines } from './rate-lines.js'

/**
 * siege's summary block, label for label (4.1's layout: times in ms), then what siege can't
 * say: percentiles, status codes, errors by kind and a per-endpoint table.
 */
export function summaryText (s: RunSummary): string {
  const num = (v: number) => pad(v.toFixed(2), 12)
  const int = (v: number) => pad(v, 12)
  const lines = [
    '',
    `Transactions:\t\t${int(s.transactions)} hits`,
    `Availability:\t\t${num(s.availability_percent)} %`,
    `Elapsed time:\t\t${num(s.elapsed_s)} secs`,
    `Data transferred:\t${pad(mib(s.data_transferred_bytes), 12)} MB`,
    `Response time:\t\t${pad(ms(s.response_time_ms), 12)} ms`,
    `Transaction rate:\t${num(s.transaction_rate_per_s)} trans/sec`,
    `Throughput:\t\t${pad(mib(s.throughput_bytes_per_s), 12)} MB/sec`,
    `Concurrency:\t\t${num(s.concurrency)}`,
    `Successful transactions:${int(s.successful_transactions)}`,
    `Failed transactions:\t${int(s.failed_transactions)}`,
    `Longest transaction:\t${pad(ms(s.longest_ms), 12)} ms`,
    `Shortest transaction:\t${pad(ms(s.shortest_ms), 12)} ms`,
    '',
    `Latency (ms):\t${latencyFigures(s.latency)}${s.rate ? '   (from each scheduled start: coordinated omission corrected)' : ''}`,
    ...(s.rate ? rateLines(s.rate, pad) : []),
    `Status codes:\t${Object.entries(s.status_codes).map(([code, n]) => `${code}: ${n}`).join('   ') || 'none'}`
  ]
  const errors = Object.entries(s.errors).filter(([, n]) => n > 0)
  if (errors.length > 0) lines.push(`Errors:\t\t${errors.map(([kind, n]) => `${kind}: ${n}`).join('   ')}`)
  for (const stub of s.stubs ?? []) lines.push(`Stub:\t\t${stubLine(stub)}`)
  for (const e of s.events) lines.push(`Target:\t\t${e.type} at ${e.time}: pid ${e.pid} ${e.detail}`)
  // Older summaries lack the figure.
  if (s.in_flight_at_end > 0) lines.push(`In flight at end:\t${int(s.in_flight_at_end)} (no answer yet when the run stopped; aborted, counted nowhere above)`)
  if (s.extension) lines.push(...extensionLines(s.extension).map((line, i) => `${i === 0 ? 'Until decided:' : ''}\t${line}`))
  if (s.interrupted) lines.push('Interrupted:\tyes (the figures cover the run until the interruption)')
  lines.push('', endpointTable(s), '', `Results:\t${s.results_dir}`, '')
  return lines.join('\n')
}

function endpointTable (s: RunSummary): string {
  const rows = [...s.endpoints].sort((a, b) => b.transactions + b.failed - (a.transactions + a.failed))
  const width = Math.max(8, ...rows.map((r) => r.endpoint.length))
  const header = `${'Endpoint'.padEnd(width)}  ${pad('Trans', 9)}  ${pad('Failed', 7)}  ${pad('p50 ms', 9)}  ${pad('p99 ms', 9)}  ${pad('max ms', 9)}`
  return [header, ...rows.map((r) =>
    `${r.endpoint.padEnd(width)}  ${pad(r.transactions, 9)}  ${pad(r.failed, 7)}  ${pad(ms(r.latency.p50_ms), 9)}  ${pad(ms(r.latency.p99_ms), 9)}  ${pad(ms(r.latency.max_ms), 9)}`
  )].join('\n')
}

function pad (text: string | number, width: number): string {
  return String(text).padStart(width)
}
