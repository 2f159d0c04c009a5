/**
 * A fleet's memory judged instance by instance: each memory series (one label set: a pod, an
 * instance, a container) is analysed as a run's samples would be (analyzeTable, with its
 * segments, warm-up, floors and trend test), on its own x axis: the matching request counter
 * when there is one, else time. The fleet's verdict is the worst instance's.
 */
import { analyzeTable, type AnalysisOptions } from '../analysis/analyze-run.js'
import { chooseMetrics } from '../analysis/metrics.js'
import { summaryText, wordVerdict } from '../analysis/verdict-words.js'
import { worst, VERDICT_ORDER } from '../analysis/attribution.js'
import { axisWords, TIME_AXIS } from '../analysis/x-axis.js'
import type { Estimate, MetricVerdict, SeriesVerdict } from '../analysis/types.js'
import { MAX_WINDOWS, windowFloors } from '../analysis/floors.js'
import { DEFAULT_TREND_SETTINGS } from '../analysis/series-verdict.js'
import type { SamplesTable } from '../analysis/samples-reader.js'
import { instanceTable, type InstanceSeries } from './instance-table.js'
import { leakStartX } from './leak-start.js'
import type { Grid, RangeSeries } from './prom-range.js'
import { matchByLabels } from './match-labels.js'

export interface FleetInput {
  grid: Grid
  memory: readonly RangeSeries[]
  /** The request counters, one per memory series (matched by labels). */
  requests?: readonly RangeSeries[]
  /** process_start_time_seconds, matched by labels. */
  startTimes?: readonly RangeSeries[]
  options: AnalysisOptions
}

export interface InstanceVerdict {
  /** What tells it from the others: the values of the labels that differ across the fleet. */
  instance: string
  labels: Record<string, string>
  verdict: SeriesVerdict
  /** One or two sentences, as `memsiege analyze` says them. */
  summary: string
  per_hour?: Estimate
  /** With a request counter. */
  per_1000_requests?: Estimate
  /** For a leak: when it started (ISO time): the first leaking segment's hinge (leak-start.ts). */
  since?: string
  /** Segments started by a restart (counter reset, new process_start_time_seconds), and by a gap. */
  restarts: number
  gaps: number
  /** First and last reading (ISO). */
  from: string
  to: string
  /** The memory series' analysis, with its segments and floors (for charts). */
  metric?: MetricVerdict
}

export interface FleetVerdict {
  verdict: SeriesVerdict
  /** Worst first, then by growth per hour. */
  instances: InstanceVerdict[]
  x_axis: 'requests' | 'time'
  range: { start: string, end: string, step_s: number }
  /** Why the command exits 4: the instances that leak or breach a limit. */
  breaches: string[]
}

export function judgeFleet (input: FleetInput): FleetVerdict {
  const { grid, memory } = input
  const counters = input.requests ? matchByLabels(memory, input.requests, '--requests') : undefined
  const starts = input.startTimes ? matchByLabels(memory, input.startTimes, '--start-time', { optional: true }) : undefined
  const names = instanceNames(memory.map((m) => m.labels))
  const { metrics } = chooseMetrics(['requests', 'elapsed_s', 'rss_bytes'], ['rss_bytes'])
  const xAxis = counters ? undefined : TIME_AXIS
  const instances = memory.map((m, i): InstanceVerdict => {
    const parts: InstanceSeries = { memory: m.values, ...(counters ? { counter: counters[i]!.values } : {}), ...(starts?.[i] ? { startTime: starts[i]!.values } : {}) }
    const it = instanceTable(parts, grid)
    const iso = (r: number) => new Date(it.time[r]! * 1000).toISOString()
    const base = {
      instance: names[i]!,
      labels: m.labels,
      restarts: it.breaks.filter((b) => b.why === 'restart').length,
      gaps: it.breaks.filter((b) => b.why === 'gap').length,
      from: it.table.rows ? iso(0) : '',
      to: it.table.rows ? iso(it.table.rows - 1) : ''
    }
    const result = analyzeTable(it.table, metrics, it.events, input.options)
    const worded = wordVerdict(xAxis ? { ...result, x_axis: xAxis } : result)
    const metric = worded.metrics[0]
    // Without the run's hint: adding the probe to a run means nothing to an instance in production.
    const summary = summaryText(result.why.summary, undefined, result.verdict, result.scale, axisWords(xAxis))
    const out: InstanceVerdict = { ...base, verdict: worded.verdict, summary, ...(metric ? { metric } : {}) }
    if (metric?.per_hour) out.per_hour = metric.per_hour
    if (counters && metric?.per_request) out.per_1000_requests = scaled(metric.per_request, 1000)
    if (worded.verdict === 'leak' && metric) {
      const since = leakSince(metric, it.table, it.time)
      if (since !== undefined) out.since = new Date(since * 1000).toISOString()
    }
    return out
  })
  instances.sort((a, b) => VERDICT_ORDER[b.verdict] - VERDICT_ORDER[a.verdict] || (b.per_hour?.value ?? -Infinity) - (a.per_hour?.value ?? -Infinity))
  const failOn = input.options.failOn
  const breaches = instances
    .filter((v) => v.verdict === 'leak' || (failOn === 'inconclusive' && v.verdict === 'inconclusive'))
    .map((v) => `${v.instance}: ${v.verdict}`)
  return {
    verdict: instances.length ? worst(instances.map((v) => v.verdict)) : 'inconclusive',
    instances,
    x_axis: counters ? 'requests' : 'time',
    range: { start: new Date(grid.start * 1000).toISOString(), end: new Date((grid.start + (grid.steps - 1) * grid.step) * 1000).toISOString(), step_s: grid.step },
    breaches
  }
}

function scaled (e: Estimate, f: number): Estimate {
  return { ...e, value: e.value * f, low: e.low * f, high: e.high * f }
}

/**
 * Seconds since the epoch where the first leaking segment's rise starts: the hinge (leak-start.ts)
 * on the floors of windows of its steady readings, MAX_WINDOWS of them: the analysis's own floors
 * may be few and wide (its windowing is chosen for the narrowest slope interval, not to place a
 * start), and a wide window places the start no closer than its width.
 */
function leakSince (metric: MetricVerdict, table: SamplesTable, time: Float64Array): number | undefined {
  // The first segment that rises significantly: a leak that began a while before a restart may be
  // too short there to be called a leak on its own, and the restart did not start it.
  const rises = (s: MetricVerdict['segments'][number]) => s.verdict === 'leak' || (s.p_value !== undefined && s.p_value < DEFAULT_TREND_SETTINGS.alpha && (s.per_request?.low ?? 0) > 0)
  const segment = metric.segments.find(rises) ?? (metric.segments.length === 1 ? metric.segments[0] : undefined)
  if (!segment) return undefined
  const x = table.columns.get('requests')!
  let from = segment.rows[0]
  while (from < segment.rows[1] && x[from]! < x[segment.rows[0]]! + segment.warmup.requests) from++
  const to = segment.rows[1]
  const readings = { x: x.subarray(from, to), t: time.subarray(from, to), y: table.columns.get('rss_bytes')!.subarray(from, to) }
  const at = leakStartX(windowFloors(readings, Math.max(1, Math.ceil((to - from) / MAX_WINDOWS))))
  if (at === undefined) return undefined
  let row = from
  while (row < to - 1 && x[row]! < at) row++
  return time[row]
}

/**
 * Short names: the values of the labels that differ between the series (`pod-3`, or
 * `web-1/10.0.0.3:9100`); a lone series is named by all its labels.
 */
export function instanceNames (labelSets: ReadonlyArray<Record<string, string>>): string[] {
  const keys = [...new Set(labelSets.flatMap((l) => Object.keys(l)))].sort()
  const varying = keys.filter((k) => new Set(labelSets.map((l) => l[k] ?? '')).size > 1)
  return labelSets.map((l) => {
    const shown = varying.length ? varying : keys
    const name = shown.map((k) => l[k] ?? '').join('/')
    return name || '{}'
  })
}
