import type { StubSummary } from '../recorder/summary-json.js'
import { ms } from '../units/format.js'

/** One stub's figures in a line, for the printed summary and report.html. */
export function stubLine (s: StubSummary): string {
  const what = s.upstream ? `${s.mode}, reverse proxy to ${s.upstream}` : `${s.mode}, forward proxy`
  const parts = [`${s.hits} replayed`, `${s.rule_hits} by rules`, `${s.misses} unmatched`, `${s.passed_through} passed through`]
  if (s.recorded > 0) parts.push(`${s.recorded} recorded`)
  if (s.refused > 0) parts.push(`${s.refused} refused`)
  return `${s.url} (${what}): ${s.requests} requests: ${parts.join(', ')}; p50 ${ms(s.latency.p50_ms)} ms, p99 ${ms(s.latency.p99_ms)} ms, max ${ms(s.latency.max_ms)} ms`
}
