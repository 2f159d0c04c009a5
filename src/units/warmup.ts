/**
 * How much of a run the verdict leaves out as warm-up, as written in a scenario or on the command
 * line: `20%`, `2m`, `5000` (requests) or `auto`. Parsed here, below both the scenario and the
 * analysis, so that neither imports the other; analysis/warmup.ts applies it.
 */
import { parseDuration } from './duration.js'

export type WarmupSpec =
  | { kind: 'auto' }
  | { kind: 'fraction'; value: number }
  | { kind: 'seconds'; value: number }
  | { kind: 'requests'; value: number }

/** Throws an Error whose message says what is wrong (the caller adds where). */
export function parseWarmup (input: string | number): WarmupSpec {
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < 0) throw new Error(`bad warm-up ${input}: a number is requests, a whole number of at least 0`)
    return { kind: 'requests', value: input }
  }
  const s = input.trim()
  if (s === 'auto') return { kind: 'auto' }
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(s)
  if (pct) {
    const v = Number(pct[1])
    if (v >= 100) throw new Error(`bad warm-up "${input}": must be less than 100%`)
    return { kind: 'fraction', value: v / 100 }
  }
  const req = /^(\d+)\s*(?:requests?|reqs?)?$/i.exec(s)
  if (req) return { kind: 'requests', value: Number(req[1]) }
  try {
    return { kind: 'seconds', value: parseDuration(s) }
  } catch {
    throw new Error(`bad warm-up "${input}": expected a share of the requests (20%), a duration (2m, 90s) or a number of requests (5000), or auto`)
  }
}

export function formatWarmup (spec: WarmupSpec): string {
  switch (spec.kind) {
    case 'auto': return 'auto'
    case 'fraction': return `${+(spec.value * 100).toFixed(2)}%`
    case 'seconds': return `${spec.value}s`
    case 'requests': return `${spec.value} requests`
  }
}
