/**
 * `memsiege analyze --prom URL --memory QUERY [--requests QUERY] [--start-time QUERY] --since 3d
 * [--until T] [--step 15s] [--json]`: one verdict per instance of a fleet, from the history in
 * Prometheus. Exit 4 when an instance leaks, 2 for bad flags or a query Prometheus refuses or
 * that selects nothing, 3 when Prometheus can't be reached.
 */
import { fleetGrid, type RangeFlags } from '../fleet/fleet-range.js'
import { queryRange } from '../fleet/prom-range.js'
import { judgeFleet } from '../fleet/judge-fleet.js'
import { fleetText } from '../fleet/fleet-text.js'
import { verdictOptions } from '../analysis/verdict-of-dir.js'
import { EXIT_BAD_INPUT, EXIT_BREACH } from './analyze.js'
import { ConfigError, MemsiegeError, PrometheusQueryError, PrometheusUnreachableError } from '../errors.js'

/** Prometheus can't be reached: nothing could be judged. */
export const EXIT_UNREACHABLE = 3

export interface AnalyzePromArgs extends RangeFlags {
  prom: string
  memory?: string
  requests?: string
  startTime?: string
  json: boolean
  failOn?: string
  warmup?: string
}

export async function analyzePromCommand (args: AnalyzePromArgs): Promise<number> {
  try {
    const fleet = await judgeFromPrometheus(args, Date.now() / 1000)
    process.stdout.write(args.json ? JSON.stringify(fleet, null, 2) + '\n' : fleetText(fleet))
    return fleet.breaches.length ? EXIT_BREACH : 0
  } catch (err) {
    if (!(err instanceof MemsiegeError)) throw err
    process.stderr.write(`memsiege: ${err.message}\n`)
    return err instanceof PrometheusUnreachableError ? EXIT_UNREACHABLE : EXIT_BAD_INPUT
  }
}

async function judgeFromPrometheus (args: AnalyzePromArgs, now: number) {
  if (!/^https?:\/\//.test(args.prom)) throw new ConfigError(`--prom ${args.prom}: expected the Prometheus server's http(s) URL (http://127.0.0.1:9090)`)
  if (!args.memory) throw new ConfigError('--prom needs --memory QUERY: the memory of each instance (container_memory_working_set_bytes{...}, process_resident_memory_bytes{...})')
  const grid = fleetGrid(args, now)
  const options = verdictOptions({ flags: { warmup: args.warmup, failOn: args.failOn } })
  const read = async (flag: string, query: string) => {
    const series = await queryRange(args.prom, flag, query, grid)
    if (series.length === 0) throw new PrometheusQueryError(`${flag} ${JSON.stringify(query)}: no series between ${new Date(grid.start * 1000).toISOString()} and ${new Date((grid.start + (grid.steps - 1) * grid.step) * 1000).toISOString()}`)
    return series
  }
  const memory = await read('--memory', args.memory)
  const requests = args.requests ? await read('--requests', args.requests) : undefined
  const startTimes = args.startTime ? await read('--start-time', args.startTime) : undefined
  return judgeFleet({ grid, memory, ...(requests ? { requests } : {}), ...(startTimes ? { startTimes } : {}), options })
}
