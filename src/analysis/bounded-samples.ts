/**
 * A results folder's samples read in bounded memory, whatever the number of rows: a watch
 * re-analyses and redraws its folder every --every for days, and a table of every row would grow
 * memsiege's own memory with the rows (a day at 1 s is 86,400 of them).
 *
 * The rows are cut into buckets of consecutive rows, as many rows to a bucket (a power of two) as
 * keeps the table under `maxRows`. Kept rows are real rows (all their clocks, GC age and major-GC
 * count belong together). For each series of the analysis, each bucket keeps the row of its lowest
 * fresh reading, and that series' cells are left empty in the other kept rows: the series is then
 * read as one reading per bucket, the bucket's floor, so that a window of n of them has the floor
 * of a window of n × bucket readings of the full series (the floors the analysis takes, the
 * windows it may choose: it needs at least 1/400 of the readings to a window, far more than a
 * bucket). Each bucket also keeps the highest row of the series a chart draws (its peaks) and the
 * first empty one (a gap), the first row where a counter moved (a major GC; a new pid or process
 * count, where a restart splits the analysis), and the table's first and last rows. Buckets grow
 * by doubling while the file is read; what a bucket keeps is the same whether its rows came in one
 * go or were merged from two halves, so the result does not depend on when the doubling came.
 * Under `maxRows` rows nothing is left out.
 */
import { streamSamplesFiles, type SamplesTable } from './samples-reader.js'
import { FETCH_TIME_SLACK_S } from './floors.js'
import type { MetricSpec } from './metrics.js'
import type { RunResult } from './types.js'

/** A series: a column, or a difference [a, b, …] = a − b − …, and which of its readings are fresh (floors.ts). */
export interface PlannedSeries {
  columns: readonly string[]
  freshness?: MetricSpec['freshness']
}

export interface KeepPlan {
  /** Series read as one reading per bucket: its lowest fresh one. */
  lowest: readonly PlannedSeries[]
  /** Series whose highest row each bucket keeps, and the first row where it has no value (a gap). */
  highest?: ReadonlyArray<readonly string[]>
  /** Columns whose first change in each bucket is kept. */
  changes?: readonly string[]
}

export interface BoundedTable extends SamplesTable {
  /** Rows in the files (`rows` is what was kept). */
  rowsRead: number
  /** The row number in the files of each kept row. */
  rowOf: Float64Array
  /** Rows to a bucket: 1 when every row was kept. */
  bucket: number
}

/** samples files read as readSamplesFiles does, keeping at most `maxRows` rows (see above); `planOf` sees the header. */
export function readSamplesBounded (paths: readonly string[], pick: (header: string[]) => readonly string[], planOf: (header: string[]) => KeepPlan, maxRows: number): BoundedTable {
  let keeper: Keeper | undefined
  let plan: KeepPlan | undefined
  const read = streamSamplesFiles(paths, (header) => {
    plan = planOf(header)
    return [...new Set([...pick(header), ...planColumns(plan)])]
  }, (names) => {
    keeper = new Keeper(names, plan!, Math.floor(maxRows))
  }, (values) => keeper!.add(values))
  const k = keeper!
  k.finish()
  const wanted = new Set(pick(read.header))
  const columns = new Map<string, Float64Array>()
  read.names.forEach((name, c) => { if (wanted.has(name)) columns.set(name, k.column(c)) })
  return {
    header: read.header,
    rows: k.count,
    columns,
    ...(read.startTime !== undefined ? { startTime: read.startTime } : {}),
    skipped: read.skipped,
    rowsRead: k.rowsRead,
    rowOf: k.rowOf.slice(0, k.count),
    bucket: k.bucket
  }
}

function planColumns (plan: KeepPlan): string[] {
  return [...plan.lowest.flatMap((s) => s.columns), ...(plan.highest ?? []).flat(), ...(plan.changes ?? []), 'elapsed_s', 'gc_age_s']
}

/** A series as column positions: the first minus the rest. */
type Terms = readonly number[]

class Keeper {
  readonly #width: number
  /** Cells per kept row: the columns, then each lowest series' fresh reading (NaN when none). */
  readonly #stride: number
  readonly #lowest: Array<{ terms: Terms; freshness: MetricSpec['freshness'] }>
  readonly #highest: Terms[]
  readonly #changes: number[]
  /** Per column: the lowest series that read it (bits), 0 for the columns always kept. */
  readonly #readBy: Uint32Array
  readonly #elapsed: number
  readonly #age: number
  readonly #capacity: number
  // Grown up to #capacity as rows come: a short file takes little.
  #cells: Float64Array
  rowOf: Float64Array
  /** Bit k: the row is a change of `#changes[k]` from the row before it in the files. */
  #flags: Uint32Array
  /** Bit j: the row holds the reading of lowest series j for its bucket. */
  #masks?: Uint32Array
  /** Scratch for the rows one bucket keeps. */
  readonly #pick: Int32Array
  readonly #previous: Float64Array
  readonly #lastFetch: Float64Array
  readonly #lastValue: Float64Array
  count = 0
  rowsRead = 0
  bucket = 1
  #last?: Float64Array

  constructor (names: readonly string[], plan: KeepPlan, maxRows: number) {
    this.#width = names.length
    const terms = (series: readonly string[]): Terms | undefined => {
      const at = series.map((c) => names.indexOf(c))
      return at[0] >= 0 ? at.filter((i) => i >= 0) : undefined
    }
    this.#lowest = plan.lowest.slice(0, 32).flatMap((s) => {
      const t = terms(s.columns)
      return t ? [{ terms: t, freshness: s.freshness ?? 'every-row' }] : []
    })
    this.#highest = (plan.highest ?? []).map(terms).filter((t): t is Terms => t !== undefined)
    this.#changes = [...new Set((plan.changes ?? []).map((c) => names.indexOf(c)).filter((i) => i >= 0))].slice(0, 32)
    this.#readBy = new Uint32Array(this.#width)
    this.#lowest.forEach((s, j) => { for (const c of s.terms) this.#readBy[c] |= 1 << j })
    this.#elapsed = names.indexOf('elapsed_s')
    this.#age = names.indexOf('gc_age_s')
    this.#stride = this.#width + this.#lowest.length
    // Room for a few buckets' worth of kept rows, whatever the plan.
    this.#capacity = Math.max(maxRows, 4 * (1 + this.#lowest.length + 2 * this.#highest.length + this.#changes.length))
    const rows = Math.min(this.#capacity, 1024)
    this.#cells = new Float64Array(rows * this.#stride)
    this.rowOf = new Float64Array(rows)
    this.#flags = new Uint32Array(rows)
    this.#previous = new Float64Array(this.#changes.length).fill(NaN)
    this.#pick = new Int32Array(1 + this.#lowest.length + 2 * this.#highest.length + this.#changes.length)
    this.#lastFetch = new Float64Array(this.#lowest.length).fill(-Infinity)
    this.#lastValue = new Float64Array(this.#lowest.length).fill(NaN)
  }

  add (values: Float64Array): void {
    let flags = 0
    for (let k = 0; k < this.#changes.length; k++) {
      const v = values[this.#changes[k]]
      if (Number.isNaN(v)) continue
      if (v !== this.#previous[k]) flags |= 1 << k
      this.#previous[k] = v
    }
    // The last row is kept whatever its bucket says: put back at the end.
    this.#last ??= new Float64Array(this.#stride)
    this.#last.set(values)
    for (let j = 0; j < this.#lowest.length; j++) this.#last[this.#width + j] = this.#fresh(values, j)
    this.#room()
    this.#cells.set(this.#last, this.count * this.#stride)
    this.rowOf[this.count] = this.rowsRead++
    this.#flags[this.count] = flags
    this.count++
  }

  /** Room for one more row: more memory up to the capacity, then fewer rows. */
  #room (): void {
    if (this.count < this.rowOf.length) return
    if (this.rowOf.length < this.#capacity) {
      const rows = Math.min(this.#capacity, 2 * this.rowOf.length)
      const cells = new Float64Array(rows * this.#stride)
      cells.set(this.#cells)
      this.#cells = cells
      const rowOf = new Float64Array(rows)
      rowOf.set(this.rowOf)
      this.rowOf = rowOf
      const flags = new Uint32Array(rows)
      flags.set(this.#flags)
      this.#flags = flags
    } else {
      this.#compact()
    }
  }

  /** Series j's reading in this row when it is a fresh one (as floors.ts's freshReadings tells), else NaN. */
  #fresh (values: Float64Array, j: number): number {
    const { terms, freshness } = this.#lowest[j]
    let v = values[terms[0]]
    for (let k = 1; k < terms.length; k++) v -= values[terms[k]]
    if (freshness === 'gc' && this.#age >= 0) {
      const age = values[this.#age]
      if (Number.isNaN(age)) return NaN
      const when = values[this.#elapsed] - age
      if (when <= this.#lastFetch[j] + FETCH_TIME_SLACK_S) return NaN
      this.#lastFetch[j] = when
    } else if (freshness !== 'every-row') {
      if (!Number.isFinite(v) || v === this.#lastValue[j]) return NaN
      this.#lastValue[j] = v
    }
    return Number.isFinite(v) ? v : NaN
  }

  /** Reduces the rows not yet in buckets, puts the last row back, and marks each bucket's readings. */
  finish (): void {
    if (this.bucket > 1) this.#rebucket()
    if (this.#last !== undefined && this.rowOf[this.count - 1] !== this.rowsRead - 1) {
      this.#room()
      this.#cells.set(this.#last, this.count * this.#stride)
      this.rowOf[this.count] = this.rowsRead - 1
      this.#flags[this.count] = 0
      this.count++
    }
    const masks = new Uint32Array(this.count)
    this.#eachBucket((start, end) => {
      for (let j = 0; j < this.#lowest.length; j++) {
        const r = this.#extreme(this.#width + j, undefined, start, end, -1)
        if (r >= 0) masks[r] |= 1 << j
      }
    })
    this.#masks = masks
  }

  /** Column c of the kept rows; a series' column is empty where the row holds none of its series' readings. */
  column (c: number): Float64Array {
    const out = new Float64Array(this.count)
    const readBy = this.#readBy[c]
    for (let r = 0; r < this.count; r++) out[r] = readBy === 0 || (this.#masks![r] & readBy) !== 0 ? this.#cells[r * this.#stride + c] : NaN
    return out
  }

  /**
   * Reduces the rows added since the last time to the current bucket's, then doubles the bucket
   * until a tenth of the room is free (rows already reduced stay as they are at the same size).
   */
  #compact (): void {
    this.#rebucket()
    while (this.count > this.#capacity * 0.9 && this.bucket < this.rowsRead) {
      this.bucket *= 2
      this.#rebucket()
    }
  }

  #eachBucket (each: (start: number, end: number) => void): void {
    let start = 0
    while (start < this.count) {
      const b = Math.floor(this.rowOf[start] / this.bucket)
      let end = start + 1
      while (end < this.count && Math.floor(this.rowOf[end] / this.bucket) === b) end++
      each(start, end)
      start = end
    }
  }

  #rebucket (): void {
    let out = 0
    this.#eachBucket((start, end) => {
      const n = this.#kept(start, end)
      for (let k = 0; k < n; k++) this.#move(this.#pick[k], out++)
    })
    this.count = out
  }

  /**
   * The rows a bucket keeps, among its rows [start, end): into #pick, ascending and each once;
   * returns how many. No allocation: a long file is compacted many times while it is read.
   */
  #kept (start: number, end: number): number {
    let n = 0
    const add = (r: number): void => { if (r >= 0) this.#pick[n++] = r }
    // The table's first row: where its clocks start.
    if (this.rowOf[start] === 0) add(start)
    for (let j = 0; j < this.#lowest.length; j++) add(this.#extreme(this.#width + j, undefined, start, end, -1))
    for (const t of this.#highest) {
      add(this.#extreme(-1, t, start, end, 1))
      let gap = start
      while (gap < end && !Number.isNaN(this.#value(-1, t, gap))) gap++
      if (gap < end) add(gap)
    }
    for (let k = 0; k < this.#changes.length; k++) {
      let i = start
      while (i < end && (this.#flags[i] & (1 << k)) === 0) i++
      if (i < end) add(i)
    }
    // A handful of rows: insertion sort, then drop repeats.
    for (let i = 1; i < n; i++) {
      const r = this.#pick[i]
      let k = i - 1
      while (k >= 0 && this.#pick[k] > r) {
        this.#pick[k + 1] = this.#pick[k]
        k--
      }
      this.#pick[k + 1] = r
    }
    let m = 0
    for (let i = 0; i < n; i++) if (m === 0 || this.#pick[m - 1] !== this.#pick[i]) this.#pick[m++] = this.#pick[i]
    return m
  }

  /** The first row of the lowest (sign −1) or highest (+1) value in [start, end); −1 when all are empty. */
  #extreme (cell: number, terms: Terms | undefined, start: number, end: number, sign: number): number {
    let best = -1
    let bestValue = NaN
    for (let i = start; i < end; i++) {
      const v = this.#value(cell, terms, i)
      if (Number.isNaN(v)) continue
      if (best < 0 || sign * (v - bestValue) > 0) {
        best = i
        bestValue = v
      }
    }
    return best
  }

  /** A stored cell of the row, or with `terms` a series computed from its columns. */
  #value (cell: number, terms: Terms | undefined, row: number): number {
    const base = row * this.#stride
    if (!terms) return this.#cells[base + cell]
    let v = this.#cells[base + terms[0]]
    for (let k = 1; k < terms.length; k++) v -= this.#cells[base + terms[k]]
    return v
  }

  #move (from: number, to: number): void {
    if (from === to) return
    this.#cells.copyWithin(to * this.#stride, from * this.#stride, (from + 1) * this.#stride)
    this.rowOf[to] = this.rowOf[from]
    this.#flags[to] = this.#flags[from]
  }
}

/** What the analysis of `metrics` needs each bucket to keep: floors, major GCs, restarts. */
export function analysisKeepPlan (metrics: readonly MetricSpec[]): KeepPlan {
  return {
    lowest: metrics.map((m) => ({ columns: m.difference ?? [m.column], freshness: m.freshness })),
    changes: ['procs', 'gc.pid', ...metrics.flatMap((m) => (m.majorCounter ? [m.majorCounter] : []))]
  }
}

/** A result on a bounded table, told in the files' rows: its row count and its segments' rows. */
export function inFileRows (result: RunResult, table: BoundedTable): RunResult {
  const at = (rows: [number, number]): [number, number] => [rows[0], rows[1]].map((r) => (r < table.rows ? table.rowOf[r] : table.rowsRead)) as [number, number]
  for (const m of result.metrics) {
    for (const s of m.segments) s.rows = at(s.rows)
  }
  for (const n of result.why.notes) if (n.kind === 'restarted') n.rows = n.rows.map(at)
  return { ...result, rows: table.rowsRead }
}
