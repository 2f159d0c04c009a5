/**
 * Since when an instance leaks: over days of history a leak often starts at some hour (a deploy,
 * a new kind of traffic), after a flat stretch. The floors of the segment that leaks first are
 * fitted with a hinge, flat up to a point and then a straight rise (least squares, every floor
 * tried as the point); the best point is where the leak started. A segment that rises from its
 * first floor on leaked from its start.
 */
import type { Series } from '../analysis/stats/series.js'

/** The x of the floor where the rise starts (the first floor's when it rises throughout). */
export function leakStartX (floors: Series): number | undefined {
  const n = floors.x.length
  if (n < 3) return undefined
  let best = Infinity
  let bestK = 0
  // Only break points with at least two floors after them: one floor fits any rise.
  for (let k = 0; k < n - 2; k++) {
    const sse = hingeSse(floors, floors.x[k])
    if (sse < best) {
      best = sse
      bestK = k
    }
  }
  return floors.x[bestK]
}

/** Residual sum of squares of y = a + b × max(0, x − at), least squares in a and b. */
function hingeSse (s: Series, at: number): number {
  const n = s.x.length
  let sh = 0
  let sy = 0
  let shh = 0
  let shy = 0
  let syy = 0
  // Centred on the first floor: sums of squares of RSS in bytes would lose the residuals' digits.
  for (let i = 0; i < n; i++) {
    const h = Math.max(0, s.x[i] - at)
    const y = s.y[i] - s.y[0]
    sh += h
    sy += y
    shh += h * h
    shy += h * y
    syy += y * y
  }
  const varH = shh - (sh * sh) / n
  const covHy = shy - (sh * sy) / n
  const varY = syy - (sy * sy) / n
  return varH > 0 ? varY - (covHy * covHy) / varH : varY
}
