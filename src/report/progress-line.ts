import { formatCount } from '../units/format.js'

/** Where a run stands, as the progress line shows it (run-scenario.ts reports it every interval). */
export interface RunProgress {
  elapsedS: number
  /** Seconds left for a duration run; undefined otherwise. */
  remainingS?: number
  requests: number
  errors: number
  rps: number
}

/** The live line on stderr: elapsed / remaining, requests, rate, errors. */
export function progressLine (p: RunProgress): string {
  return `${progressClock(p)}  ${progressFigures(p)}`
}

/** "00:12 / 00:48 left" */
export function progressClock (p: Pick<RunProgress, 'elapsedS' | 'remainingS'>): string {
  const remaining = p.remainingS === undefined ? '' : ` / ${clock(p.remainingS)} left`
  return `${clock(p.elapsedS)}${remaining}`
}

/** "1,200 requests  300 req/s  1 error" */
export function progressFigures (p: RunProgress): string {
  return `${formatCount(p.requests, 'request')}  ${p.rps.toFixed(0)} req/s  ${formatCount(p.errors, 'error')}`
}

function clock (seconds: number): string {
  const s = Math.floor(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${h > 0 ? `${h}:` : ''}${two(m)}:${two(s % 60)}`
}
