/** The `Source:` block printed under the verdict: the sites that grew, or why none is named. */
import { formatBytes, formatNumber } from '../units/format.js'
import type { SourceSummary } from './types.js'

export function sourceText (source: SourceSummary): string {
  const lines = [`Source:\t\t${source.method}; requests ${source.requests.first.toLocaleString('en-US')} → ${source.requests.last.toLocaleString('en-US')} compared`]
  if (source.sites.length === 0) lines.push(`  ${source.note ?? 'no allocation site grew'}`)
  for (const s of source.sites) {
    const objects = s.count_per_1000_requests !== undefined ? `, ${formatNumber(s.count_per_1000_requests)} objects` : ''
    const share = s.share !== undefined ? `${Math.round(s.share * 100)}% of the growth` : 'share unknown'
    lines.push(`  ${formatBytes(s.bytes_per_1000_requests).padStart(10)}/1k req${objects}  ${share.padEnd(18)}  ${s.site}`)
  }
  return lines.join('\n') + '\n'
}
