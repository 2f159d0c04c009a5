/**
 * Floor series of known shape with seeded noise, for the settling/leak/plateau tests: what
 * memory does over a run, minus everything but the shape. x is requests completed.
 *
 * Noise: white (a reading's jitter) plus AR(1) with φ = 0.7 (a level that is high now stays
 * high for a while, as RSS and heap floors do), both with standard deviation `noise`.
 */
export type ShapeName = 'leak' | 'settling-exp' | 'settling-log' | 'plateau' | 'flat' | 'leak-after-warmup' | 'cache-fill' | 'arena-warmup' | 'leak-from-start'

export interface ShapeOptions {
  points?: number
  /** Requests between floors. */
  step?: number
  /** Level at the start. */
  base?: number
  /** Growth over the run that the shape is scaled to (before noise). */
  growth?: number
  noise?: number
  seed?: number
}

export function shapeSeries (name: ShapeName, o: ShapeOptions = {}): { x: number[]; y: number[] } {
  const n = o.points ?? 120
  const step = o.step ?? 1000
  const base = o.base ?? 50e6
  const growth = o.growth ?? 20e6
  const noise = o.noise ?? 150e3
  const span = (n - 1) * step
  let seed = (o.seed ?? 1) * 2654435761 >>> 0 || 1
  const uniform = () => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return ((seed >>> 0) + 0.5) / 4294967296
  }
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
  const curve = (x: number): number => {
    const u = x / span
    switch (name) {
      case 'leak': return growth * u
      // Still growing at the end, but bending: the rate falls to 1/e² over the run.
      case 'settling-exp': return growth * (1 - Math.exp(-2 * u)) / (1 - Math.exp(-2))
      // A fresh process that has already served as many requests before the steady state as a
      // tenth of the run: the rate falls as 1/requests, and never quite stops.
      case 'settling-log': return growth * Math.log(1 + 10 * u) / Math.log(11)
      case 'plateau': return growth * (1 - Math.exp(-8 * u))
      case 'flat': return 0
      // A leak with a warm-up on top that adds a fifth of the leak's rate at first.
      case 'leak-after-warmup': return growth * u + 0.2 * growth * (1 - Math.exp(-5 * u)) / 5
      // A bounded cache: fills at a steady rate over the first 60% of the run, then full.
      case 'cache-fill': return growth * Math.min(u, 0.6) / 0.6
      // A fresh process's life from its first request: malloc arenas following the high-water
      // mark of what is live at once, which for a random walk grows as √requests: over the
      // analysed stretch alone (after a tenth of the requests) the rate falls too slowly to call
      // it bending; from the process's first requests on it has fallen threefold.
      case 'arena-warmup': return growth * Math.sqrt(u)
      // A malloc never freed, from the first request, with a smaller arena fill on top.
      case 'leak-from-start': return 0.2 * growth * (1 - Math.exp(-u / 0.02)) + growth * u
    }
  }
  const x: number[] = []
  const y: number[] = []
  let ar = 0
  for (let i = 0; i < n; i++) {
    ar = 0.7 * ar + Math.sqrt(1 - 0.49) * gauss()
    x.push(i * step)
    y.push(base + curve(i * step) + noise * (ar + gauss()) / Math.SQRT2)
  }
  return { x, y }
}
