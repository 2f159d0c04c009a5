import type { Argv } from 'yargs'
import type { Scenario } from '../scenario/types.js'
import { ConfigError } from '../errors.js'
import { parseRate } from '../units/rate.js'
import { positiveInteger } from './flag-values.js'

export interface EngineFlags {
  workers?: number
  rate?: string
  maxInFlight?: number
  transport?: 'fast' | 'undici'
  verbose?: boolean
}

/** Most worker threads: as many as the scenario key allows. */
const MAX_WORKERS = 64

export function engineOptions<T> (y: Argv<T>) {
  return y
    .option('workers', { coerce: (v: unknown) => positiveInteger('--workers', v), describe: 'spread the users over N worker threads' })
    .option('rate', { alias: 'R', type: 'string', describe: 'fixed rate (open model): 500, 500/s, 30k/s' })
    .option('max-in-flight', { coerce: (v: unknown) => positiveInteger('--max-in-flight', v), describe: 'with --rate: requests in flight at most (default 1000)' })
    .option('transport', { choices: ['fast', 'undici'] as const, describe: 'HTTP client (default fast: own HTTP/1.1 path for http:)' })
}

/** The flags over the scenario's keys, then the checks that need both (stop condition, -v). */
export function applyEngineFlags (scenario: Scenario, flags: EngineFlags): Scenario {
  const out = { ...scenario }
  if (flags.workers !== undefined) {
    if (flags.workers > MAX_WORKERS) throw new ConfigError(`--workers must be at most ${MAX_WORKERS}, not ${flags.workers}`)
    out.workers = flags.workers
  }
  if (flags.rate !== undefined) {
    try {
      out.rate = parseRate(flags.rate)
    } catch (err) {
      throw new ConfigError(`--rate: ${(err as Error).message}`)
    }
  }
  if (flags.maxInFlight !== undefined) out.maxInFlight = flags.maxInFlight
  if (flags.transport !== undefined) out.transport = flags.transport
  if (out.maxInFlight !== undefined && out.rate === undefined) throw new ConfigError('--max-in-flight (maxInFlight) is only used with a fixed rate (--rate, rate:)')
  if (out.rate !== undefined && (out.stop.kind === 'passes' || out.stop.kind === 'repetitions')) {
    throw new ConfigError(`a fixed rate stops on a duration or a request count, not on ${out.stop.kind === 'passes' ? 'passes' : '-r (repetitions per user)'}`)
  }
  // One line per request from several threads would need every transaction posted across: not offered.
  if ((out.workers ?? 1) > 1 && flags.verbose) throw new ConfigError('-v (one line per request) works with one worker only; leave out --workers')
  return out
}
