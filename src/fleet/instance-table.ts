/**
 * One instance's Prometheus series as the table the run analysis reads (analyze-run.ts,
 * analyzeTable): `rss_bytes` from the memory query, `elapsed_s` from the grid, and `requests`, the
 * x axis: the instance's request counter, or its CPU seconds, summed across the counter's resets,
 * else seconds. Steps without a memory value (or without the counter) are left out.
 *
 * A process that restarted starts again from its baseline: a segment ends (a `target_restarted`
 * event before its first row) where the counter went down, where `process_start_time_seconds`
 * changed, or where the series has a gap (Prometheus had no value for a whole lookback window:
 * scrapes failed or the instance was gone).
 */
import type { SamplesTable } from '../analysis/samples-reader.js'
import type { TargetEventRow } from '../analysis/segments.js'
import type { Grid } from './prom-range.js'

export interface InstanceSeries {
  memory: Float64Array
  /** A counter (requests or CPU seconds): the x axis. */
  counter?: Float64Array
  /** process_start_time_seconds. */
  startTime?: Float64Array
}

export interface InstanceTable {
  table: SamplesTable
  events: TargetEventRow[]
  /** Seconds since the epoch of each row. */
  time: Float64Array
  /** Where a segment starts, and why: a restart (counter reset, new start time) or a gap. */
  breaks: Array<{ row: number, why: 'restart' | 'gap' }>
}

/** A start time that moves by less than this is the same process (exporters round it). */
const SAME_START_S = 1

export function instanceTable (series: InstanceSeries, grid: Grid): InstanceTable {
  const { memory, counter, startTime } = series
  const rows: number[] = []
  for (let k = 0; k < grid.steps; k++) {
    if (Number.isFinite(memory[k]) && (!counter || Number.isFinite(counter[k]))) rows.push(k)
  }
  const n = rows.length
  const requests = new Float64Array(n)
  const elapsed = new Float64Array(n)
  const rss = new Float64Array(n)
  const time = new Float64Array(n)
  const breaks: InstanceTable['breaks'] = []
  let x = 0
  for (let r = 0; r < n; r++) {
    const k = rows[r]
    const prev = r > 0 ? rows[r - 1] : -1
    time[r] = grid.start + k * grid.step
    elapsed[r] = (k - rows[0]) * grid.step
    rss[r] = memory[k]
    if (r > 0) {
      const reset = counter !== undefined && counter[k] < counter[prev]
      const started = startTime !== undefined && Number.isFinite(startTime[k]) && Number.isFinite(startTime[prev]) && Math.abs(startTime[k] - startTime[prev]) >= SAME_START_S
      if (reset || started) breaks.push({ row: r, why: 'restart' })
      else if (k - prev > 1) breaks.push({ row: r, why: 'gap' })
      // A reset counter counts again from 0: what it counts now is all new.
      if (counter) x += reset ? counter[k] : counter[k] - counter[prev]
    }
    requests[r] = counter ? x : elapsed[r]
  }
  const events = breaks.map((b) => ({ elapsed_s: elapsed[b.row], type: 'target_restarted', pid: 0 }))
  const table: SamplesTable = {
    header: ['requests', 'elapsed_s', 'rss_bytes'],
    rows: n,
    columns: new Map([['requests', requests], ['elapsed_s', elapsed], ['rss_bytes', rss]]),
    skipped: 0
  }
  return { table, events, time, breaks }
}
