/** report.html's table of the sites `--find-source` named, with their stacks. */
import { html, type SafeHtml } from './html/escape.js'
import { formatBytes, formatNumber } from '../units/format.js'
import type { SourceSummary } from '../source/types.js'

export function sourceSection (source: SourceSummary | undefined): SafeHtml {
  if (!source) return html``
  return html`<section id="source"><h2>Source</h2>
    <p class="note">${source.method}; requests ${source.requests.first.toLocaleString('en-US')} → ${source.requests.last.toLocaleString('en-US')} compared.</p>
    ${source.sites.length === 0 ? html`<p class="muted">${source.note ?? 'No allocation site grew.'}</p>` : sourceTable(source)}
  </section>`
}

function sourceTable (source: SourceSummary): SafeHtml {
  return html`<table class="metrics">
    <thead><tr><th>site</th><th class="num">per 1k requests</th><th class="num">share</th></tr></thead>
    <tbody>${source.sites.map((s) => html`<tr><td><details><summary><code>${s.site}</code></summary>${s.stacks.map((stack) => html`<pre>${stack.join('\n')}</pre>`)}</details></td><td class="num">${formatBytes(s.bytes_per_1000_requests)}${s.count_per_1000_requests !== undefined ? html`<br><span class="muted">${formatNumber(s.count_per_1000_requests)} objects</span>` : ''}</td><td class="num">${s.share !== undefined ? `${Math.round(s.share * 100)}%` : '–'}</td></tr>`)}</tbody>
  </table>`
}
