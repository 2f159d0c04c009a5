/**
 * A watch's samples, one file per UTC day (samples-YYYYMMDD.csv), each with the header, so that
 * days can be archived or deleted one by one; the analysis reads them as one table
 * (analysis/samples-reader.ts). Rows are whole per write, as in samples.csv.
 */
import { resultsPath } from '../recorder/results-dir.js'
import { SamplesCsv } from '../recorder/samples-csv.js'
import type { Cell } from '../sampler/types.js'

export function dailyFileName (day: Date): string {
  return `samples-${day.toISOString().slice(0, 10).replace(/-/g, '')}.csv`
}

export class DailySamplesCsv {
  readonly #dir: string
  readonly #columns: readonly string[]
  #name?: string
  #file?: SamplesCsv

  constructor (dir: string, columns: readonly string[]) {
    this.#dir = dir
    this.#columns = columns
  }

  /** The file being written. */
  get name (): string | undefined {
    return this.#name
  }

  /** Writes the row into the file of `day` (the row's time; a test may name another day). */
  write (cells: readonly Cell[], day: Date): void {
    const name = dailyFileName(day)
    if (name !== this.#name) {
      this.#file?.close()
      this.#file = undefined
      // Named only once it exists: a failure (a full disk) is tried again on the next row.
      this.#file = new SamplesCsv(resultsPath(this.#dir, name), this.#columns)
      this.#name = name
    }
    this.#file!.write(cells)
  }

  close (): void {
    this.#file?.close()
    this.#file = undefined
  }
}
