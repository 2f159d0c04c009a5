import type { MetricVerdict, RunVerdict, SegmentVerdict } from '../analysis/types.js'
import { downsample, type Cell, type Downsampled } from './downsample.js'
import { elapsedAtRequests, eventsOnTimeline, type ReportInput, type SeriesData, type TimelineEvent } from './report-input.js'
import type { Recognised, Role, Unit } from '../columns/index.js'
import { isHeapRole, NATIVE_METRIC } from '../analysis/metrics.js'
import { folderMeanings, MEMORY_ROLES } from './column-meanings.js'

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

/** Levels of memory: what may go on the second axis (not counters, not threads). */
const LEVEL_ROLES: readonly Role[] = MEMORY_ROLES.filter((r) => r !== 'threads')

/**
 * The column for the second axis: live objects (the verdict's object or slot metric, else a
 * column of the live heap or old generation counted in objects or slots), failing that the live
 * heap in bytes (the verdict's, else a column's). Columns are chosen by role, the live heap
 * before the old generation, then by the analysis's preference.
 */
export function objectsColumn (series: SeriesData, verdict: RunVerdict | undefined, meanings: ReadonlyMap<string, Recognised>): string | undefined {
  const columns = Object.keys(series.columns).filter((c) => hasValues(series.columns[c]))
  const usable = (c: string) => columns.includes(c) && LEVEL_ROLES.includes(meanings.get(c)?.role ?? 'other')
  const counted = (unit: Unit) => unit === 'objects' || unit === 'slots'
  const objects = verdict?.metrics.find((m) => counted(m.unit) && usable(m.metric))
  if (objects) return objects.metric
  const heapColumns = (wanted: (unit: Unit) => boolean) => columns
    .filter((c) => isHeapRole(meanings.get(c)?.role) && wanted(meanings.get(c)!.unit))
    .sort((a, b) => preference(meanings.get(a)!) - preference(meanings.get(b)!))
  const known = heapColumns(counted)[0]
  if (known) return known
  const heapLive = verdict?.metrics.find((m) => isHeapRole(m.role) && usable(m.metric))
  return heapLive?.metric ?? heapColumns((unit) => unit === 'bytes')[0]
}

/** The live heap first, then the analysis's rank (lower first); stable, so header order breaks ties. */
function preference (m: Recognised): number {
  return (m.role === 'heap-live' ? 0 : 1e6) + (m.rank ?? 1e5)
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

/** A short label for a column: "RSS", "live slots", "heap used"; by its role and unit when it has one. */
export function columnLabel (column: string, meaning?: { role?: Role; unit: Unit }): string {
  if (column === RSS_COLUMN) return 'RSS'
  if (column === 'pss_bytes') return 'PSS'
  if (column === NATIVE_METRIC) return 'native (outside the JS heap)'
  if (column === 'rss_anon_bytes') return 'anonymous RSS'
  if (meaning?.role === 'heap-live') {
    if (meaning.unit === 'slots') return 'live slots'
    if (meaning.unit === 'objects') return 'heap objects'
    if (meaning.unit === 'bytes') return 'heap used'
  }
  if (meaning?.role === 'old-generation' && meaning.unit === 'objects') return 'old objects'
  return column.replace(/^gc\./, '')
}

/** The memory chart of a run: RSS with its floor and fitted line, and the objects (or heap) on the second axis. */
export function memoryModel (input: ReportInput, maxPoints = 5000): MemoryModel {
  const { series } = input
  const verdict = input.summary.verdict
  const rssValues = hasValues(series.columns[RSS_COLUMN]) ? series.columns[RSS_COLUMN] : undefined
  const meanings = folderMeanings(['elapsed_s', 'requests', ...Object.keys(series.columns)], input.summary)
  const objCol = objectsColumn(series, verdict, meanings)
  const objValues = objCol ? series.columns[objCol] : undefined
  const kept = [rssValues, objValues].filter((v): v is Cell[] => !!v)
  const d = downsample(series.elapsed_s, kept, maxPoints)
  let k = 0
  const rss: ChartSeries | undefined = rssValues
    ? { column: RSS_COLUMN, label: 'RSS', unit: 'bytes', values: d.series[k++] }
    : undefined
  const objects = objCol && objValues
    ? { column: objCol, label: columnLabel(objCol, meanings.get(objCol)), unit: verdict?.metrics.find((m) => m.metric === objCol)?.unit ?? meanings.get(objCol)!.unit, values: d.series[k++] }
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
    downsampled: inFileRows(d.info, series)
  }
}

/** The drawn points of a long recording read in buckets, told against the rows in its files. */
function inFileRows (info: Downsampled, series: SeriesData): Downsampled {
  const read = series.rows_read
  return read ? { ...info, rows: read, bucket: Math.max(info.bucket, Math.round(info.bucket * read / series.elapsed_s.length)) } : info
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
