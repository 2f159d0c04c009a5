/**
 * On a watch's CPU axis (x-axis.ts, CPU_AXIS), the readings taken while the target worked. Where
 * it does nothing its CPU time stands still, and its readings pile up at one x: kept there, a
 * long lull would weigh on the trend test as much as the traffic before it, and a leak whose
 * traffic stopped would read as growth that stopped. The work per reading under traffic is the
 * mean step of the readings whose step is at least the mean of all (the lull's pull the overall
 * mean down, not this one); a reading is kept once the target has done, since the last one kept,
 * at least half of that. The first is always kept.
 */
import type { Readings } from './floors.js'

/** The least work between two kept readings, as a share of the work per reading under traffic. */
export const MIN_WORK_SHARE = 0.5

export function workedReadings (r: Readings): Readings {
  const n = r.x.length
  if (n < 3) return r
  const steps = Array.from({ length: n - 1 }, (_, i) => r.x[i + 1] - r.x[i])
  const mean = (r.x[n - 1] - r.x[0]) / (n - 1)
  if (!(mean > 0)) return r
  const busy = steps.filter((s) => s >= mean)
  const step = (MIN_WORK_SHARE * busy.reduce((a, b) => a + b, 0)) / busy.length
  const keep: number[] = [0]
  for (let i = 1; i < n; i++) if (r.x[i] - r.x[keep[keep.length - 1]] >= step) keep.push(i)
  if (keep.length === n) return r
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i])
  return {
    x: pick(r.x),
    t: pick(r.t),
    y: pick(r.y),
    ...(r.major ? { major: pick(r.major) } : {}),
    ...(r.settled ? { settled: pick(r.settled) } : {}),
  }
}
