/**
 * A fleet's verdict over a range: its queries read from Prometheus on the range's grid, each
 * required to select something, then judged instance by instance (judge-fleet.ts). What
 * `analyze --prom` does once and `watch --prom` at every --every.
 */
import { fleetGrid, type RangeFlags } from './fleet-range.js'
import { queryRange } from './prom-range.js'
import { judgeFleet, type FleetVerdict } from './judge-fleet.js'
import type { AnalysisOptions } from '../analysis/analyze-run.js'
import { ConfigError, PrometheusEmptyError } from '../errors.js'

export interface FleetQueries {
  /** The Prometheus server's base URL. */
  prom: string
  memory?: string
  requests?: string
  startTime?: string
}

/** Throws ConfigError or PrometheusQueryError for bad flags and queries, PrometheusUnreachableError when the server doesn't answer. */
export function checkQueries (q: FleetQueries): asserts q is FleetQueries & { memory: string } {
  if (!/^https?:\/\//.test(q.prom)) throw new ConfigError(`--prom ${q.prom}: expected the Prometheus server's http(s) URL (http://127.0.0.1:9090)`)
  if (!q.memory) throw new ConfigError('--prom needs --memory QUERY: the memory of each instance (container_memory_working_set_bytes{...}, process_resident_memory_bytes{...})')
}

export async function judgeRange (q: FleetQueries, range: RangeFlags, now: number, options: AnalysisOptions): Promise<FleetVerdict> {
  checkQueries(q)
  const grid = fleetGrid(range, now)
  const read = async (flag: string, query: string) => {
    const series = await queryRange(q.prom, flag, query, grid)
    if (series.length === 0) throw new PrometheusEmptyError(`${flag} ${JSON.stringify(query)}: no series between ${new Date(grid.start * 1000).toISOString()} and ${new Date((grid.start + (grid.steps - 1) * grid.step) * 1000).toISOString()}`)
    return series
  }
  const memory = await read('--memory', q.memory)
  const requests = q.requests ? await read('--requests', q.requests) : undefined
  const startTimes = q.startTime ? await read('--start-time', q.startTime) : undefined
  return judgeFleet({ grid, memory, ...(requests ? { requests } : {}), ...(startTimes ? { startTimes } : {}), options })
}
