import type { SegmentVerdict, SeriesVerdict } from '../analysis/types.js'
import { memoryModel, type MemoryModel } from './memory-model.js'
import type { ReportInput, TimelineEvent } from './report-input.js'
import { svgChart, type SvgLine } from './svg-chart.js'
import { formatCount, formatDuration, formatEstimate } from '../units/format.js'
import { axisWords, clockLabel } from '../analysis/x-axis.js'

export const VERDICT_COLORS: Record<SeriesVerdict, string> = {
  leak: '#c62828',
  inconclusive: '#b26a00',
  settling: '#00838f',
  plateau: '#1565c0',
  flat: '#2e7d32'
}

export const SERIES_COLORS = {
  rss: '#1f5fbf',
  floor: '#0b2f66',
  fit: '#d81b60',
  objects: '#2e9d4a'
}

/** "target exited (pid 123)", for a marker. */
export function eventLabel (e: TimelineEvent): string {
  return e.type === 'target_exited' ? `pid ${e.pid} exited` : `restarted: pid ${e.pid}`
}

/** The longest segment (by requests) of a metric: the one a single figure should come from. */
export function mainSegment (segments: readonly SegmentVerdict[]): SegmentVerdict | undefined {
  let best: SegmentVerdict | undefined
  for (const s of segments) if (!best || s.requests[1] - s.requests[0] > best.requests[1] - best.requests[0]) best = s
  return best
}

/**
 * The requests of a run in a few words; a watch sent none: the requests the app's counter
 * counted while it watched, or on the CPU-time axis the target's CPU time, or on the time axis
 * only that it watched.
 */
export function loadFact (input: ReportInput): string {
  const { summary } = input
  if (summary.x_axis === undefined) return formatCount(summary.transactions + summary.failed_transactions, 'request')
  const axis = axisWords(summary.x_axis)
  if (axis.time) return 'watched (no request counter: the x axis is time)'
  if (axis.stretch === 'work') return `watched (no request counter: the x axis is the target's CPU time, ${axis.span(input.series.requests.at(-1) ?? 0)})`
  const counted = input.series.requests.at(-1) ?? 0
  return `${formatCount(Math.round(counted), 'request')} counted by the app`
}

/** memory.svg: the report's main chart, static (RSS, its floor and fitted line; objects on the right axis; events). */
export function memorySvg (input: ReportInput, model: MemoryModel = memoryModel(input, 1500)): string {
  const { summary } = input
  const verdict = summary.verdict
  const lines: SvgLine[] = []
  // drawn in this order: the objects under RSS
  if (model.objects) lines.push({ label: model.objects.label, axis: model.rss ? 'right' : 'left', color: SERIES_COLORS.objects, kind: 'line', width: 1.2, points: model.x.map((x, i) => [x, model.objects!.values[i]] as const) })
  if (model.rss) lines.push({ label: 'RSS', axis: 'left', color: SERIES_COLORS.rss, kind: 'line', points: model.x.map((x, i) => [x, model.rss!.values[i]] as const) })
  if (model.floor.length) lines.push({ label: 'RSS floor', axis: 'left', color: SERIES_COLORS.floor, kind: 'dots', points: model.floor })
  model.fits.forEach((fit, i) => lines.push({ label: 'fitted line', axis: 'left', color: SERIES_COLORS.fit, kind: 'dashed', width: 2, points: fit, ...(i > 0 ? { legend: false as const } : {}) }))

  const title = verdict
    ? `${summary.name}: ${verdict.verdict}${verdict.attribution !== 'none' ? ` (${verdict.attribution})` : ''}`
    : `${summary.name}: not analysed`
  const facts: string[] = []
  const seg = model.rssVerdict ? mainSegment(model.rssVerdict.segments) : undefined
  const axis = axisWords(summary.x_axis)
  if (seg?.per_request) facts.push(`RSS ${axis.stretch !== 'requests' ? `${axis.rate(seg.per_request.value, 'bytes')} (${axis.rate(seg.per_request.low, 'bytes')} to ${axis.rate(seg.per_request.high, 'bytes')})` : formatEstimate(seg.per_request, 'bytes', 'request')}`)
  else if (model.rssVerdict) facts.push(`RSS: ${model.rssVerdict.verdict}`)
  facts.push(`${loadFact(input)} in ${formatDuration(summary.elapsed_s)}`)
  facts.push(`started ${summary.started_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`)
  const d = model.downsampled
  const note = d.points < d.rows ? `${d.rows} samples drawn as ${d.points} (each bucket of ${d.bucket} keeps its minimum and maximum)` : undefined
  const leftIsRss = !!model.rss
  return svgChart({
    title,
    titleColor: verdict ? VERDICT_COLORS[verdict.verdict] : undefined,
    subtitle: facts.join(' · '),
    x: { label: clockLabel(summary.x_axis), kind: 'time' },
    left: leftIsRss ? { unit: 'bytes', label: 'RSS' } : { unit: model.objects?.unit ?? 'count', label: model.objects?.label ?? 'no memory samples' },
    right: leftIsRss && model.objects ? { unit: model.objects.unit, label: model.objects.label } : undefined,
    lines,
    markers: model.events.map((e) => ({ x: e.elapsed_s, label: eventLabel(e) })),
    note
  })
}
