/**
 * Reads samples.csv for the analysis: only the columns asked for, as Float64Arrays (NaN for an
 * empty cell, meaning "no reading"), in bounded memory whatever the file's size.
 *
 * Speed matters (a 24-hour run at 1 Hz is 86,400 rows of ~60 columns): the file is read in
 * chunks as latin1 text, and a data row is walked comma by comma up to the last wanted column,
 * converting only the wanted cells. Data cells are numbers, ISO times or empty, which
 * csv-stringify never quotes; a row that does contain a quote goes through the full RFC 4180
 * parser instead, so the fast path can never misread one. The header always does: GC column
 * names contain quotes and commas.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { parseCsvRecord } from './csv-record.js'
import { notRegularFile } from '../files/regular-file.js'

export interface SamplesTable {
  header: string[]
  /** Data rows read (the header not counted). */
  rows: number
  /** The wanted columns that exist, by name: one number per row, NaN where empty. */
  columns: Map<string, Float64Array>
  /** The first data row's `time` cell, to place events.csv's times on `elapsed_s`. */
  startTime?: string
  /** Rows left out because they had fewer cells than the header (a row cut short). */
  skipped: number
}

const CHUNK_BYTES = 64 << 10
/**
 * One read buffer for every file read (reading is synchronous, so one at a time): a watch
 * re-analyses its files every --every for days, and a fresh 4 MiB malloc each time only
 * fragments the C heap.
 */
let chunkBuffer: Buffer | undefined

/** The header's column names. Throws when the file can't be read or has no header. */
export function readSamplesHeader (path: string): string[] {
  const fd = openSamples(path)
  try {
    return readHeader(fd).header
  } finally {
    closeSync(fd)
  }
}

/**
 * Reads the columns `pick` chooses from the header (unknown names are ignored). `pick` sees the
 * header first, so the caller can choose columns by pattern.
 */
export function readSamples (path: string, pick: (header: string[]) => readonly string[]): SamplesTable {
  return readSamplesFiles([path], pick)
}

/** What streamSamples read, besides the rows it handed over. */
export interface SamplesStream {
  header: string[]
  /** The wanted columns that exist, in the order of each row's values. */
  names: string[]
  startTime?: string
  skipped: number
}

/**
 * Hands each whole data row's wanted cells (in `names` order, NaN where empty) to `onRow`, one
 * row at a time and in the same reused array: whoever keeps a row copies it. `onColumns` learns
 * the names before the first row.
 */
export function streamSamples (path: string, pick: (header: string[]) => readonly string[], onColumns: (names: readonly string[]) => void, onRow: (values: Float64Array, line: number) => void): SamplesStream {
  // named: a watch's daily files after the first are read here first
  const fd = openSamples(path, true)
  try {
    const { header, offset, lines } = readHeader(fd)
    const wanted = new Set(pick(header))
    const indices: number[] = []
    const names: string[] = []
    header.forEach((name, i) => {
      if (wanted.has(name) && !names.includes(name)) {
        indices.push(i)
        names.push(name)
      }
    })
    onColumns(names)
    const timeIndex = header.indexOf('time')
    return { header, names, ...readRows(fd, offset, lines, header.length, indices, names, timeIndex, onRow) }
  } finally {
    closeSync(fd)
  }
}

/**
 * Opens a samples file for reading; refuses a folder, a named pipe (opening it would wait for a
 * writer) or a device, naming the file when `named`.
 */
function openSamples (path: string, named = false): number {
  const kind = notRegularFile(path)
  if (kind) throw new Error(`${named ? `${path}: ` : ''}${kind}, not a file`)
  return openSync(path, 'r')
}

/** A long watch's daily files: samples-YYYYMMDD.csv (UTC days), which sort in time order. */
export const DAILY_SAMPLES = /^samples-\d{8}\.csv$/

/**
 * The samples files of a results folder, in time order: samples.csv, or the daily files of a
 * long watch; [] when there is neither.
 */
export function samplesFiles (dir: string): string[] {
  const single = join(dir, 'samples.csv')
  if (existsSync(single)) return [single]
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names.filter((n) => DAILY_SAMPLES.test(n)).sort().map((n) => join(dir, n))
}

/**
 * Several files of one recording (a watch's days) read as one table: they share the header and
 * the clock (elapsed_s runs on across them). Throws when a file's header differs from the first's.
 */
export function readSamplesFiles (paths: readonly string[], pick: (header: string[]) => readonly string[]): SamplesTable {
  let cols: Column[] = []
  let capacity = 4096
  let rows = 0
  const read = streamSamplesFiles(paths, pick, (names) => { cols = names.map(() => new Column(capacity)) }, (values) => {
    if (rows === capacity) {
      for (const c of cols) c.grow()
      capacity *= 2
    }
    for (let k = 0; k < cols.length; k++) cols[k].data[rows] = values[k]
    rows++
  })
  const columns = new Map<string, Float64Array>()
  read.names.forEach((name, k) => columns.set(name, cols[k].data.slice(0, rows)))
  return { header: read.header, rows, columns, ...(read.startTime !== undefined ? { startTime: read.startTime } : {}), skipped: read.skipped }
}

/**
 * streamSamples over the files of one recording, in order. Throws when a file's header differs
 * from the first's, or when elapsed_s goes back: rows out of order (shuffled, or two files run
 * together) would be read as memory that rises and falls, and turn a leak into no verdict.
 */
export function streamSamplesFiles (paths: readonly string[], pick: (header: string[]) => readonly string[], onColumns: (names: readonly string[]) => void, onRow: (values: Float64Array) => void): SamplesStream {
  let first: SamplesStream | undefined
  let wanted: readonly string[] = []
  let skipped = 0
  let startTime: string | undefined
  let clock = -1
  let lastElapsed = -Infinity
  for (const path of paths) {
    let fileRows = 0
    const read = streamSamples(path, (header) => {
      if (!first) wanted = pick(header)
      else if (header.join(',') !== first.header.join(',')) throw new Error(`${path}: its columns differ from those of ${paths[0]}`)
      return wanted
    }, (names) => {
      clock = names.indexOf('elapsed_s')
      if (!first) onColumns(names)
    }, (values, line) => {
      if (clock >= 0) {
        if (values[clock] < lastElapsed) throw new Error(`${path}:${line}: elapsed_s goes back, from ${lastElapsed} to ${values[clock]}: the rows are out of order (memsiege writes them in time order); sort them by elapsed_s`)
        lastElapsed = values[clock]
      }
      fileRows++
      onRow(values)
    })
    first ??= read
    skipped += read.skipped
    // The first row's time, from the first file that has a row.
    if (startTime === undefined && fileRows > 0) startTime = read.startTime
  }
  return { header: first!.header, names: first!.names, ...(startTime !== undefined ? { startTime } : {}), skipped }
}

/** The header's names, where the rows start, and the lines the header takes (a quoted name may hold a line break). */
function readHeader (fd: number): { header: string[]; offset: number; lines: number } {
  let bytes = Buffer.alloc(0)
  let position = 0
  for (;;) {
    const chunk = Buffer.alloc(64 * 1024)
    const got = readSync(fd, chunk, 0, chunk.length, position)
    position += got
    bytes = Buffer.concat([bytes, chunk.subarray(0, got)])
    // Quotes, commas and line breaks are single bytes that never occur inside a UTF-8 sequence,
    // so the record's extent can be found in latin1 and its text then decoded as UTF-8.
    const record = parseCsvRecord(bytes.toString('latin1'), 0, got === 0)
    if (record) {
      if (record.fields.length === 1 && record.fields[0] === '') throw new Error('samples.csv is empty')
      const header = parseCsvRecord(bytes.subarray(0, record.end).toString('utf8'), 0, true)!.fields
      return { header, offset: record.end, lines: lineBreaks(bytes.toString('latin1', 0, record.end)) }
    }
    if (got === 0) throw new Error('samples.csv is empty')
  }
}

class Column {
  data: Float64Array
  constructor (capacity: number) {
    this.data = new Float64Array(capacity)
  }

  grow (): void {
    const next = new Float64Array(this.data.length * 2)
    next.set(this.data)
    this.data = next
  }
}

/** Rows from `offset`, the file's line `linesBefore` + 1; each whole row goes to `store` with its line number. */
function readRows (fd: number, offset: number, linesBefore: number, width: number, indices: number[], names: string[], timeIndex: number, store: (values: Float64Array, line: number) => void): { startTime?: string; skipped: number } {
  const last = indices.length ? indices[indices.length - 1] : -1
  let line = linesBefore
  let rows = 0
  let skipped = 0
  let startTime: string | undefined
  chunkBuffer ??= Buffer.allocUnsafeSlow(CHUNK_BYTES)
  const buffer = chunkBuffer
  let position = offset
  let carry = ''
  let eof = false

  const values = new Float64Array(indices.length)
  // A row without its clock (a hand-edited or damaged file) can't be placed: left out like a row cut short.
  const clocks = ['elapsed_s', 'requests'].map((name) => names.indexOf(name)).filter((k) => k >= 0)
  const placed = (): boolean => clocks.every((k) => !Number.isNaN(values[k]))

  while (!eof) {
    const got = readSync(fd, buffer, 0, buffer.length, position)
    position += got
    eof = got === 0
    const text = carry + buffer.toString('latin1', 0, got)
    let i = 0
    const n = text.length
    // Where the next quote is, found once and again only after passing it: searching from
    // every line would rescan the rest of the chunk each time when there is none.
    let nextQuote = -1
    let quoteFrom = -1
    while (i < n) {
      let lineEnd = text.indexOf('\n', i)
      if (lineEnd < 0) {
        if (!eof) break
        lineEnd = n
      }
      const contentEnd = lineEnd > i && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd
      line++
      if (contentEnd === i) {
        i = lineEnd + 1
        continue
      }
      if (quoteFrom < 0 || (nextQuote >= 0 && nextQuote < i)) {
        nextQuote = text.indexOf('"', i)
        quoteFrom = i
      }
      if (nextQuote >= 0 && nextQuote < contentEnd) {
        // The slow, correct path (a quoted cell may even hold a line break).
        const record = parseCsvRecord(text, i, eof)
        if (!record) {
          line--
          break
        }
        const at = line
        line += lineBreaks(text.slice(i, record.end)) - 1
        i = record.end
        if (record.fields.length < width) {
          skipped++
          continue
        }
        if (rows === 0 && timeIndex >= 0) startTime = record.fields[timeIndex]
        for (let k = 0; k < indices.length; k++) values[k] = toNumber(record.fields[indices[k]])
        if (placed()) {
          store(values, at)
          rows++
        } else skipped++
        continue
      }
      if (rows === 0 && timeIndex >= 0) startTime = cellAt(text, i, contentEnd, timeIndex)
      // Walk the cells up to the last wanted one.
      let col = 0
      let k = 0
      let start = i
      let complete = true
      while (col <= last) {
        let end = text.indexOf(',', start)
        if (end < 0 || end > contentEnd) end = contentEnd
        if (col === indices[k]) {
          values[k] = end === start ? NaN : Number(text.slice(start, end))
          k++
        }
        col++
        if (end === contentEnd && col <= last) {
          complete = false
          break
        }
        start = end + 1
      }
      // A row cut short (by a kill -9 mid-write, which memsiege's whole-row writes make unlikely).
      if (!complete || (lineEnd === n && countCells(text, i, contentEnd, width) < width) || !placed()) skipped++
      else {
        store(values, line)
        rows++
      }
      i = lineEnd + 1
    }
    carry = text.slice(i)
  }

  return { ...(startTime !== undefined ? { startTime } : {}), skipped }
}

function lineBreaks (text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++
  return n
}

/** Cells in a line, counting no further than `width`: only the last line (no line break after it) is checked. */
function countCells (text: string, start: number, end: number, width: number): number {
  let cells = 1
  for (let i = text.indexOf(',', start); i >= 0 && i < end; i = text.indexOf(',', i + 1)) {
    if (++cells >= width) return cells
  }
  return cells
}

function cellAt (text: string, start: number, end: number, index: number): string {
  let s = start
  for (let c = 0; c < index; c++) {
    const comma = text.indexOf(',', s)
    if (comma < 0 || comma >= end) return ''
    s = comma + 1
  }
  let e = text.indexOf(',', s)
  if (e < 0 || e > end) e = end
  return text.slice(s, e)
}

function toNumber (cell: string | undefined): number {
  if (cell === undefined || cell === '') return NaN
  return Number(cell)
}
