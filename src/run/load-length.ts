/** A length of load — a duration or a number of requests — as runs that decide and bisect trials are sized. */
import { formatCount } from '../units/format.js'

export type LoadLength = { kind: 'duration'; seconds: number } | { kind: 'requests'; count: number }

/** "20s", "3m", "40,000 requests". */
export function lengthLabel (length: LoadLength): string {
  if (length.kind === 'requests') return formatCount(length.count, 'request')
  const s = length.seconds
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600}h`
  if (s >= 60 && s % 60 === 0) return `${s / 60}m`
  return `${Number(s.toFixed(3))}s`
}

export function scaleLength (length: LoadLength, factor: number): LoadLength {
  return length.kind === 'requests' ? { kind: 'requests', count: length.count * factor } : { kind: 'duration', seconds: length.seconds * factor }
}

/** How far into `length` a run is, as a multiple of it. */
export function lengthReached (length: LoadLength, at: { requests: number; elapsedS: number }): number {
  return length.kind === 'requests' ? at.requests / length.count : at.elapsedS / length.seconds
}
