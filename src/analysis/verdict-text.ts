/**
 * The verdict as plain text: printed after the run's summary, and by `memsiege analyze`.
 *
 *   Memory:  LEAK (object leak)
 *   Leak: gc.memoryUsage.heapUsed grows 10 KiB/request, ...
 *   Next: ...
 *
 *     Metric                   Verdict       Growth/request (95% CI)     Growth/hour   p        Early → late /request   Warm-up left out
 *   * gc.memoryUsage.heapUsed  leak          10 KiB (10 KiB to 10.1 KiB)  43.5 GiB/h     <0.0001  10.3 KiB → 10.4 KiB       2,701 requests, 1.9 s
 */
import type { MetricVerdict, RunVerdict, SegmentVerdict } from './types.js'
import { formatAmount, significant } from '../units/format.js'
import { formatP, moreRequestsText } from './verdict-words.js'
import { axisWords, type AxisWords } from './x-axis.js'
import { MIN_WINDOWS } from './floors.js'
import { VERDICT_ORDER } from './attribution.js'
import { ROLE_WORDS } from '../columns/index.js'

const LABEL: Record<RunVerdict['attribution'], string> = {
  'object-leak': 'object leak',
  'native-or-fragmentation': 'native memory or fragmentation',
  'thread-leak': 'thread leak',
  'allocator-warmup': 'allocator warm-up',
  none: '',
}

export function verdictText (v: RunVerdict): string {
  const lines: string[] = []
  const label = LABEL[v.attribution]
  lines.push(`Memory:\t\t${v.verdict.toUpperCase()}${label ? ` (${label})` : ''}`)
  lines.push(v.summary)
  if (v.hint) lines.push(`Next: ${nextStep(v.hint)}`)
  lines.push('')
  lines.push(...table(v.metrics, v.verdict, axisWords(v.x_axis)))
  const decides = v.metrics.some((m) => m.decides) ? '* decides the verdict. ' : ''
  lines.push(`${decides}Warm-up: ${String(v.settings.warmup ?? 'auto')}; trend test Mann–Kendall (Hamed–Rao corrected) on window floors, p < ${String(v.settings.alpha)} to count; the rate by thirds tells a leak (it holds) from settling (it bends); flat below ${+(Number(v.settings.flat_fraction) * 100).toFixed(2)}% of the starting level.`)
  if (v.recognised?.length) lines.push(`Recognised: ${v.recognised.map((r) => `${ROLE_WORDS[r.role]}: ${r.column} (${r.source})`).join('; ')}`)
  for (const note of v.notes ?? []) lines.push(`Note: ${note}`)
  for (const b of v.breaches) lines.push(`Breach: ${b}`)
  return lines.join('\n') + '\n'
}

function nextStep (hint: string): string {
  const i = hint.indexOf('Next, ')
  return i < 0 ? hint : hint.slice(i + 'Next, '.length).replace(/^./, (c) => c.toUpperCase())
}

function header (axis: AxisWords): string[] {
  return ['Metric', 'Verdict', `Growth/${axis.tableUnit} (95% CI)`, 'Growth/hour', 'p', `Early → late /${axis.tableUnit}`, 'Warm-up left out']
}

function table (all: readonly MetricVerdict[], overall: RunVerdict['verdict'], axis: AxisWords): string[] {
  const names = header(axis)
  // A non-deciding series with too few readings to say anything (pss_bytes on a short run) is
  // only noise in the table; it stays in the JSON.
  const metrics = all.filter((m) => m.decides !== false || !m.segments.every((s) => s.windows < MIN_WINDOWS))
  const rows: string[][] = []
  for (const m of metrics) {
    rows.push(row(m, `${m.decides ? '* ' : '  '}${m.metric}`, m.verdict, m.per_request, m.per_hour, m.p_value, m.segments.length === 1 ? m.segments[0] : undefined, axis))
    if (m.segments.length > 1) {
      m.segments.forEach((s, i) => rows.push(row(m, `    segment ${i + 1} (rows ${s.rows[0]}–${s.rows[1] - 1})`, s.verdict, s.per_request, s.per_hour, s.p_value, s, axis)))
    }
  }
  const widths = names.map((h, i) => Math.max(h.length + (i === 0 ? 2 : 0), ...rows.map((r) => r[i].length)))
  const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()
  const out = [fmt(['  ' + names[0], ...names.slice(1)]), ...rows.map(fmt)]
  // The reasons, one line each, under the table: the table says what, these say why. Those of
  // the deciding metrics, and of any other that reads worse than the run, with why it doesn't count.
  const parts = all.filter((m) => m.decides && m.role !== 'threads' && m.role !== 'rss').map((m) => m.metric)
  for (const m of metrics) {
    const reason = m.reason ?? m.segments[0]?.reason
    if (!reason) continue
    const worse = VERDICT_ORDER[m.verdict] > VERDICT_ORDER[overall]
    if (m.decides === false && !worse) continue
    const more = m.more_requests ? ` ${moreRequestsText(m.more_requests, axis)}` : ''
    const aside = m.decides !== false
      ? ''
      : m.role === 'rss' && parts.length > 0
        ? `; reported, not deciding: RSS is the runtime heap plus the memory outside it, judged apart (${parts.join(', ')})`
        : '; reported, not deciding'
    out.push(`  ${m.metric}: ${reason}${more}${aside}`)
  }
  return out
}

function row (m: MetricVerdict, name: string, verdict: string, perRequest: MetricVerdict['per_request'], perHour: MetricVerdict['per_hour'], p: number | undefined, seg: SegmentVerdict | undefined, axis: AxisWords): string[] {
  // Bytes carry their unit in each figure (KiB, MiB); counts get theirs once, at the end.
  const bytes = m.unit === 'bytes'
  const amount = (perX: number) => {
    const x = perX * axis.tableFactor
    return bytes ? formatAmount(x, m.unit) : significant(x, 3)
  }
  const unit = bytes || m.unit === 'count' ? '' : ` ${m.unit}`
  const growth = perRequest ? `${amount(perRequest.value)} (${amount(perRequest.low)} to ${amount(perRequest.high)})${unit}` : '-'
  const hour = perHour ? `${formatAmount(perHour.value, m.unit)}/h` : '-'
  const slopes = seg && seg.early_per_request !== undefined && seg.late_per_request !== undefined ? `${amount(seg.early_per_request)} → ${amount(seg.late_per_request)}${unit}` : '-'
  const warm = axis.time
    ? m.segments.map((s) => `${significant(s.warmup.elapsed_s, 3)} s`).join(' + ')
    : seg
      ? `${axis.span(seg.warmup.requests)}, ${significant(seg.warmup.elapsed_s, 3)} s`
      : axis.stretch === 'requests' ? m.segments.map((s) => `${s.warmup.requests.toLocaleString('en-US')}`).join(' + ') + ' requests' : m.segments.map((s) => axis.span(s.warmup.requests)).join(' + ')
  return [name, verdict, growth, hour, p === undefined ? '-' : formatP(p).replace('< ', '<'), slopes, warm]
}
