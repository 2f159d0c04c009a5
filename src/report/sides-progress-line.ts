/**
 * The live line of a side-by-side run: one clock, then each target's figures, so that a target
 * falling behind (or erring) shows beside the others on the one line a terminal rewrites.
 */
import { progressClock, progressFigures, type RunProgress } from './progress-line.js'

/** "00:12 / 00:48 left  a: 1200 requests  300 req/s  0 errors | b: 1198 requests  299 req/s  0 errors" */
export function sidesProgressLine (sides: ReadonlyArray<readonly [string, RunProgress | undefined]>): string {
  const known = sides.flatMap(([, p]) => p ? [p] : [])
  if (known.length === 0) return ''
  // the clock of the target furthest along: in lockstep the others are a request per user behind at most
  const lead = known.reduce((x, p) => (p.elapsedS > x.elapsedS ? p : x))
  const figures = sides.map(([name, p]) => `${name}: ${p ? progressFigures(p) : 'starting'}`)
  return `${progressClock(lead)}  ${figures.join(' | ')}`
}
