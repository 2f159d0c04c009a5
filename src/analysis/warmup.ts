/**
 * The warm-up left out of each segment: a server's first requests fill caches, JIT-compile
 * code, grow the runtime's heap and connection pools; that growth stops by itself and must not
 * count as a leak.
 *
 * `analysis.warmup` (and `--warmup`): `20%` of the segment's requests, `2m` (a duration), `5000`
 * (requests), or `auto`: 10% of the requests, or up to the first major GC if that comes later
 * (before it the heap holds every object ever promoted, garbage included), but never more
 * than 20%, so that most of the run is analysed even when major GCs are rare.
 */
import { formatWarmup, type WarmupSpec } from '../units/warmup.js'
import { formatCount } from '../units/format.js'

export const AUTO_WARMUP_FRACTION = 0.1
export const AUTO_WARMUP_MAX_FRACTION = 0.2

export interface WarmupCut {
  /** The first row of the steady state (absolute row index). */
  row: number
  /** Requests and seconds left out, from the segment's start. */
  requests: number
  elapsed_s: number
  /** How it was chosen, in words. */
  rule: string
}

/**
 * Where the steady state starts in rows [from, to). `majors` is a major-GC counter per row
 * (NaN where unknown), for `auto`.
 */
export function warmupCut (spec: WarmupSpec, requests: Float64Array, elapsed: Float64Array, from: number, to: number, majors?: Float64Array): WarmupCut {
  const x0 = requests[from]
  const t0 = elapsed[from]
  const span = requests[to - 1] - x0
  let rule: string
  let byRequests: number | undefined
  let bySeconds: number | undefined
  switch (spec.kind) {
    case 'fraction':
      byRequests = span * spec.value
      rule = `${formatWarmup(spec)} of the requests`
      break
    case 'requests':
      byRequests = spec.value
      rule = formatCount(spec.value, 'request')
      break
    case 'seconds':
      bySeconds = spec.value
      rule = `${spec.value} s`
      break
    case 'auto': {
      byRequests = span * AUTO_WARMUP_FRACTION
      rule = `auto: ${AUTO_WARMUP_FRACTION * 100}% of the requests`
      const major = majors ? firstMajor(majors, requests, from, to) : undefined
      if (major !== undefined && major - x0 > byRequests) {
        const cap = span * AUTO_WARMUP_MAX_FRACTION
        byRequests = Math.min(major - x0, cap)
        rule = major - x0 > cap ? `auto: up to the first major GC, capped at ${AUTO_WARMUP_MAX_FRACTION * 100}% of the requests` : 'auto: up to the first major GC'
      }
      break
    }
  }
  let row = from
  if (byRequests !== undefined) while (row < to && requests[row] - x0 < byRequests) row++
  if (bySeconds !== undefined) while (row < to && elapsed[row] - t0 < bySeconds) row++
  const at = Math.min(row, to - 1)
  return { row, requests: requests[at] - x0, elapsed_s: elapsed[at] - t0, rule }
}

/** Requests completed when the counter first moved within the segment. */
function firstMajor (majors: Float64Array, requests: Float64Array, from: number, to: number): number | undefined {
  let first = NaN
  for (let r = from; r < to; r++) {
    const v = majors[r]
    if (Number.isNaN(v)) continue
    if (Number.isNaN(first)) first = v
    else if (v > first) return requests[r]
  }
  return undefined
}
