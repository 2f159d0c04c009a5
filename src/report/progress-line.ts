import type { RunProgress } from '../run/run-scenario.js'

/** The live line on stderr: elapsed / remaining, requests, rate, errors. */
export function progressLine (p: RunProgress): string {
  const remaining = p.remainingS === undefined ? '' : ` / ${clock(p.remainingS)} left`
  return `${clock(p.elapsedS)}${remaining}  ${p.requests} requests  ${p.rps.toFixed(0)} req/s  ${p.errors} errors`
}

function clock (seconds: number): string {
  const s = Math.floor(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${h > 0 ? `${h}:` : ''}${two(m)}:${two(s % 60)}`
}
