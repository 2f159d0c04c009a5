import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs'
import { stringify } from 'csv-stringify/sync'

/**
 * A CSV file written one whole row per write(2), as the run goes: a kill -9 of memsiege loses at
 * most the row being taken. A row that does not fit (disk full) is taken back, so that a reader
 * never sees half a row, and the write throws.
 */
export class CsvRowFile {
  readonly #fd: number
  #size = 0

  constructor (path: string, header: readonly string[]) {
    this.#fd = openSync(path, 'w')
    this.append(header)
  }

  append (cells: ReadonlyArray<string | number>): void {
    const row = Buffer.from(stringify([cells]))
    let written: number
    try {
      written = writeSync(this.#fd, row, 0, row.length, this.#size)
    } catch (err) {
      this.#takeBack()
      throw err
    }
    if (written < row.length) {
      this.#takeBack()
      throw new Error(`no space for a whole row (${written} of ${row.length} bytes written, taken back)`)
    }
    this.#size += row.length
  }

  close (): void {
    try {
      fsyncSync(this.#fd)
    } finally {
      closeSync(this.#fd)
    }
  }

  #takeBack (): void {
    try {
      ftruncateSync(this.#fd, this.#size)
    } catch {
      // Nothing more can be done; the reader's CSV parser will see the torn row.
    }
  }
}
