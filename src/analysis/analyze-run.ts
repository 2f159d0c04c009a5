/**
 * `analyzeRun(dir)`: the leak verdict on a results folder (samples.csv, and events.csv when the
 * target exited or restarted). Pure reading and arithmetic: the same folder always gives the
 * same verdict.
 *
 * Per metric: fresh readings → segments (split at restarts) → warm-up left out of each →
 * floors (the windowing with the narrowest slope interval) → trend test and slope, pooled over
 * segments → verdict. Then the run's verdict and its attribution from the deciding metrics,
 * and the breaches of failOn / maxGrowth.
 */
import { existsSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { readSamplesFiles, readSamplesHeader, samplesFiles, type SamplesTable } from './samples-reader.js'
import { analysisKeepPlan, inFileRows, readSamplesBounded, type BoundedTable } from './bounded-samples.js'
import { chooseMetrics, columnsNeeded, isHeapRole, type MetricSpec } from './metrics.js'
import { missingColumns, nameableColumns } from './metric-names.js'
import { columnsText, missingColumnsText, wordVerdict } from './verdict-words.js'
import { findSegments, readEvents, type Segment } from './segments.js'
import { warmupCut, type WarmupCut } from './warmup.js'
import { formatWarmup, type WarmupSpec } from '../units/warmup.js'
import { applyMethod, floorMethods, freshReadings, majorBoundaries, readingsFrom, type FloorMethod, type Readings } from './floors.js'
import { DEFAULT_TREND_SETTINGS, intervalWidth, trendVerdict, type TrendResult } from './series-verdict.js'
import { attribute, type RoledVerdict } from './attribution.js'
import { MIN_PART } from './growth-shape.js'
import { findBreaches } from './breaches.js'
import type { GrowthLimit } from '../units/growth-limit.js'
import { isCpuAxis } from './x-axis.js'
import { workedReadings } from './work-readings.js'
import type { MetricResult, RunResult, RunVerdict, SegmentResult } from './types.js'
import type { Note, RunReason, Threshold } from './reasons.js'
import { median } from './stats/quantile.js'
import type { Series } from './stats/series.js'
import { readRecorded, type ColumnMeanings, type DeclaredRoles, type Unit } from '../columns/index.js'
import { AnalysisInputError } from '../errors.js'
import { readRegularFile } from '../files/regular-file.js'

export interface AnalysisOptions {
  /** What to leave out at the start of each segment. Default auto (see warmup.ts). */
  warmup?: WarmupSpec
  /** Columns to analyse instead of the default choice; all of them then decide. */
  metrics?: string[]
  /** What columns mean when their names don't say (analysis.columns): column → role. */
  columns?: DeclaredRoles
  /** What the samplers declared the columns to mean; default: summary.json's `columns`, else recognised by name. */
  recorded?: ColumnMeanings
  /** `metrics` came from `--metrics`: a name that is no column is a typo to refuse, not a note. */
  metricsFromFlag?: boolean
  /** Growth limits: a leak faster than one of these is a breach. */
  maxGrowth?: GrowthLimit[]
  /** `leak`: a leak verdict is a breach; `inconclusive`: so is an inconclusive one. */
  failOn?: 'leak' | 'inconclusive'
  /**
   * Growth over the analysed requests under this share of the process's RSS (for byte series)
   * or of the series' own level (objects, slots, pages, threads) counts as flat. Default 0.05.
   */
  flatFraction?: number
  /** Significance level of the trend test. Default 0.05 (DEFAULT_TREND_SETTINGS). */
  alpha?: number
  /** Confidence level of the intervals. Default 0.95. */
  confidence?: number
  /** The target was started for this run (default: what summary.json says, when there is one). */
  freshProcess?: boolean
  /**
   * What the `requests` column counts when memsiege sent no load (a watch): the app's own request
   * counter, or seconds (default: summary.json's `x_axis`). Said in the verdict.
   */
  xAxis?: string
  /** Read at most this many rows, bucketed as bounded-samples.ts says (a watch's periodic verdict). */
  maxRows?: number
}

export const DEFAULT_FLAT_FRACTION = 0.05
/** Growth smaller than this never matters, whatever the process's size. */
const MIN_GROWTH: Partial<Record<Unit, number>> = { bytes: 1024 * 1024, threads: 1, pages: 1 }

export function analyzeRun (dir: string, options: AnalysisOptions = {}): RunVerdict {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AnalysisInputError(`${dir}: no such results folder`)
  const files = samplesFiles(dir)
  if (files.length === 0) throw new AnalysisInputError(`${dir}: no samples.csv (is this a memsiege results folder?)`)
  const samplesPath = files[0]
  let header: string[]
  try {
    header = readSamplesHeader(samplesPath)
  } catch (err) {
    throw new AnalysisInputError(`${samplesPath}: ${(err as Error).message}`)
  }
  for (const needed of ['requests', 'elapsed_s']) {
    if (!header.includes(needed)) throw new AnalysisInputError(`${samplesPath}: no "${needed}" column; not a memsiege samples.csv`)
  }
  const notes: Note[] = []
  const { metrics, missing, recognised } = chooseMetrics(header, options.metrics, { recorded: options.recorded ?? recordedMeanings(dir), declared: options.columns })
  if (missing.length && options.metricsFromFlag) throw new AnalysisInputError(`--metrics: not a column of ${samplesPath}: ${missingColumnsText(missingColumns(missing, header))}; its columns: ${columnsText(nameableColumns(header))}`)
  if (missing.length) notes.push({ kind: 'columns-missing', missing: missingColumns(missing, header) })
  let table: SamplesTable
  try {
    table = options.maxRows ? readSamplesBounded(files, () => columnsNeeded(metrics), () => analysisKeepPlan(metrics), options.maxRows) : readSamplesFiles(files, () => columnsNeeded(metrics))
  } catch (err) {
    throw new AnalysisInputError((err as Error).message)
  }
  if (files.length > 1) notes.push({ kind: 'daily-files', files: files.map((f) => basename(f)) })
  const xAxis = options.xAxis ?? storedXAxis(join(dir, 'summary.json'))
  if (xAxis) notes.push({ kind: 'x-axis', x_axis: xAxis })
  if (table.skipped) notes.push({ kind: 'rows-skipped', rows: table.skipped })
  let events
  try {
    events = readEvents(join(dir, 'events.csv'), table.startTime)
  } catch (err) {
    throw new AnalysisInputError((err as Error).message)
  }
  const fresh = options.freshProcess ?? startedForRun(join(dir, 'summary.json'))
  const analysed = analyzeTable(table, metrics, events, { ...options, ...(fresh === undefined ? {} : { freshProcess: fresh }), ...(xAxis ? { xAxis } : {}) }, notes)
  const verdict = 'rowOf' in table ? inFileRows(analysed, table as BoundedTable) : analysed
  // Not the target's fault: the names asked for are not columns of this run.
  if (metrics.length === 0 && missing.length) verdict.why.summary = { kind: 'columns-missing', missing: missingColumns(missing, header), columns: nameableColumns(header) }
  const placed = xAxis ? { ...verdict, x_axis: xAxis } : verdict
  return wordVerdict(recognised.length ? { ...placed, recognised } : placed)
}

/** What a watch's `requests` column counts (summary.json's `x_axis`); undefined for a run. */
function storedXAxis (path: string): string | undefined {
  try {
    const axis = (JSON.parse(readRegularFile(path)) as { x_axis?: unknown }).x_axis
    return typeof axis === 'string' ? axis : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether memsiege started the target for the run (a `target.command` in the run's settings):
 * then the run's requests were the process's first, and a warm-up is what to expect. Undefined
 * when summary.json is absent or unreadable (an old or damaged results folder).
 */
function startedForRun (path: string): boolean | undefined {
  if (!existsSync(path)) return undefined
  try {
    const summary = JSON.parse(readRegularFile(path)) as { config?: { target?: { command?: unknown } } }
    return typeof summary.config?.target?.command === 'string'
  } catch {
    return undefined
  }
}

/**
 * What the run's samplers declared its columns to mean (summary.json's `columns`). A folder
 * from before they did, or whose summary.json is not there yet or damaged, has its columns
 * recognised by name.
 */
function recordedMeanings (dir: string): ColumnMeanings | undefined {
  try {
    return readRecorded((JSON.parse(readRegularFile(join(dir, 'summary.json'))) as { columns?: unknown }).columns)
  } catch {
    return undefined
  }
}

/** The analysis of a table already read (analyzeRun's second half; tests call it directly). */
export function analyzeTable (table: SamplesTable, metrics: readonly MetricSpec[], events: ReturnType<typeof readEvents>, options: AnalysisOptions = {}, notes: Note[] = []): RunResult {
  const warmup = options.warmup ?? { kind: 'auto' }
  const flatFraction = options.flatFraction ?? DEFAULT_FLAT_FRACTION
  const settings = { alpha: options.alpha ?? DEFAULT_TREND_SETTINGS.alpha, level: options.confidence ?? DEFAULT_TREND_SETTINGS.level }
  const requests = table.columns.get('requests')!
  const elapsed = table.columns.get('elapsed_s')!
  const segments = findSegments({
    rows: table.rows,
    elapsed,
    procs: table.columns.get('procs'),
    gcPid: table.columns.get('gc.pid'),
    events,
  })
  if (segments.length > 1) notes.push({ kind: 'restarted', rows: segments.map((s) => s.rows) })

  // One warm-up per segment, shared by all metrics, so that they are compared over the same requests.
  const counter = metrics.find((m) => isHeapRole(m.role) && m.majorCounter)?.majorCounter ?? metrics.find((m) => m.majorCounter)?.majorCounter
  const cuts = segments.map((s) => warmupCut(warmup, requests, elapsed, s.rows[0], s.rows[1], counter ? table.columns.get(counter) : undefined))
  const rssLevel = startLevel(table.columns.get('rss_bytes') ?? table.columns.get('gc.memoryUsage.rss') ?? table.columns.get('gc.rss_bytes'), segments, cuts)

  // The heap first: whether it rises tells what memory outside it, holding only within its
  // intervals, may be (series-verdict.ts, allocatorCreep).
  const ctx: MetricContext = { flatFraction, settings, rssLevel, ...(options.freshProcess ? { freshProcess: true } : {}), ...(isCpuAxis(options.xAxis) ? { onWork: true } : {}) }
  const byMetric = new Map<MetricSpec, RoledVerdict>()
  const analyse = (metric: MetricSpec, c: MetricContext) => {
    const v = analyzeMetric(table, metric, segments, cuts, c)
    if (v) byMetric.set(metric, v)
  }
  for (const metric of metrics) if (isHeapRole(metric.role)) analyse(metric, ctx)
  const heapRises = [...byMetric.values()].some((v) => heapExplainsGrowth(v, settings.alpha))
  for (const metric of metrics) if (!isHeapRole(metric.role)) analyse(metric, { ...ctx, heapRises })
  const verdicts = metrics.flatMap((m) => byMetric.get(m) ?? [])
  const { why, ...overall } = attribute(verdicts, { freshProcess: options.freshProcess })
  const summary: RunReason = verdicts.length === 0 && metrics.length > 0 ? { kind: 'no-rows' } : why.summary
  return {
    ...overall,
    metrics: verdicts,
    settings: {
      warmup: formatWarmup(warmup),
      warmup_rule: cuts.map((c) => c.rule),
      alpha: settings.alpha,
      confidence: settings.level,
      flat_fraction: flatFraction,
      ...(options.failOn ? { fail_on: options.failOn } : {}),
      ...(options.maxGrowth?.length ? { max_growth: options.maxGrowth.map((g) => g.text) } : {}),
      ...(options.metrics?.length ? { metrics: options.metrics } : {}),
    },
    deciding: verdicts.filter((m) => m.decides).map((m) => m.metric),
    rows: table.rows,
    segments: segments.length,
    why: { ...why, summary, breaches: findBreaches(overall.verdict, verdicts, options), notes },
  }
}

/**
 * A heap series that rises significantly by an amount that matters: one whose whole rise stays
 * under what matters (flat, or under the threshold) explains no growth outside the heap. On a busy
 * machine one heap series in twenty trends by chance, and a puma has three: counting such a trend
 * would let a fresh process's allocator creep be called a leak.
 */
export function heapExplainsGrowth (v: MetricResult, alpha: number): boolean {
  if (v.p_value === undefined || v.p_value >= alpha || (v.per_request?.value ?? 0) <= 0) return false
  return v.verdict !== 'flat' && v.why?.kind !== 'under-threshold' && v.why?.kind !== 'too-few-readings-to-clear'
}

interface MetricContext {
  freshProcess?: boolean
  /** The x axis is the target's CPU time: readings where it did no work are left out (work-readings.ts). */
  onWork?: boolean
  /** A heap series rises significantly (analysed first). */
  heapRises?: boolean
  flatFraction: number
  settings: { alpha: number; level: number }
  rssLevel: number
}

function analyzeMetric (table: SamplesTable, metric: MetricSpec, segments: readonly Segment[], cuts: readonly WarmupCut[], ctx: MetricContext): RoledVerdict | undefined {
  const requests = table.columns.get('requests')!
  const steady: Readings[] = []
  // Memory outside the heap of a process that started with its segment: its warm-up (growth-shape.ts, bentSinceStart).
  const outside = metric.role === 'native' || metric.role === 'rss'
  const warm: Array<{ readings: Readings; life: number; requests: number }> = []
  let total = 0
  // Major GCs from the last warm-up reading on: one that ran just as the steady state began
  // (the auto warm-up ends at the first one) cleared the heap the floors start from.
  let majors = 0
  segments.forEach((seg, i) => {
    const read = freshReadings(table, metric, seg.rows[0], seg.rows[1])
    const all = ctx.onWork ? workedReadings(read) : read
    total += all.y.length
    const cutX = requests[Math.min(cuts[i].row, seg.rows[1] - 1)]
    let from = 0
    while (from < all.x.length && all.x[from] < cutX) from++
    steady.push(readingsFrom(all, from))
    // A segment after the first began with a restart: a fresh process too.
    if (outside && (i > 0 || ctx.freshProcess) && from > 0 && all.x.length > from) {
      warm.push({ readings: readingsFrom(all, 0, from), life: all.x[all.x.length - 1] - all.x[0], requests: cuts[i].requests })
    }
    majors += majorBoundaries(readingsFrom(all, Math.max(0, from - 1))).length
  })
  if (total === 0) return undefined

  const methods = methodsFor(metric, steady)
  const method = bestMethod(methods, steady, ctx.settings.level)
  const strata = steady.map((r) => applyMethod(r, method))
  const shapeStrata = finerForThirds(methods, steady, method, strata)
  const threshold = thresholdFor(metric, readingsStartLevel(steady), ctx)
  const rate = requestsPerHour(steady)
  const noMajorGc = Boolean(metric.promotionBiased && metric.majorCounter && majors === 0)
  // The finest windowing: the warm-up is a tenth or a fifth of the run, too short for coarse floors.
  const freshStart = warm.length ? { strata: warm.map((w) => applyMethod(w.readings, methods[0])), life: median(warm.map((w) => w.life)), requests: Math.round(median(warm.map((w) => w.requests))) } : undefined
  const input = (s: readonly Series[], readings: number, shape?: readonly Series[]) => ({ strata: s, ...(shape ? { shapeStrata: shape } : {}), unit: metric.unit, threshold, requestsPerHour: rate, noMajorGc, readings, settings: ctx.settings, ...(freshStart ? { freshStart, allocatorCreep: !ctx.heapRises } : {}) })
  const pooled = trendVerdict(input(strata, steady.reduce((a, r) => a + r.y.length, 0), shapeStrata))
  if (noMajorGc && pooled.verdict === 'inconclusive' && pooled.more_requests === undefined) {
    const more = requestsToMajorGcs(table, metric, steady, pooled.per_request?.value)
    if (more !== undefined) pooled.more_requests = more
  }
  const perSegment = segments.length === 1 ? [pooled] : strata.map((s, i) => trendVerdict(input([s], steady[i].y.length, shapeStrata ? [shapeStrata[i]] : undefined)))
  const segmentVerdicts = segments.map((seg, i) => segmentVerdict(seg, cuts[i], perSegment[i], strata[i], steady[i], method, requests, table.columns.get('elapsed_s')!, threshold, metric))
  if (metric.majorCounter && segments.length === 1) segmentVerdicts[0].major_gcs = majors
  return {
    metric: metric.column,
    unit: metric.unit,
    verdict: pooled.verdict,
    segments: segmentVerdicts,
    decides: metric.decides,
    role: metric.role,
    ...(metric.difference ? { derived_from: [...metric.difference] } : {}),
    ...(pooled.per_request ? { per_request: pooled.per_request } : {}),
    ...(pooled.per_hour ? { per_hour: pooled.per_hour } : {}),
    ...(rate > 0 ? { requests_per_hour: rate } : {}),
    ...(pooled.shape ? { shape: pooled.shape } : {}),
    ...(pooled.p !== undefined ? { p_value: pooled.p } : {}),
    ...(pooled.more_requests !== undefined ? { more_requests: pooled.more_requests } : {}),
    why: pooled.why,
  }
}

/**
 * The windowings that give this metric floors (floors.ts). A series that only ever rises between
 * major GCs (old_objects, V8's old generation: every promoted object counts until the next one)
 * has its floor right after each major GC; a fixed window that holds no major GC has none, only
 * a point somewhere on the climb, as high as the garbage promoted since. So once the steady state
 * has the major GCs for it, such a series is judged on the stretches between them alone.
 */
function methodsFor (metric: MetricSpec, steady: readonly Readings[]): FloorMethod[] {
  const methods = floorMethods(steady)
  const betweenMajors = methods.filter((m) => m.kind === 'major-gc')
  return metric.promotionBiased && betweenMajors.length ? betweenMajors : methods
}

/**
 * The windowing whose floors pin the slope down best (see floors.ts): among windows at least one
 * saw cycle long (shorter ones often miss the bottom), the one with the narrowest Sen interval.
 * Windows longer than needed leave fewer floors and a wider interval.
 */
function bestMethod (methods: readonly FloorMethod[], steady: readonly Readings[], level: number): FloorMethod {
  let best = methods[0]
  let bestWidth = Infinity
  for (const m of methods) {
    const width = intervalWidth(steady.map((r) => applyMethod(r, m)), level)
    if (width < bestWidth) {
      bestWidth = width
      best = m
    }
  }
  return best
}

/**
 * Floors for the rates by thirds (growth-shape.ts) when the chosen windowing leaves fewer than
 * three parts' worth: RSS that rises in steps of a few MB (malloc arenas, heap pages) gets its
 * narrowest overall interval from coarse windows, a dozen floors, four to a third. Then the
 * finest windowing that is still at least one saw cycle long (the first floorMethods gives).
 */
function finerForThirds (methods: readonly FloorMethod[], steady: readonly Readings[], method: FloorMethod, strata: readonly Series[]): Series[] | undefined {
  if (strata.reduce((a, s) => a + s.x.length, 0) >= 3 * MIN_PART) return undefined
  const finest = methods[0]
  if (finest.kind === method.kind && finest.size >= method.size) return undefined
  return steady.map((r) => applyMethod(r, finest))
}

/**
 * Ruby says when its next major GC comes: when old_objects reaches old_objects_limit. At the
 * current rate, the requests until two more have run (two post-GC floors to compare).
 */
function requestsToMajorGcs (table: SamplesTable, metric: MetricSpec, steady: readonly Readings[], slope: number | undefined): number | undefined {
  const limit = metric.limit ? table.columns.get(metric.limit) : undefined
  const last = steady[steady.length - 1]
  if (!limit || !last || last.y.length === 0 || !(slope !== undefined && slope > 0)) return undefined
  let limitValue = NaN
  for (let r = table.rows - 1; r >= 0 && Number.isNaN(limitValue); r--) limitValue = limit[r]
  const headroom = limitValue - last.y[last.y.length - 1]
  return headroom > 0 ? Math.ceil((2 * headroom) / slope) : undefined
}

function thresholdFor (metric: MetricSpec, level: number, ctx: MetricContext): Threshold {
  const min = MIN_GROWTH[metric.unit] ?? 0
  const share: Threshold = metric.unit === 'bytes' && Number.isFinite(ctx.rssLevel)
    ? { value: ctx.flatFraction * ctx.rssLevel, basis: { kind: 'rss-share', fraction: ctx.flatFraction, level: ctx.rssLevel } }
    : { value: ctx.flatFraction * Math.abs(level), basis: { kind: 'level-share', fraction: ctx.flatFraction, level, unit: metric.unit } }
  return min > share.value ? { value: min, basis: { kind: 'minimum', unit: metric.unit } } : share
}

function requestsPerHour (steady: readonly Readings[]): number {
  let dx = 0
  let dt = 0
  for (const r of steady) {
    const n = r.x.length
    if (n < 2) continue
    dx += r.x[n - 1] - r.x[0]
    dt += r.t[n - 1] - r.t[0]
  }
  return dt > 0 ? (dx / dt) * 3600 : 0
}

/**
 * The level growth is measured against: where the steady state starts (the median of its first
 * tenth), so that the growth being judged doesn't raise its own bar. Over segments, the median
 * of their starts.
 */
function startLevel (column: Float64Array | undefined, segments: readonly Segment[], cuts: readonly WarmupCut[]): number {
  if (!column) return NaN
  const starts: number[] = []
  segments.forEach((seg, i) => {
    const values: number[] = []
    for (let r = cuts[i].row; r < seg.rows[1]; r++) if (Number.isFinite(column[r])) values.push(column[r])
    if (values.length) starts.push(median(values.slice(0, Math.max(3, Math.ceil(values.length / 10)))))
  })
  return starts.length ? median(starts) : NaN
}

function readingsStartLevel (steady: readonly Readings[]): number {
  const starts = steady.filter((r) => r.y.length > 0).map((r) => median(r.y.subarray(0, Math.max(3, Math.ceil(r.y.length / 10)))))
  return starts.length ? median(starts) : NaN
}

function segmentVerdict (seg: Segment, cut: WarmupCut, t: TrendResult, floors: Series, steady: Readings, method: FloorMethod, requests: Float64Array, elapsed: Float64Array, threshold: Threshold, metric: MetricSpec): SegmentResult {
  const [from, to] = seg.rows
  const floor: Array<[number, number]> = Array.from(floors.x, (x, i) => [x, floors.y[i]])
  const out: SegmentResult = {
    rows: [from, to],
    requests: [requests[from], requests[to - 1]],
    elapsed_s: [elapsed[from], elapsed[to - 1]],
    verdict: t.verdict,
    warmup: { elapsed_s: round(cut.elapsed_s, 3), requests: Math.round(cut.requests) },
    windows: t.windows,
    why: t.why,
    floor,
    threshold,
    floor_window: { kind: method.kind, size: method.size },
    readings: steady.y.length,
  }
  if (t.per_request) out.per_request = t.per_request
  if (t.per_hour) out.per_hour = t.per_hour
  if (t.growth) out.growth = t.growth
  if (t.p !== undefined) out.p_value = t.p
  if (t.early) out.early_per_request = t.early.slope
  if (t.late) out.late_per_request = t.late.slope
  if (t.shape) out.shape = t.shape
  if (t.more_requests !== undefined) out.more_requests = t.more_requests
  if (t.per_request && t.intercepts?.length) out.fit = { intercept: t.intercepts[0], slope_per_request: t.per_request.value }
  if (metric.majorCounter) out.major_gcs = majorBoundaries(steady).length
  return out
}

function round (v: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(v * f) / f
}
