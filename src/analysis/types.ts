import type { RunSummary } from '../recorder/summary-json.js'
import type { Role, Unit } from '../columns/index.js'
import type { RecognisedSeries } from './metrics.js'
import type { Attribution, RunWhy, SeriesReason, Threshold } from './reasons.js'
import type { FloorMethod } from './floors.js'
import type { SourceSummary } from '../source/types.js'
/** What `memsiege analyze` says about one run: stored in summary.json under `verdict`. */

export type SeriesVerdict = 'leak' | 'settling' | 'plateau' | 'flat' | 'inconclusive'

/** A point estimate with its confidence interval (same unit). */
export interface Estimate {
  value: number
  low: number
  high: number
  /** Confidence level of [low, high], e.g. 0.95. */
  level: number
}

/**
 * How the growth rate moved over the steady state: Theil–Sen on its first, middle and last
 * third, per request, and for `settling`, where it is heading (see growth-shape.ts).
 */
export interface GrowthShape {
  early: Estimate
  middle?: Estimate
  late: Estimate
  /** The late rate per hour at the run's request rate. */
  late_per_hour: number
  /** The late rate is significantly below the early one. */
  slowed: boolean
  /** ... and falling at least as fast as to 1/e over the run: a warm-up, not a leak (growth-shape.ts). */
  bending: boolean
  /** The late rate is significantly above where such a bend would have taken it: a rate that holds. */
  holding: boolean
  /**
   * A fresh process's rate over the warm-up left out (its first `requests`), when the late rate
   * is far enough below it to call the growth settling (growth-shape.ts, bentSinceStart).
   */
  since_start?: { warmup: Estimate; requests: number }
  /**
   * Where it levels off if the rate keeps falling as it has (exponentially); `high` absent when
   * the interval has no upper end yet. With the requests over which the rate falls to 1/e.
   */
  heading?: { value: number; low: number; high?: number; level: number; scale_requests: number; remaining: number }
}

/** One stretch of a run without a target restart: analysed on its own. */
export interface SegmentResult {
  /** Row range in samples.csv (0-based, data rows only, end exclusive). */
  rows: [number, number]
  /** Requests completed at the segment's start and end. */
  requests: [number, number]
  elapsed_s: [number, number]
  verdict: SeriesVerdict
  /** Growth per request completed (unit of the series per request), with its interval. */
  per_request?: Estimate
  /** Growth per hour at the run's request rate, with its interval. */
  per_hour?: Estimate
  /** The rate by thirds, and where a settling series is heading. */
  shape?: GrowthShape
  /** Trend test on the floor series (Mann–Kendall with autocorrelation correction). */
  p_value?: number
  /** Theil–Sen slope per request on the first and last thirds of the steady state. */
  early_per_request?: number
  late_per_request?: number
  /** What was left out at the start: seconds and requests. */
  warmup: { elapsed_s: number; requests: number }
  /** Windows the floor series had (the test's sample size). */
  windows: number
  /**
   * For `inconclusive`: roughly how many more requests would settle it; for `settling`: after
   * how many more it would have levelled off, if it keeps slowing as it has.
   */
  more_requests?: number
  /** Why this verdict, as data (verdict-words.ts words it into `reason`). */
  why: SeriesReason
  /** The fitted line, for charts: value = intercept + slope × requests. */
  fit?: { intercept: number; slope_per_request: number }
  /** The floor series the test ran on, for charts: [requests, value]. */
  floor: Array<[number, number]>
  /** Growth over the analysed requests (slope × requests), with its interval. */
  growth?: Estimate
  /** Growth under this over the analysed requests counts as flat; and how it was set. */
  threshold?: Threshold
  /** How the floors were taken: the lowest reading of each window of `size` readings or major GCs. */
  floor_window?: FloorMethod
  /** Readings in the steady state (after the warm-up), before taking floors. */
  readings?: number
  /** Major GCs counted in the steady state, where the runtime reports them. */
  major_gcs?: number
}

/** A segment's verdict with its words: what summary.json stores. */
export interface SegmentVerdict extends Omit<SegmentResult, 'why' | 'threshold'> {
  /** Absent from the summary.json of runs analysed before the reasons were stored as data. */
  why?: SeriesReason
  /** Plain words: why this verdict. */
  reason: string
  threshold?: Threshold & { why: string }
  /** How the floors were taken: "lowest of every 4 readings", "lowest reading between major GCs". */
  floor_method?: string
}

export interface MetricResult {
  /** The samples.csv column, e.g. rss_bytes or gc.stat.old_objects. */
  metric: string
  unit: Unit
  verdict: SeriesVerdict
  segments: SegmentResult[]
  /** Whether this metric is one of those the run's verdict is the worst of. */
  decides?: boolean
  /** What the column measures, by the registry's roles (src/columns/meaning.ts). */
  role?: Role
  /**
   * A derived metric's columns, the first minus the others (one reading): native_bytes is
   * gc.memoryUsage.rss − gc.heap.total_physical_size; heap_old_bytes is gc.memoryUsage.heapUsed
   * − the young generation (gc.heap_spaces.new_space / new_large_object_space .space_used_size).
   */
  derived_from?: string[]
  /** Over all segments pooled (the same as the segment's when there is one). */
  per_request?: Estimate
  per_hour?: Estimate
  /** Requests per hour over the analysed stretch (per_hour = per_request × this). */
  requests_per_hour?: number
  shape?: GrowthShape
  p_value?: number
  more_requests?: number
  /** Why, over all segments pooled, as data. */
  why?: SeriesReason
}

/** A metric's verdict with its words. */
export interface MetricVerdict extends Omit<MetricResult, 'segments'> {
  segments: SegmentVerdict[]
  reason?: string
}

/**
 * The deciding growth on a scale a person knows: per hour at the run's request rate, and over a
 * day of traffic at that rate; and whether the run was a fresh process's first requests.
 */
export interface VerdictScale {
  metric: string
  unit: Unit
  /** Requests per hour over the analysed stretch. */
  requests_per_hour: number
  /** At the rate the verdict stands on: the whole run's for a leak, the last third's for settling. */
  per_hour: number
  per_day: number
  /** Requests the metric's segments span. */
  requests?: number
  /** The target was started for this run (its first request was the run's first). */
  fresh_process?: boolean
}

export interface RunResult {
  /** The worst of the metrics' verdicts that decide (leak > inconclusive > settling > plateau > flat). */
  verdict: SeriesVerdict
  /**
   * object-leak | native-or-fragmentation (memory outside the heap grows at a steady rate while
   * the heap is flat: a native leak) | thread-leak | allocator-warmup (settling: memory outside
   * the heap grows more and more slowly while the heap is flat) | none. `none` also when RSS
   * leaks with no heap figures to attribute it with (the hint then says so).
   */
  attribution: Attribution
  scale?: VerdictScale
  metrics: MetricResult[]
  /** Settings the analysis ran with (warm-up, window, alpha...). */
  settings: Record<string, unknown>
  /** The metrics the verdict is the worst of. */
  deciding?: string[]
  /** What the analysis read: data rows, segments (target restarts split them). */
  rows?: number
  segments?: number
  /** The app's GC series the choice of metrics rests on, and as what they were recognised. */
  recognised?: RecognisedSeries[]
  /** The verdict's reasons as data: verdict-words.ts words them into summary, hint, breaches and notes. */
  why: RunWhy
  /** A watch's: what the `requests` column counts (a request counter of the app, or seconds). */
  x_axis?: string
}

/** The run's verdict with its words: what summary.json stores under `verdict`. */
export interface RunVerdict extends Omit<RunResult, 'why' | 'metrics'> {
  /** Absent from the summary.json of runs analysed before the reasons were stored as data. */
  why?: RunWhy
  /** One or two sentences: the verdict, its evidence and the next step. */
  summary: string
  hint: string
  metrics: MetricVerdict[]
  /** A breach of --fail-on or analysis.maxGrowth: why the run exits 4. */
  breaches: string[]
  /** Things the reader should know: metrics asked for but absent, rows cut short. */
  notes?: string[]
}

/**
 * A run's summary.json with the verdict the analysis added at the end of the run, and with
 * `--find-source`, the allocation sites whose live memory grew (src/source/).
 */
export type JudgedSummary = RunSummary & { verdict?: RunVerdict; source?: SourceSummary }
