/** Order statistics on plain arrays; inputs are never modified. */

/** The q-quantile (0..1) by linear interpolation between order statistics (R's type 7). */
export function quantile (values: ArrayLike<number>, q: number): number {
  const n = values.length
  if (n === 0) return NaN
  const sorted = Float64Array.from(values).sort()
  return quantileSorted(sorted, q)
}

/** As quantile, for values already sorted ascending. */
export function quantileSorted (sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0) return NaN
  const h = (n - 1) * Math.min(1, Math.max(0, q))
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

export function median (values: ArrayLike<number>): number {
  return quantile(values, 0.5)
}

/** Ranks 1..n, ties given their average rank. */
export function ranks (values: ArrayLike<number>): Float64Array {
  const n = values.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b])
  const out = new Float64Array(n)
  for (let i = 0; i < n;) {
    let j = i
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) out[order[k]] = rank
    i = j + 1
  }
  return out
}
