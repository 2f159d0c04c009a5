import type { Cell } from '../sampler/types.js'
import { CsvRowFile } from './csv-row-file.js'

/** samples.csv: a header fixed before the first row, then one whole row per sampling interval. */
export class SamplesCsv {
  readonly #file: CsvRowFile
  readonly #width: number

  constructor (path: string, columns: readonly string[]) {
    this.#file = new CsvRowFile(path, columns)
    this.#width = columns.length
  }

  write (cells: readonly Cell[]): void {
    if (cells.length !== this.#width) throw new Error(`samples.csv row has ${cells.length} cells, header has ${this.#width}`)
    this.#file.append(cells.map((cell) => cell ?? ''))
  }

  close (): void {
    this.#file.close()
  }
}
