import type { StubSummary } from '../recorder/summary-json.js'
import { formatCount, ms } from '../units/format.js'

/** One stub's figures in a line, for the printed summary and report.html. */
export function stubLine (s: StubSummary): string {
  const what = s.upstream ? `${s.mode}, reverse proxy to ${s.upstream}` : `${s.mode}, forward proxy`
  const n = (count: number): string => count.toLocaleString('en-US')
  const parts = [`${n(s.hits)} replayed`, `${n(s.rule_hits)} by rules`, `${n(s.misses)} unmatched`, `${n(s.passed_through)} passed through`]
  if (s.recorded > 0) parts.push(`${n(s.recorded)} recorded`)
  if (s.refused > 0) parts.push(`${n(s.refused)} refused`)
  return `${s.url} (${what}): ${formatCount(s.requests, 'request')}: ${parts.join(', ')}; p50 ${ms(s.latency.p50_ms)} ms, p99 ${ms(s.latency.p99_ms)} ms, max ${ms(s.latency.max_ms)} ms`
}
