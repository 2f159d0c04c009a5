import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs'
import { stringify } from 'csv-stringify/sync'
import type { Cell } from '../sampler/types.js'

/**
 * samples.csv, written one whole row per write(2) as the run goes: a kill -9 of memsiege
 * loses at most the row being taken, and a reader never sees half a row.
 */
export class SamplesCsv {
  readonly #fd: number
  readonly #width: number

  constructor (path: string, columns: readonly string[]) {
    this.#fd = openSync(path, 'w')
    this.#width = columns.length
    writeSync(this.#fd, stringify([columns]))
  }

  write (cells: readonly Cell[]): void {
    if (cells.length !== this.#width) throw new Error(`samples.csv row has ${cells.length} cells, header has ${this.#width}`)
    writeSync(this.#fd, stringify([cells.map((cell) => cell ?? '')]))
  }

  close (): void {
    fsyncSync(this.#fd)
    closeSync(this.#fd)
  }
}
