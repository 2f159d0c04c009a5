/**
 * From a metric's column to the floor series the trend test runs on.
 *
 * 1. Fresh readings only. GC columns repeat the last fetch in every row until the next one
 *    (gc_age_s says how old it is): a reading is kept when its fetch time (row time − age)
 *    moves on, and is placed at the requests completed when it was fetched, not when the row
 *    was written. pss_bytes repeats between smaps_rollup passes: kept when it changes. /proc
 *    columns are fresh in every row.
 * 2. Floors. A garbage-collected heap saws: it climbs with garbage until a collection and drops.
 *    A leak raises the bottom of the saw, so the test runs on the lowest reading of each window
 *    (the window's floor). Windows are either runs of `size` readings, at least one saw cycle
 *    long, or, where the runtime counts major GCs, the stretches between them (a heap right
 *    after a major GC holds only what is retained: Ruby's old_objects, V8's old generation only
 *    ever rise between two of them).
 */
import type { SamplesTable } from './samples-reader.js'
import type { MetricSpec } from './metrics.js'
import type { Series } from './stats/series.js'
import { median } from './stats/quantile.js'

export interface Readings {
  /** Requests completed when each reading was taken. */
  x: Float64Array
  /** Seconds since the load started. */
  t: Float64Array
  y: Float64Array
  /** The major-GC counter at each reading (NaN where unknown), when the metric has one. */
  major?: Float64Array
  /**
   * The series' value at the end of the last major GC, exactly, where the runtime records it
   * (see settledAtMajor); the floor of a stretch between major GCs then needs no reading taken
   * right after the GC.
   */
  settled?: Float64Array
}

export const MIN_WINDOWS = 6
export const FETCH_TIME_SLACK_S = 0.0025
export const MAX_WINDOWS = 400
/** Ruby's RUBY_GC_HEAP_OLDOBJECT_LIMIT_FACTOR is 2 by default; beyond this, the column is no such limit. */
const MAX_OLD_LIMIT_FACTOR = 10

/** Fresh readings of `metric` in rows [from, to). */
export function freshReadings (table: SamplesTable, metric: MetricSpec, from: number, to: number): Readings {
  const requests = table.columns.get('requests')!
  const elapsed = table.columns.get('elapsed_s')!
  const value = valueOf(table, metric)
  const majorCol = metric.majorCounter ? table.columns.get(metric.majorCounter) : undefined
  const age = table.columns.get('gc_age_s')
  const freshness = metric.freshness === 'gc' && !age ? 'changes' : metric.freshness
  const x: number[] = []
  const t: number[] = []
  const y: number[] = []
  const major: number[] = []
  const limitCol = metric.limit ? table.columns.get(metric.limit) : undefined
  const limits: number[] = []
  let lastFetch = -Infinity
  let lastValue = NaN
  for (let r = from; r < to; r++) {
    const v = value(r)
    if (freshness === 'gc') {
      // A new fetch moves the fetch time (row time − age) on; a repeat keeps it, give or take
      // the millisecond rounding of both columns.
      const a = age![r]
      if (Number.isNaN(a)) continue
      const when = elapsed[r] - a
      if (when <= lastFetch + FETCH_TIME_SLACK_S) continue
      lastFetch = when
      if (!Number.isFinite(v)) continue
      x.push(requestsAt(requests, elapsed, r, when))
      t.push(when)
    } else {
      if (!Number.isFinite(v)) continue
      if (freshness === 'changes' && v === lastValue) continue
      lastValue = v
      x.push(requests[r])
      t.push(elapsed[r])
    }
    y.push(v)
    if (majorCol) major.push(majorCol[r])
    limits.push(limitCol ? limitCol[r] : NaN)
  }
  const ys = Float64Array.from(y)
  const settled = majorCol && metric.limit ? settledAtMajor(ys, Float64Array.from(limits), Float64Array.from(major)) : undefined
  return {
    x: Float64Array.from(x),
    t: Float64Array.from(t),
    y: ys,
    ...(majorCol ? { major: Float64Array.from(major) } : {}),
    ...(settled ? { settled } : {}),
  }
}

/**
 * Ruby's old_objects right after each major GC, from old_objects_limit: at the end of a major
 * GC's marking Ruby sets the limit to the old objects it just counted (all of them alive) times
 * RUBY_GC_HEAP_OLDOBJECT_LIMIT_FACTOR, and leaves it until the next major GC. Between major GCs
 * old_objects only rises, so limit / old_objects is at most the factor, and meets it at a
 * reading taken right after the GC: the factor is the median over the stretches between major
 * GCs of each one's largest ratio (2 unless the app's environment changes it; a median, because
 * a reading taken while a major GC is recounting the old objects is far too low). A reading
 * taken a second after the GC already holds a second of promoted garbage, a noise as large as
 * what a filling cache adds; the limit has none. Undefined when the ratios are not those of such
 * a factor (a column that is no such limit).
 */
function settledAtMajor (old: Float64Array, limit: Float64Array, major: Float64Array): Float64Array | undefined {
  const largest: number[] = []
  let stretch = NaN
  for (let i = 0; i < old.length; i++) {
    if (!(old[i] > 0 && limit[i] > 0)) continue
    const ratio = limit[i] / old[i]
    if (major[i] !== stretch || largest.length === 0) {
      stretch = major[i]
      largest.push(ratio)
    } else {
      largest[largest.length - 1] = Math.max(largest[largest.length - 1], ratio)
    }
  }
  if (largest.length === 0) return undefined
  const factor = median(largest)
  if (!(factor > 1 && factor <= MAX_OLD_LIMIT_FACTOR)) return undefined
  return limit.map((l) => l / factor)
}

function valueOf (table: SamplesTable, metric: MetricSpec): (row: number) => number {
  if (metric.difference) {
    const [first, ...rest] = metric.difference.map((c) => table.columns.get(c))
    if (!first) return () => NaN
    // A missing subtrahend column (new_large_object_space on an old Node) counts as 0; an empty cell does not.
    const minus = rest.filter((c): c is Float64Array => c !== undefined)
    return (r) => {
      let v = first[r]
      for (const c of minus) v -= c[r]
      return v
    }
  }
  const col = table.columns.get(metric.column)
  return col ? (r) => col[r] : () => NaN
}

/** Requests at time `when`, interpolated between the rows around it (rows are ~1 s apart). */
function requestsAt (requests: Float64Array, elapsed: Float64Array, row: number, when: number): number {
  let r = row
  while (r > 0 && elapsed[r - 1] > when) r--
  if (r === 0 || elapsed[r] <= when) return requests[r]
  const t0 = elapsed[r - 1]
  const t1 = elapsed[r]
  if (t1 === t0) return requests[r]
  return requests[r - 1] + ((when - t0) / (t1 - t0)) * (requests[r] - requests[r - 1])
}

/** Readings from index `from` on (the steady state). */
export function readingsFrom (r: Readings, from: number, to = r.y.length): Readings {
  return {
    x: r.x.subarray(from, to),
    t: r.t.subarray(from, to),
    y: r.y.subarray(from, to),
    ...(r.major ? { major: r.major.subarray(from, to) } : {}),
    ...(r.settled ? { settled: r.settled.subarray(from, to) } : {}),
  }
}

/** The floor (lowest reading) of each run of `size` readings; a short last run joins the one before. */
export function windowFloors (r: Readings, size: number): Series {
  const n = r.y.length
  const bounds: number[] = []
  for (let i = 0; i < n; i += size) bounds.push(i)
  if (bounds.length > 1 && n - bounds[bounds.length - 1] < size / 2) bounds.pop()
  return floorsBetween(r, bounds)
}

/** Indices where the major-GC counter moved since the reading before. */
export function majorBoundaries (r: Readings): number[] {
  const out: number[] = []
  if (!r.major) return out
  let last = NaN
  for (let i = 0; i < r.major.length; i++) {
    const m = r.major[i]
    if (Number.isNaN(m)) continue
    if (!Number.isNaN(last) && m > last) out.push(i)
    last = m
  }
  return out
}

/**
 * Floors of the stretches between major GCs, `per` GCs to a window. Where the runtime records
 * the value at the end of each major GC (`settled`), that is the floor of the stretch the GC
 * starts, rather than the lowest reading, which may be one taken a second later or one taken in
 * the middle of the GC.
 *
 * The stretch the steady state starts in began at a major GC inside the warm-up: its lowest
 * reading from the cut on is no floor, only where old objects had climbed to by then (a first
 * floor far above the next ones, which hides a cache's rise from the trend test). `settled`
 * still holds its floor exactly; without it the stretch is left out.
 */
export function majorFloors (r: Readings, per: number): Series {
  const gcs = majorBoundaries(r)
  // The first reading is never known to follow a GC at once: the first stretch is always cut.
  const cut = gcs.length > 0
  const bounds = [0]
  for (let k = 0; k < gcs.length; k += per) if (gcs[k] > 0) bounds.push(gcs[k])
  const floors = floorsBetween(r, bounds)
  if (r.settled) {
    bounds.forEach((b, w) => {
      if (!Number.isFinite(r.settled![b])) return
      floors.y[w] = r.settled![b]
      floors.x[w] = r.x[b]
    })
    if (!cut || Number.isFinite(r.settled[0])) return floors
  }
  return cut ? { x: floors.x.subarray(1), y: floors.y.subarray(1) } : floors
}

function floorsBetween (r: Readings, bounds: number[]): Series {
  const k = bounds.length
  const x = new Float64Array(k)
  const y = new Float64Array(k)
  for (let w = 0; w < k; w++) {
    const end = w + 1 < k ? bounds[w + 1] : r.y.length
    let best = bounds[w]
    for (let i = bounds[w] + 1; i < end; i++) if (r.y[i] < r.y[best]) best = i
    x[w] = r.x[best]
    y[w] = r.y[best]
  }
  return { x, y }
}

export interface FloorMethod {
  kind: 'window' | 'major-gc'
  /** Readings per window, or major GCs per window. */
  size: number
}

const SIZES = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096]

/**
 * The windowings worth trying for these segments' steady-state readings: each leaves between
 * MIN_WINDOWS and MAX_WINDOWS floors in all (Theil–Sen is O(n²)), and fixed windows are at
 * least one saw cycle long (sawPeriod), or the longest allowed. Major-GC windows come in when
 * the runtime counts at least MIN_WINDOWS major GCs. The caller keeps the one whose slope
 * interval is narrowest. With too few readings for any, the readings themselves.
 */
export function floorMethods (segments: readonly Readings[]): FloorMethod[] {
  const n = segments.reduce((a, r) => a + r.y.length, 0)
  const period = sawPeriod(segments)
  const out: FloorMethod[] = []
  let largest: FloorMethod | undefined
  for (const size of SIZES) {
    const k = segments.reduce((a, r) => a + Math.max(1, Math.round(r.y.length / size)), 0)
    if (k <= MAX_WINDOWS && (k >= MIN_WINDOWS || size === 1)) {
      largest = { kind: 'window', size }
      if (size >= period) out.push(largest)
    }
    if (k < MIN_WINDOWS) break
  }
  if (out.length === 0 && largest) out.push(largest)
  const gcs = segments.reduce((a, r) => a + majorBoundaries(r).length, 0)
  if (gcs >= MIN_WINDOWS) {
    for (const size of SIZES) {
      const k = gcs / size
      if (k < MIN_WINDOWS) break
      if (k <= MAX_WINDOWS) out.push({ kind: 'major-gc', size })
    }
  }
  if (out.length === 0) out.push({ kind: 'window', size: Math.max(1, Math.ceil(n / MAX_WINDOWS)) })
  return out
}

/**
 * Readings per cycle of the saw: the readings over the number of drops (a heap only falls when
 * something is collected), counting as drops the falls of at least half a typical big one (the
 * 5th percentile of the steps). Windows shorter than this would often miss the bottom. 1 when
 * the series hardly ever falls (RSS creeping up): then every reading is a floor.
 *
 * A drop that the very next reading takes back (by at least half) is no saw's bottom that
 * windows must reach: it is a dip, over in one reading, on a series that otherwise holds its
 * level (Go's scavenger returning pages that the heap faults in again within the second), or a
 * saw of two readings. Either way a window of two readings sees all of it, so such drops ask
 * for windows of 2, not of readings/drops: counting rare dips as cycles would leave a handful
 * of long windows whose floors are whichever dip fell in them, and an interval too wide to
 * clear anything.
 */
export function sawPeriod (segments: readonly Readings[]): number {
  const steps: number[] = []
  // Whether the reading after each step takes at least half of a drop back.
  const takenBack: boolean[] = []
  for (const r of segments) {
    for (let i = 1; i < r.y.length; i++) {
      const d = r.y[i] - r.y[i - 1]
      steps.push(d)
      takenBack.push(i + 1 < r.y.length && r.y[i + 1] - r.y[i] >= -d / 2)
    }
  }
  if (steps.length < MIN_WINDOWS) return 1
  const sorted = Float64Array.from(steps).sort()
  const big = sorted[Math.floor(0.05 * (sorted.length - 1))]
  if (!(big < 0)) return 1
  let drops = 0
  let held = 0
  steps.forEach((d, i) => {
    if (d > big / 2) return
    drops++
    if (!takenBack[i]) held++
  })
  if (held >= MIN_WINDOWS) return steps.length / held
  return drops >= MIN_WINDOWS ? 2 : 1
}

export function applyMethod (r: Readings, m: FloorMethod): Series {
  return m.kind === 'major-gc' ? majorFloors(r, m.size) : windowFloors(r, m.size)
}
