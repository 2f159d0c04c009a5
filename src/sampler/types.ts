import type { ColumnMeanings } from '../columns/index.js'

/** A cell of samples.csv: a number, a string, or empty when the reading failed. */
export type Cell = number | string | undefined

/**
 * A source of columns for samples.csv beside the load figures (the target's /proc, its GC
 * endpoint, memsiege itself). The run loop reads every sampler once per interval, on the same
 * clock as the load figures, and writes one whole row.
 */
export interface Sampler {
  /** Fixed once `start` has resolved: the header of samples.csv is written from it. */
  readonly columns: readonly string[]
  /** What each of `columns` means (runtime, role, unit): recorded in summary.json. */
  readonly meanings: ColumnMeanings
  /** Called before the load starts; its first reading is the baseline. */
  start(): Promise<void>
  /** One value per column, in `columns` order; never throws (a failed reading gives empty cells). */
  read(): Promise<Cell[]>
  /**
   * Called once the load has stopped, before the last row: a sampler that reads on its own
   * schedule takes a fresh reading, so the last row shows the end of the run and not a reading
   * from before it (a run shorter than one interval would otherwise end where it began).
   */
  settle?(): Promise<void>
  stop(): Promise<void>
}
