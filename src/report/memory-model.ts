import type { MetricVerdict, RunVerdict, SegmentVerdict } from '../analysis/types.js'
import { downsample, type Cell, type Downsampled } from './downsample.js'
import { elapsedAtRequests, eventsOnTimeline, type ReportInput, type SeriesData, type TimelineEvent } from './report-input.js'
import { unitOf } from '../columns/index.js'
import type { Unit } from '../columns/meaning.js'

/** One series for a chart: its samples.csv column, a label and its unit. */
export interface ChartSeries {
  column: string
  label: string
  unit: Unit
  values: Cell[]
}

/** What the memory chart shows, in seconds since the load started: shared by memory.svg and report.html. */
export interface MemoryModel {
  /** Seconds since the load started, downsampled. */
  x: number[]
  /** RSS (rss_bytes), absent for a load-only run. */
  rss?: ChartSeries
  /** The second axis: the app's live objects (heap_live_slots, HeapObjects…), or its heap in use. */
  objects?: ChartSeries
  /** The verdict's floor series for RSS, as [seconds, bytes]. */
  floor: Array<[number, number]>
  /** The fitted line of each segment, as [seconds, bytes] points (its own x: requests to seconds). */
  fits: Array<Array<[number, number]>>
  events: TimelineEvent[]
  /** The verdict for RSS, when the run was analysed. */
  rssVerdict?: MetricVerdict
  verdict?: RunVerdict
  downsampled: Downsampled
}

/** The load chart: request rate and p99 latency of each interval, on the same clock. */
export interface LoadModel {
  x: number[]
  rps: Cell[]
  p99: Cell[]
  downsampled: Downsampled
}

export const RSS_COLUMN = 'rss_bytes'

/** Columns that count live objects, best first (Ruby, Go, then any live-object gauge). */
const OBJECT_COLUMNS: RegExp[] = [
  /^gc\.stat\.heap_live_slots$/,
  /^gc\.memstats\.HeapObjects$/,
  /^gc\.objects\.TOTAL$/,
  /^gc\.stat\.old_objects$/,
  /^gc\..*heap_live_slots/,
  /^gc\..*(live|heap)_?objects/i
]
/** Failing those: the heap in use, in bytes (Node, Go, Prometheus). */
const HEAP_COLUMNS: RegExp[] = [
  /^gc\.memoryUsage\.heapUsed$/,
  /^gc\.heap\.used_heap_size$/,
  /^gc\.memstats\.HeapAlloc$/,
  /^gc\.nodejs_heap_size_used_bytes/,
  /^gc\..*heap.*used/i
]
/** Cumulative counters are not a level of memory. */
const COUNTERS = /total_|allocated|freed|_count\b|count$|Mallocs|Frees|NumGC|pause/i

/**
 * The column for the second axis: live objects (the verdict's object or slot metric, else a known
 * GC column), failing that the live heap in bytes (the verdict's heap-live metric, else a known
 * column).
 */
export function objectsColumn (series: SeriesData, verdict?: RunVerdict): string | undefined {
  const columns = Object.keys(series.columns).filter((c) => hasValues(series.columns[c]))
  const usable = (c: string) => columns.includes(c) && !COUNTERS.test(c.replace(/^gc\./, ''))
  const objects = verdict?.metrics.find((m) => (m.unit === 'objects' || m.unit === 'slots') && usable(m.metric))
  if (objects) return objects.metric
  const byPattern = (patterns: RegExp[]) => {
    for (const p of patterns) {
      const hit = columns.find((c) => p.test(c) && usable(c))
      if (hit) return hit
    }
    return undefined
  }
  const known = byPattern(OBJECT_COLUMNS)
  if (known) return known
  const heapLive = verdict?.metrics.find((m) => m.role === 'heap-live' && usable(m.metric))
  return heapLive?.metric ?? byPattern(HEAP_COLUMNS)
}

/**
 * A metric's values row by row: its samples.csv column, or for a derived metric (native_bytes =
 * gc.memoryUsage.rss − gc.memoryUsage.heapTotal) the difference of its two columns.
 */
export function metricValues (series: SeriesData, metric: string, derivedFrom?: readonly string[]): Cell[] | undefined {
  if (series.columns[metric]) return series.columns[metric]
  if (derivedFrom?.length === 2) {
    const [a, b] = derivedFrom.map((c) => series.columns[c])
    if (a && b) return a.map((v, i) => (v === null || b[i] === null ? null : v - (b[i] as number)))
  }
  return undefined
}

function hasValues (values: readonly Cell[] | undefined): boolean {
  return !!values && values.some((v) => v !== null && Number.isFinite(v))
}

/** A short label for a column: "RSS", "live slots (gc.stat.heap_live_slots)". */
export function columnLabel (column: string): string {
  if (column === RSS_COLUMN) return 'RSS'
  if (column === 'pss_bytes') return 'PSS'
  const tail = column.replace(/^gc\./, '')
  if (/heap_live_slots/.test(tail)) return 'live slots'
  if (/HeapObjects/.test(tail)) return 'heap objects'
  if (/old_objects/.test(tail)) return 'old objects'
  if (/heapUsed|used_heap_size|HeapAlloc|heap_size_used/.test(tail)) return 'heap used'
  if (column === 'native_bytes') return 'native (outside the JS heap)'
  if (column === 'rss_anon_bytes') return 'anonymous RSS'
  return tail
}

/** The memory chart of a run: RSS with its floor and fitted line, and the objects (or heap) on the second axis. */
export function memoryModel (input: ReportInput, maxPoints = 5000): MemoryModel {
  const { series } = input
  const verdict = input.summary.verdict
  const rssValues = hasValues(series.columns[RSS_COLUMN]) ? series.columns[RSS_COLUMN] : undefined
  const objCol = objectsColumn(series, verdict)
  const objValues = objCol ? series.columns[objCol] : undefined
  const kept = [rssValues, objValues].filter((v): v is Cell[] => !!v)
  const d = downsample(series.elapsed_s, kept, maxPoints)
  let k = 0
  const rss: ChartSeries | undefined = rssValues
    ? { column: RSS_COLUMN, label: 'RSS', unit: 'bytes', values: d.series[k++] }
    : undefined
  const objects = objCol && objValues
    ? { column: objCol, label: columnLabel(objCol), unit: verdict?.metrics.find((m) => m.metric === objCol)?.unit ?? unitOf(objCol), values: d.series[k++] }
    : undefined
  const rssVerdict = verdict?.metrics.find((m) => m.metric === RSS_COLUMN)
  return {
    x: d.x,
    rss,
    objects,
    floor: rssVerdict ? floorOnClock(series, rssVerdict.segments) : [],
    fits: rssVerdict ? fitsOnClock(series, rssVerdict.segments) : [],
    events: eventsOnTimeline(input),
    rssVerdict,
    verdict,
    downsampled: d.info
  }
}

/** The floor points, from [requests, value] to [seconds, value]; thinned to `max` keeping extremes. */
export function floorOnClock (series: SeriesData, segments: readonly SegmentVerdict[], max = 2000): Array<[number, number]> {
  const points = segments.flatMap((s) => s.floor.map(([r, v]): [number, number] => [elapsedAtRequests(series, r), v]))
  if (points.length <= max) return points
  const d = downsample(points.map((p) => p[0]), [points.map((p) => p[1])], max)
  return d.x.map((x, i) => [x, d.series[0][i] as number])
}

/**
 * Each segment's fitted line (value = intercept + slope × requests), evaluated at its floor points
 * and its ends (from the first floor point, i.e. after the warm-up, to the segment's last row), then put on the clock: a straight line against requests, so slightly bent against
 * time where the request rate changed.
 */
export function fitsOnClock (series: SeriesData, segments: readonly SegmentVerdict[], max = 200): Array<Array<[number, number]>> {
  return segments.filter((s) => s.fit).map((s) => {
    const fit = s.fit!
    // the analysed stretch: from the first floor point (after the warm-up) to the segment's end
    const from = s.floor.length > 0 ? s.floor[0][0] : s.requests[0] + (s.warmup?.requests ?? 0)
    const to = s.requests[1]
    const rs = new Set<number>([from, to])
    const step = Math.max(1, Math.ceil(s.floor.length / max))
    for (let i = 0; i < s.floor.length; i += step) {
      const r = s.floor[i][0]
      if (r >= from && r <= to) rs.add(r)
    }
    return [...rs].sort((a, b) => a - b).map((r): [number, number] => [elapsedAtRequests(series, r), fit.intercept + fit.slope_per_request * r])
  })
}

/** Request rate and p99 of each interval. */
export function loadModel (input: ReportInput, maxPoints = 5000): LoadModel {
  const { series } = input
  const rps = series.columns.rps ?? series.elapsed_s.map(() => null)
  const p99 = series.columns.p99_ms ?? series.elapsed_s.map(() => null)
  const d = downsample(series.elapsed_s, [rps, p99], maxPoints)
  return { x: d.x, rps: d.series[0], p99: d.series[1], downsampled: d.info }
}
