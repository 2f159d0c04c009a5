/**
 * Stretches of a run without a target restart. A restarted target starts again from its
 * baseline, so a leak's memory falls at the restart; analysed as one series that drop would
 * hide the leak (or fake a shrink). Each segment is analysed on its own, and their statistics
 * are pooled without ever pairing points across a restart.
 *
 * A segment ends where
 * - the target is gone: `procs` is 0 (memsiege's /proc sampler found no process),
 * - events.csv says `target_restarted` (a new process took the port) or `target_exited`,
 * - `gc.pid` changes to a process never seen before, unless pids alternate, which is puma's
 *   cluster mode (any worker may answer the GC endpoint) rather than a restart.
 */
import { existsSync } from 'node:fs'
import { parseCsvRecord } from './csv-record.js'
import { readRegularFile } from '../files/regular-file.js'

export interface TargetEventRow {
  /** Seconds since the load started, as samples.csv's elapsed_s. */
  elapsed_s: number
  type: string
  pid: number
}

export interface Segment {
  /** Data rows [start, end). */
  rows: [number, number]
  /** Why it starts where it does. */
  startsAt: 'run-start' | 'target-back' | 'restart-event' | 'new-gc-pid'
}

/** events.csv beside samples.csv, with times placed on the samples' clock; [] when absent. */
export function readEvents (path: string, startTime: string | undefined): TargetEventRow[] {
  if (!existsSync(path) || startTime === undefined) return []
  const t0 = Date.parse(startTime)
  if (Number.isNaN(t0)) return []
  let text: string
  try {
    text = readRegularFile(path)
  } catch (err) {
    throw new Error(`${path}: can't be read (${(err as Error).message})`)
  }
  const out: TargetEventRow[] = []
  let i = 0
  let header: string[] | undefined
  while (i < text.length) {
    const record = parseCsvRecord(text, i, true)!
    i = record.end
    if (!header) {
      header = record.fields
      continue
    }
    const cell = (name: string) => record.fields[header!.indexOf(name)]
    const time = Date.parse(cell('time') ?? '')
    if (Number.isNaN(time)) continue
    out.push({ elapsed_s: (time - t0) / 1000, type: cell('type') ?? '', pid: Number(cell('pid')) })
  }
  return out
}

export interface SegmentInput {
  rows: number
  elapsed: Float64Array
  procs?: Float64Array
  gcPid?: Float64Array
  events: readonly TargetEventRow[]
}

export function findSegments (input: SegmentInput): Segment[] {
  const { rows, elapsed, procs, gcPid, events } = input
  const breaks = new Map<number, Segment['startsAt']>()

  // Events: the first row taken at or after the event starts a new segment.
  for (const e of events) {
    if (e.type !== 'target_restarted' && e.type !== 'target_exited') continue
    const row = firstRowAtOrAfter(elapsed, e.elapsed_s)
    if (row > 0 && row < rows) breaks.set(row, 'restart-event')
  }

  if (gcPid && !alternates(gcPid)) {
    let last = NaN
    for (let r = 0; r < rows; r++) {
      const pid = gcPid[r]
      if (Number.isNaN(pid)) continue
      if (!Number.isNaN(last) && pid !== last && !breaks.has(r)) breaks.set(r, 'new-gc-pid')
      last = pid
    }
  }

  const segments: Segment[] = []
  let start = -1
  let startsAt: Segment['startsAt'] = 'run-start'
  const close = (end: number) => {
    if (start >= 0 && end - start >= 2) segments.push({ rows: [start, end], startsAt })
    start = -1
  }
  for (let r = 0; r < rows; r++) {
    const down = procs !== undefined && procs[r] === 0
    if (down) {
      if (start >= 0) close(r)
      startsAt = 'target-back'
      continue
    }
    const why = breaks.get(r)
    if (why && start >= 0) {
      close(r)
      startsAt = why
    }
    if (start < 0) start = r
  }
  close(rows)
  return segments
}

function firstRowAtOrAfter (elapsed: Float64Array, t: number): number {
  let lo = 0
  let hi = elapsed.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (elapsed[mid] < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** A pid seen again after another one: several processes answer in turn (puma's cluster mode). */
function alternates (pids: Float64Array): boolean {
  const seen = new Set<number>()
  let last = NaN
  for (const pid of pids) {
    if (Number.isNaN(pid) || pid === last) continue
    if (seen.has(pid)) return true
    seen.add(pid)
    last = pid
  }
  return false
}
