/** What `memsiege analyze` says about one run: stored in summary.json under `verdict`. */

export type SeriesVerdict = 'leak' | 'plateau' | 'flat' | 'inconclusive'

/** A point estimate with its confidence interval (same unit). */
export interface Estimate {
  value: number
  low: number
  high: number
  /** Confidence level of [low, high], e.g. 0.95. */
  level: number
}

/** One stretch of a run without a target restart: analysed on its own. */
export interface SegmentVerdict {
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
  /** Trend test on the floor series (Mann–Kendall with autocorrelation correction). */
  p_value?: number
  /** Theil–Sen slope per request on the first and last thirds of the steady state. */
  early_per_request?: number
  late_per_request?: number
  /** What was left out at the start: seconds and requests. */
  warmup: { elapsed_s: number; requests: number }
  /** Windows the floor series had (the test's sample size). */
  windows: number
  /** For `inconclusive`: roughly how many more requests would settle it. */
  more_requests?: number
  /** Plain words: why this verdict. */
  reason: string
  /** The fitted line, for charts: value = intercept + slope × requests. */
  fit?: { intercept: number; slope_per_request: number }
  /** The floor series the test ran on, for charts: [requests, value]. */
  floor: Array<[number, number]>
}

export interface MetricVerdict {
  /** The samples.csv column, e.g. rss_bytes or gc.stat.old_objects. */
  metric: string
  /** bytes, objects, slots, pages, threads, count. */
  unit: string
  verdict: SeriesVerdict
  segments: SegmentVerdict[]
}

export interface RunVerdict {
  /** The worst of the metrics' verdicts that decide (leak > inconclusive > plateau > flat). */
  verdict: SeriesVerdict
  /** One or two sentences: the verdict, its evidence and the next step. */
  summary: string
  /** object-leak | native-or-fragmentation | thread-leak | none */
  attribution: 'object-leak' | 'native-or-fragmentation' | 'thread-leak' | 'none'
  hint: string
  metrics: MetricVerdict[]
  /** Settings the analysis ran with (warm-up, window, alpha...). */
  settings: Record<string, unknown>
  /** A breach of --fail-on or analysis.maxGrowth: why the run exits 4. */
  breaches: string[]
}
