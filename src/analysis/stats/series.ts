/** A series of points ordered by x (requests completed, non-decreasing). */
export interface Series {
  x: Float64Array
  y: Float64Array
}

export function series (x: ArrayLike<number>, y: ArrayLike<number>): Series {
  if (x.length !== y.length) throw new Error(`series: ${x.length} x values but ${y.length} y values`)
  return { x: Float64Array.from(x), y: Float64Array.from(y) }
}

/** Points [from, to) of a series, as views (no copy). */
export function slice (s: Series, from: number, to: number): Series {
  return { x: s.x.subarray(from, to), y: s.y.subarray(from, to) }
}
