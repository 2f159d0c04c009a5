/**
 * Why the analysis said what it said, as data: each reason is a kind with its numbers and the
 * unit they are in, so that a reader of summary.json gets figures, and one module
 * (verdict-words.ts) turns them into the sentences people read.
 */
import type { Unit } from '../columns/index.js'
import type { Estimate, SeriesVerdict } from './types.js'

/**
 * object-leak | native-or-fragmentation (memory outside the heap grows at a steady rate while
 * the heap is flat: a native leak) | thread-leak | allocator-warmup (settling: memory outside
 * the heap grows more and more slowly while the heap is flat) | none. `none` also when RSS
 * leaks with no heap figures to attribute it with (the hint then says so).
 */
export type Attribution = 'object-leak' | 'native-or-fragmentation' | 'thread-leak' | 'allocator-warmup' | 'none'

/** What to look at next: an attribution's, or why there is none (RSS alone, a column named in analysis.metrics). */
export type HintKind = Exclude<Attribution, 'none'> | 'rss-only' | 'named-metric'

/** How the growth that counts was set: a share of RSS or of the series' own level at the start, or a unit's smallest step. */
export type ThresholdBasis =
  | { kind: 'rss-share'; fraction: number; level: number }
  | { kind: 'level-share'; fraction: number; level: number; unit: Unit }
  | { kind: 'minimum'; unit: Unit }

/** Growth under `value` over the analysed requests counts as flat. */
export interface Threshold {
  value: number
  basis: ThresholdBasis
}

/** A significant rise: its rate per request with the interval, the growth over `requests`, the trend test's p. */
export interface Rise {
  per_request: Estimate
  growth: number
  requests: number
  p: number
}

/**
 * Why one series (a segment, or all pooled) got its verdict. `unit` is the series'; rates are
 * per request; `late`/`early` are Theil–Sen on the last/first third (growth-shape.ts).
 */
export type SeriesReason = { unit: Unit } & (
  // inconclusive: too little data
  | { kind: 'too-few-floors'; floors: number; needed: number }
  | { kind: 'no-requests'; floors: number }
  | { kind: 'too-few-readings-to-clear'; at_most: number; readings: number; needed: number }
  // flat: even the interval's upper end stays under the threshold
  | { kind: 'flat'; growth: number; shrinks: boolean; requests: number; at_most: number; threshold: Threshold }
  // inconclusive: no trend, but the interval allows growth that would matter
  | { kind: 'no-trend'; p: number; at_most: number; threshold: Threshold }
  // inconclusive: it rises, and whether it stops can't be told
  | { kind: 'too-few-floors-for-shape'; rise: Rise }
  | { kind: 'too-few-readings-for-shape'; rise: Rise; readings: number }
  // plateau: grew, then stopped (or creeps by `creep` over as many requests again); `no_trend`:
  // the p of a whole-run trend that is not significant (a rise, then a level)
  | { kind: 'stopped'; growth: number; requests: number; early: number; late: Estimate; creep?: number; no_trend?: number }
  // inconclusive: a trend, but its growth is under the threshold while the interval reaches over it
  | { kind: 'under-threshold'; p: number; growth: number; requests: number; at_most: number; threshold: Threshold }
  // inconclusive: rising with no major GC in the steady state
  | { kind: 'no-major-gc'; rise: Rise }
  // leak: the rate holds (after a warm-up from `early` when it slowed first)
  | { kind: 'holding'; rise: Rise; late: number; early?: number }
  | { kind: 'holding-within-intervals'; rise: Rise; early: number; late: number }
  // inconclusive: memory outside the heap of a process started for the run, holding only within
  // the intervals: its allocator's warm-up can creep like that for a while
  | { kind: 'fresh-outside-open'; rise: Rise; early: number; late: number }
  // settling: slower and slower, heading for `heading` if it keeps bending
  // (`since_start`: `early` is a fresh process's first requests, the warm-up left out)
  | { kind: 'settling'; growth: number; requests: number; early: Estimate; late: Estimate; heading?: Heading; since_start?: number }
  // inconclusive: still rising at the end; hold or bend not told yet
  | { kind: 'shape-open'; rise: Rise; late: Estimate }
  | { kind: 'late-unclear'; rise: Rise; late: Estimate }
)

/** Where settling growth levels off, with its interval (no upper end yet when `high` is absent). */
export interface Heading {
  value: number
  low: number
  high?: number
  level: number
}

/** A settling metric, for the run's summary. */
export interface SettlingPart {
  metric: string
  unit: Unit
  growth?: number
  requests: number
  early?: number
  /** `early` is the rate over a fresh process's first this many requests (the warm-up left out). */
  since_start?: number
  late?: Estimate
  heading?: Heading
  more_requests?: number
}

/** The run's summary sentence, as data. */
export type RunReason =
  | { kind: 'no-metrics' }
  | { kind: 'no-rows' }
  | { kind: 'columns-missing'; missing: MissingColumn[]; columns: string[] }
  | { kind: 'leak'; metric: string; unit: Unit; per_request?: number; also: string[] }
  | { kind: 'settling'; parts: SettlingPart[] }
  | { kind: 'plateau'; parts: Array<{ metric: string; unit: Unit; growth?: number }> }
  | { kind: 'flat'; metrics: string[] }
  | { kind: 'inconclusive'; open: Array<{ metric: string; why?: SeriesReason }>; more_requests: number }

/** A name asked for that is no column, with the column it is probably a typo of. */
export interface MissingColumn {
  name: string
  did_you_mean?: string
}

/** Why the run exits 4. */
export type Breach =
  | { kind: 'fail-on'; verdict: SeriesVerdict; fail_on: 'leak' | 'inconclusive' }
  | { kind: 'max-growth'; metric: string; unit: Unit; rate: number; per: 'request' | 'h'; limit: string }

/** Something the reader should know about what was analysed. */
export type Note =
  | { kind: 'columns-missing'; missing: MissingColumn[] }
  | { kind: 'rows-skipped'; rows: number }
  | { kind: 'restarted'; rows: Array<[number, number]> }
  /** A long watch's samples, one file a day, read as one table. */
  | { kind: 'daily-files'; files: string[] }
  /** A watch's x axis: what its `requests` column counts. */
  | { kind: 'x-axis'; x_axis: string }

/** All the run's reasons. */
export interface RunWhy {
  summary: RunReason
  hint?: HintKind
  breaches: Breach[]
  notes: Note[]
}
