/** `memsiege urls from-log`: access logs to a table of distinct requests with their counts. */
import { compileFilter, type FilterOptions, type FilterReason } from './filters.js'
import {
  DETECT_LINES, detectFormat, emptyRecord, parserFor, patternParser,
  type FormatName, type JsonRole, type LineParser, type LogRecord
} from './log-formats.js'
import { readLogLines, STDIN_NAME } from './log-reader.js'
import { WRITABLE_METHODS } from './siege-line.js'
import { UrlTable } from './url-table.js'
import { ConfigError } from '../errors.js'

export interface LogImportOptions extends FilterOptions {
  files: string[]
  format: 'auto' | FormatName
  pattern?: string
  fields?: Partial<Record<JsonRole, string>>
}

export interface FileReport {
  name: string
  /** The format used (detected or given); `empty` for a file without lines. */
  format: string
  lines: number
  requests: number
  unparseable: number
  gzip: boolean
  /** A gzip stream that ended early: what zlib said. */
  gzipError?: string
}

export interface UnparseableLine {
  file: string
  line: number
  text: string
}

export interface LogImport {
  /** Keys are `METHOD target`. */
  table: UrlTable<undefined>
  files: FileReport[]
  /** The first three, over all files. */
  unparseableSamples: UnparseableLine[]
  unparseable: number
  filtered: Record<FilterReason, number>
  /** Requests with a method a URL file can't say (PROPFIND, CONNECT, …), by method. */
  unsupportedMethods: Map<string, number>
  /** Requests whose target is not a path (`*`, `host:443`). */
  notPaths: number
}

const SAMPLE_CHARS = 200

/** Reads every file in turn (`-` is stdin) and counts the requests the filters keep. */
export async function importLogs (options: LogImportOptions, stdin: NodeJS.ReadableStream): Promise<LogImport> {
  if (options.files.length === 0) throw new ConfigError('from-log: no log file given (name one or more, or - for stdin)')
  if (options.files.filter((f) => f === STDIN_NAME).length > 1) throw new ConfigError('from-log: - (stdin) can be read only once')
  const filter = compileFilter(options)
  const parserOptions = { wantTime: filter.needsTime, fields: options.fields }
  const format = options.pattern !== undefined ? 'pattern' : options.format
  if (format === 'pattern' && options.pattern === undefined) throw new ConfigError('--format pattern needs --pattern REGEX')
  let fixed: LineParser | undefined
  if (format === 'pattern') fixed = patternParser(options.pattern!, parserOptions)
  else if (format !== 'auto') fixed = parserFor(format, parserOptions)
  if (fixed !== undefined && filter.needsStatus && !fixed.hasStatus) throw new ConfigError('--status needs a (?<status>…) group in --pattern')
  if (fixed !== undefined && filter.needsTime && !fixed.hasTime) throw new ConfigError('--since/--until need a (?<time>…) group in --pattern')

  const result: LogImport = {
    table: new UrlTable<undefined>(),
    files: [],
    unparseableSamples: [],
    unparseable: 0,
    filtered: { method: 0, status: 0, time: 0, url: 0 },
    unsupportedMethods: new Map(),
    notPaths: 0
  }
  const { table, filtered } = result
  const record: LogRecord = emptyRecord()

  const count = (rec: LogRecord): void => {
    if (filter.active) {
      const reason = filter.reject(rec.method, rec.target, rec.status, rec.time)
      if (reason !== undefined) {
        filtered[reason]++
        return
      }
    }
    let target = rec.target
    if (target.charCodeAt(0) !== 0x2f /* / */) {
      const path = originForm(target)
      if (path === undefined) {
        result.notPaths++
        return
      }
      target = path
    }
    if (!WRITABLE_METHODS.has(rec.method)) {
      result.unsupportedMethods.set(rec.method, (result.unsupportedMethods.get(rec.method) ?? 0) + 1)
      return
    }
    table.add(rec.method + ' ' + target, undefined)
  }

  for (const name of options.files) {
    const report: FileReport = { name: name === STDIN_NAME ? '<stdin>' : name, format: fixed?.name ?? 'auto', lines: 0, requests: 0, unparseable: 0, gzip: false }
    let parser = fixed
    const sample: Array<{ text: string; number: number }> = []
    const unparseable = (text: string, number: number): void => {
      report.unparseable++
      result.unparseable++
      if (result.unparseableSamples.length < 3) {
        result.unparseableSamples.push({ file: report.name, line: number, text: text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) + '…' : text })
      }
    }
    const handle = (text: string, number: number): void => {
      if (parser!.parse(text, record)) {
        report.requests++
        count(record)
      } else {
        unparseable(text, number)
      }
    }
    const decide = (): void => {
      parser = detectFormat(sample.map((s) => s.text), parserOptions)
      if (parser === undefined) {
        throw new ConfigError(`cannot tell the log format: none of the first ${sample.length} lines is combined, common, syslog or JSON (first: "${sample[0].text.slice(0, 80)}"); give --format or --pattern`, { file: report.name })
      }
      report.format = parser.name
      for (const s of sample) handle(s.text, s.number)
      sample.length = 0
    }
    const read = await readLogLines(name, stdin, {
      line (text, number) {
        if (text === '' || (text.charCodeAt(0) <= 0x20 && text.trim() === '')) return
        if (parser !== undefined) return handle(text, number)
        sample.push({ text, number })
        if (sample.length >= DETECT_LINES) decide()
      },
      overlong (number, head) {
        unparseable(head, number)
      }
    })
    if (parser === undefined && sample.length > 0) decide()
    report.lines = read.lines
    report.gzip = read.gzip
    if (read.gzipError !== undefined) report.gzipError = read.gzipError
    if (parser === undefined) report.format = 'empty'
    result.files.push(report)
  }
  return result
}

/** `http://host/a?b` → `/a?b`; undefined for `*`, `host:443` and other non-paths. */
export function originForm (target: string): string | undefined {
  const m = /^https?:\/\/[^/?#]*([^#]*)/i.exec(target)
  if (m === null) return undefined
  const rest = m[1]
  return rest === '' ? '/' : rest.startsWith('?') ? '/' + rest : rest
}
