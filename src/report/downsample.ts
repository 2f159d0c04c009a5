/**
 * Min/max-preserving downsampling for charts of long runs: the rows are cut into buckets of
 * consecutive rows, and each bucket keeps, for every series, the row of its minimum and the row
 * of its maximum (so a sawtooth keeps its peaks and its floors), plus the first empty cell of a
 * gap (so a gap stays a gap). The kept rows are real rows, shared by all the series.
 */

export type Cell = number | null

export interface Downsampled {
  /** The rows kept, ascending. */
  indices: number[]
  /** Rows before, rows after. */
  rows: number
  points: number
  /** Rows per bucket (1 when nothing was dropped). */
  bucket: number
}

/** Which rows to keep so that there are at most `maxPoints`, keeping each bucket's extremes. */
export function minMaxIndices (length: number, series: ReadonlyArray<ArrayLike<Cell>>, maxPoints: number): Downsampled {
  maxPoints = Math.max(2, Math.floor(maxPoints))
  if (length <= maxPoints || length <= 2) return { indices: range(length), rows: length, points: length, bucket: 1 }
  const perBucket = Math.max(1, 2 * series.length)
  let buckets = Math.max(1, Math.floor((maxPoints - 2) / perBucket))
  let best: Downsampled | undefined
  // The series often share their extremes' rows, so the first try can leave budget unused: grow
  // the bucket count towards the budget a few times; gaps can overshoot it: shrink then.
  for (let attempt = 0; attempt < 8; attempt++) {
    const bucket = Math.max(1, Math.ceil(length / buckets))
    const kept = pickRows(length, series, bucket)
    if (kept.length <= maxPoints) {
      if (!best || kept.length > best.points) best = { indices: kept, rows: length, points: kept.length, bucket }
      if (kept.length >= maxPoints * 0.9 || bucket === 1) break
      buckets = Math.floor(buckets * Math.min(4, maxPoints * 0.97 / kept.length))
    } else {
      if (buckets === 1) break
      buckets = Math.max(1, Math.floor(buckets * maxPoints / kept.length) - 1)
    }
  }
  if (best) return best
  // nothing fitted (a pathological gap pattern with a tiny budget): evenly spaced rows
  const step = (length - 1) / (maxPoints - 1)
  const indices = [...new Set(Array.from({ length: maxPoints }, (_, i) => Math.round(i * step)))]
  return { indices, rows: length, points: indices.length, bucket: Math.ceil(step) }
}

function pickRows (length: number, series: ReadonlyArray<ArrayLike<Cell>>, bucket: number): number[] {
  const keep = new Uint8Array(length)
  keep[0] = 1
  keep[length - 1] = 1
  for (let start = 0; start < length; start += bucket) {
    const end = Math.min(length, start + bucket)
    for (const values of series) {
      let lo = -1
      let hi = -1
      let gap = -1
      for (let i = start; i < end; i++) {
        const v = values[i]
        if (v === null || v === undefined || Number.isNaN(v)) {
          if (gap < 0) gap = i
          continue
        }
        if (lo < 0 || v < (values[lo] as number)) lo = i
        if (hi < 0 || v > (values[hi] as number)) hi = i
      }
      if (lo >= 0) keep[lo] = 1
      if (hi >= 0) keep[hi] = 1
      if (gap >= 0) keep[gap] = 1
    }
  }
  const out: number[] = []
  for (let i = 0; i < length; i++) if (keep[i]) out.push(i)
  return out
}

/** The values at `indices`. */
export function pick<T> (values: ArrayLike<T>, indices: readonly number[]): T[] {
  const out = new Array<T>(indices.length)
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]]
  return out
}

/** Downsamples x and every series together. */
export function downsample (x: ArrayLike<number>, series: ReadonlyArray<ArrayLike<Cell>>, maxPoints: number): { x: number[]; series: Cell[][]; info: Downsampled } {
  const info = minMaxIndices(x.length, series, maxPoints)
  return { x: pick(x, info.indices), series: series.map((s) => pick(s, info.indices)), info }
}

function range (n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}
