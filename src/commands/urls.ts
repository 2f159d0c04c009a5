/**
 * `memsiege urls from-log FILE...` and `memsiege urls from-har FILE.har`: URL
 * lists from real traffic, written in siege's format.
 */
import type { FilterOptions, FilterReason } from '../urls/filters.js'
import type { HarRequest } from '../urls/har.js'
import { importHar, pathAndQuery, type HarImport } from '../urls/import-har.js'
import { importLogs, type LogImport } from '../urls/import-log.js'
import { FORMAT_NAMES, JSON_ROLES, type FormatName, type JsonRole } from '../urls/log-formats.js'
import { bodyFolderFor, comment, renderItems, writeList, type ListItem } from '../urls/url-list.js'
import { countsTable, DEFAULT_MAX_REPEAT, interleave, UrlTable, weightedRepeats, type CountsRow } from '../urls/url-table.js'
import { positiveInteger } from './flag-values.js'
import { ConfigError } from '../errors.js'
import { formatCount } from '../units/format.js'
import { notRegularFile } from '../files/regular-file.js'
import { storageProblem } from '../files/storage.js'
import { dirname, resolve } from 'node:path'

export interface CommandIo {
  stdin: NodeJS.ReadableStream
  stdout: { write (text: string): unknown }
  stderr: { write (text: string): unknown }
}

export interface UrlsOutputArgs {
  /** Write the list here (and bodies that can't be inline beside it); default stdout. */
  out?: string
  /** Origin (and optional path prefix) put in front of every path; default: paths, for target.url. */
  base?: string
  top?: number
  weighted?: boolean
  maxRepeat?: number
  /** Print the count table instead of a URL list. */
  counts?: boolean
}

export interface UrlsFromLogArgs extends FilterOptions, UrlsOutputArgs {
  /** Log files; `-` is stdin. */
  files: string[]
  format?: string
  pattern?: string
  /** JSON field paths: `url=req.path`; repeatable. */
  field?: string | string[]
}

export interface UrlsFromHarArgs extends FilterOptions, UrlsOutputArgs {
  file: string
  keepHeader?: string | string[]
  methodHeader?: string | string[]
  /** Undo X-Method wrapping; default true. */
  unwrap?: boolean
  /** One line per distinct request, most frequent first, instead of every entry in order. */
  distinct?: boolean
}

/** Methods whose body a log would have needed to show. */
const BODYLESS_IN_LOGS = new Set(['POST', 'PUT', 'PATCH'])

/** `memsiege urls from-log`: 0, or 2 for bad input (one line on stderr). */
export async function urlsFromLogCommand (args: UrlsFromLogArgs, io: CommandIo): Promise<number> {
  return reportingConfigErrors(io, async () => {
    const output = checkOutputArgs(args)
    const format = args.format ?? 'auto'
    if (format !== 'auto' && !(FORMAT_NAMES as readonly string[]).includes(format)) {
      throw new ConfigError(`--format ${format}: not a log format (auto, ${FORMAT_NAMES.join(', ')})`)
    }
    const imported = await importLogs({ ...args, format: format as FormatName | 'auto', fields: parseFields(args.field) }, io.stdin)
    reportLogImport(imported, io)
    const rows = imported.table.ranked(output.top)
    if (output.counts) {
      const table = countsTable(rows.map((row) => splitKey(row.key, row.count)), imported.table.total, imported.table.distinct)
      return finish(table, output, [], undefined, io, `${rows.length} rows`)
    }
    const items: ListItem[] = rows.map((row) => {
      const { method, url } = splitKey(row.key, row.count)
      return { method, url: withBase(output.base, url) }
    })
    const header = [
      comment(`memsiege urls from-log ${imported.files.map((f) => `${f.name} (${f.format})`).join(', ')}: ` +
        `${formatCount(imported.table.total, 'request')}, ${imported.table.distinct} distinct${output.top !== undefined && rows.length < imported.table.distinct ? `, the ${rows.length} most frequent` : ''}`)
    ]
    if (items.some((item) => BODYLESS_IN_LOGS.has(item.method))) {
      header.push(comment('POST, PUT and PATCH lines have empty bodies: access logs do not record request bodies.'))
    }
    return writeItems(items, rows.map((r) => r.count), header, output, io)
  })
}

/** `memsiege urls from-har`: 0, or 2 for bad input (one line on stderr). */
export async function urlsFromHarCommand (args: UrlsFromHarArgs, io: CommandIo): Promise<number> {
  return reportingConfigErrors(io, async () => {
    const output = checkOutputArgs(args)
    if (args.file === undefined || args.file === '') throw new ConfigError('from-har: no HAR file given (name one, or - for stdin)')
    const har = await importHar({
      ...args,
      keepHeaders: list(args.keepHeader),
      methodHeaders: list(args.methodHeader),
      unwrap: args.unwrap ?? true
    }, io.stdin)
    reportHarImport(har, args, io)
    const distinct = args.distinct === true || output.top !== undefined || output.weighted || output.counts
    const header = [comment(`memsiege urls from-har ${har.name}: ${formatCount(har.requests.length, 'request')}` +
      (distinct ? ', one line per distinct request, most frequent first' : ', in recorded order'))]
    if (har.unwrapped > 0) {
      header.push(comment(`${formatCount(har.unwrapped, 'X-Method POST')} ${har.unwrapped === 1 ? 'is' : 'are'} written as the real method, a form body as the query string; methodOverride in the scenario sends them as recorded.`))
    }
    header.push(...keptHeaderComments(har))
    let bodiesDropped = 0
    const itemOf = (request: HarRequest): ListItem => {
      // A URL-file line has no body for GET and HEAD.
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body
      if (body === undefined && request.body !== undefined && request.body.length > 0) bodiesDropped++
      return {
        method: request.method,
        url: withBase(output.base, pathAndQuery(request.url)),
        ...(body === undefined ? {} : { body }),
        ...(body === undefined || request.contentType === undefined ? {} : { contentType: request.contentType })
      }
    }
    const items = har.requests.map(itemOf)
    if (bodiesDropped > 0) warn(io, `${formatCount(bodiesDropped, 'GET or HEAD request')} had a body, which a URL-file line can't carry: written without it`)
    if (!distinct) return writeItems(items, undefined, header, output, io)
    const table = new UrlTable<ListItem>()
    for (const item of items) {
      table.add(`${item.method} ${item.url}\0${item.contentType ?? ''}\0${item.body?.toString('base64') ?? ''}`, item)
    }
    const rows = table.ranked(output.top)
    if (output.counts) {
      const countRows: CountsRow[] = rows.map((row) => ({
        count: row.count,
        method: row.value.method,
        url: pathAndQuery(row.value.url) + (row.value.body === undefined ? '' : `  (${row.value.contentType ?? 'body'}, ${row.value.body.length} bytes)`)
      }))
      return finish(countsTable(countRows, table.total, table.distinct), output, [], undefined, io, `${rows.length} rows`)
    }
    return writeItems(rows.map((r) => r.value), rows.map((r) => r.count), header, output, io)
  })
}

// ---------------------------------------------------------------- output

interface CheckedOutput {
  out?: string
  base?: string
  top?: number
  weighted: boolean
  maxRepeat: number
  counts: boolean
}

function checkOutputArgs (args: UrlsOutputArgs): CheckedOutput {
  const top = positiveInteger('--top', args.top)
  const maxRepeat = positiveInteger('--max-repeat', args.maxRepeat) ?? DEFAULT_MAX_REPEAT
  if (args.counts === true && args.weighted === true) throw new ConfigError('--counts prints the count table; --weighted is for the URL list: give one of them')
  if (args.out !== undefined && args.out !== '') {
    const kind = notRegularFile(args.out)
    if (kind) throw new ConfigError(`--out ${args.out}: ${kind}; give the name of the URL file to write (urls.txt)`)
    const problem = storageProblem(resolve(dirname(args.out)))
    if (problem) throw new ConfigError(`--out ${args.out}: ${problem}`)
  }
  return {
    ...(args.out === undefined || args.out === '' ? {} : { out: args.out }),
    ...(args.base === undefined || args.base === '' ? {} : { base: checkBase(args.base) }),
    ...(top === undefined ? {} : { top }),
    weighted: args.weighted === true,
    maxRepeat,
    counts: args.counts === true
  }
}

/** An http(s) origin with an optional path prefix, without its trailing `/`. */
function checkBase (base: string): string {
  let url: URL
  try {
    url = new URL(base)
  } catch {
    throw new ConfigError(`--base ${base}: not a URL (write http://127.0.0.1:8000)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--base ${base}: not an http or https URL`)
  if (url.search !== '' || url.hash !== '' || base.includes('?') || base.includes('#')) throw new ConfigError(`--base ${base}: no query or fragment, please: paths are appended to it`)
  return url.href.replace(/\/+$/, '')
}

function withBase (base: string | undefined, path: string): string {
  return base === undefined ? path : base + path
}

function splitKey (key: string, count: number): CountsRow {
  const space = key.indexOf(' ')
  return { count, method: key.slice(0, space), url: key.slice(space + 1) }
}

/** Renders the items (repeated by weight when asked) and writes the list. */
function writeItems (items: ListItem[], counts: number[] | undefined, header: string[], output: CheckedOutput, io: CommandIo): number {
  const folder = bodyFolderFor(output.out)
  const rendered = renderItems(items, folder)
  for (const [reason, n] of rendered.skipped) warn(io, `${formatCount(n, 'request')} left out: ${reason}`)
  let lines = rendered.lines
  if (output.weighted && counts !== undefined) {
    const kept = lines.flatMap((line, i) => (line === undefined ? [] : [{ line, count: counts[i] }]))
    const repeats = weightedRepeats(kept.map((k) => k.count), output.maxRepeat)
    lines = interleave(kept.map((k) => k.line), repeats)
    header.push(comment(`weighted: each request repeated in proportion to its count (at most ${output.maxRepeat} times, at least once)`))
  }
  const body = lines.filter((line): line is string => line !== undefined)
  if (body.length === 0) warn(io, 'no requests to write: the list is empty')
  const text = [...header, ...body].join('\n') + '\n'
  return finish(text, output, rendered.bodyFiles, folder, io, `${formatCount(body.length, 'line')}${rendered.bodyFiles.length > 0 ? ` and ${formatCount(rendered.bodyFiles.length, 'body file')}` : ''}`)
}

function finish (text: string, output: CheckedOutput, bodyFiles: Parameters<typeof writeList>[2], folder: Parameters<typeof writeList>[3], io: CommandIo, what: string): number {
  if (output.out === undefined) {
    io.stdout.write(text)
  } else {
    writeList(text, output.out, bodyFiles, folder)
    info(io, `wrote ${what} to ${output.out}`)
  }
  return 0
}

// ---------------------------------------------------------------- messages

function info (io: CommandIo, message: string): void {
  io.stderr.write(`memsiege: ${message}\n`)
}

function warn (io: CommandIo, message: string): void {
  io.stderr.write(`memsiege: warning: ${message}\n`)
}

function filteredText (filtered: Record<FilterReason, number>): string {
  const parts = (Object.entries(filtered) as Array<[FilterReason, number]>).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`)
  const total = Object.values(filtered).reduce((a, b) => a + b, 0)
  return total === 0 ? '' : `, ${total} filtered out (${parts.join(', ')})`
}

function reportLogImport (imported: LogImport, io: CommandIo): void {
  for (const sample of imported.unparseableSamples) warn(io, `${sample.file}:${sample.line}: unparseable line: ${sample.text}`)
  const unshown = imported.unparseable - imported.unparseableSamples.length
  if (unshown > 0) warn(io, `${formatCount(unshown, 'more unparseable line')} not shown`)
  for (const file of imported.files) {
    if (file.gzipError !== undefined) warn(io, `${file.name}: gzip data ends early or is damaged (${file.gzipError}); read the ${file.lines} lines before it`)
    if (file.format === 'empty') warn(io, `${file.name}: empty, no log lines`)
    info(io, `${file.name}: ${file.format}${file.gzip ? ', gzip' : ''}, ${formatCount(file.lines, 'line')}, ${formatCount(file.requests, 'request')}${file.unparseable > 0 ? `, ${file.unparseable} unparseable` : ''}`)
  }
  for (const [method, n] of imported.unsupportedMethods) warn(io, `${formatCount(n, `${method} request`)} left out: a URL file can't say ${method}`)
  if (imported.notPaths > 0) warn(io, `${formatCount(imported.notPaths, 'request')} left out: the target is not a path (CONNECT host:port, OPTIONS *)`)
  info(io, `${formatCount(imported.table.total, 'request')} kept${filteredText(imported.filtered)}, ${imported.table.distinct} distinct`)
}

function reportHarImport (har: HarImport, args: UrlsFromHarArgs, io: CommandIo): void {
  if (har.invalid.length > 0) {
    const first = har.invalid[0]
    warn(io, `${har.name}: ${formatCount(har.invalid.length, 'entry', 'entries')} left out (entry ${first.index + 1}: ${first.reason}${har.invalid.length > 1 ? ', …' : ''})`)
  }
  if (har.origins.size > 1 && args.base === undefined && list(args.include).length === 0) {
    const origins = [...har.origins].sort((a, b) => b[1] - a[1]).map(([origin, n]) => `${origin} ${n}`)
    warn(io, `${har.name}: requests to ${har.origins.size} origins (${origins.slice(0, 4).join(', ')}${origins.length > 4 ? ', …' : ''}) all become paths of one target; keep one with --include '^https://host/'`)
  }
  info(io, `${har.name}: HAR, ${formatCount(har.entries, 'entry', 'entries')}, ${formatCount(har.requests.length, 'request')} kept${filteredText(har.filtered)}${har.unwrapped > 0 ? `, ${formatCount(har.unwrapped, 'X-Method POST')} unwrapped` : ''}`)
}

function keptHeaderComments (har: HarImport): string[] {
  const lines: string[] = []
  for (const kept of har.headers) {
    if (kept.values.size === 0) {
      lines.push(comment(`header ${kept.name}: in none of the requests`))
      continue
    }
    const [value, n] = [...kept.values].sort((a, b) => b[1] - a[1])[0]
    const others = kept.values.size - 1
    const notes = [
      others > 0 ? `${formatCount(others, 'other value')}; this one in ${n} requests` : '',
      kept.missing > 0 ? `missing from ${kept.missing} requests` : ''
    ].filter(Boolean).join('; ')
    lines.push(comment(`-H ${shellQuote(`${kept.name}: ${value}`)}${notes === '' ? '' : `   (${notes})`}`))
  }
  if (lines.length > 0) lines.unshift(comment('Headers as recorded: give them to memsiege with -H, or under headers: in the scenario.'))
  return lines
}

function shellQuote (text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`
}

// ---------------------------------------------------------------- arguments

function list (value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean)
}

/** `--field url=req.path --field status=res.code`; `path` is another name for `url`. */
function parseFields (value: string | string[] | undefined): Partial<Record<JsonRole, string>> | undefined {
  if (value === undefined) return undefined
  const fields: Partial<Record<JsonRole, string>> = {}
  for (const spec of Array.isArray(value) ? value : [value]) {
    const m = /^([a-z]+)=(.+)$/.exec(String(spec).trim())
    const role = m?.[1] === 'path' ? 'url' : m?.[1]
    if (m === null || !(JSON_ROLES as readonly string[]).includes(role!)) {
      throw new ConfigError(`--field ${spec}: write ROLE=FIELD, where ROLE is ${JSON_ROLES.join(', ')} (FIELD may be dotted: request.uri)`)
    }
    fields[role as JsonRole] = m[2].trim()
  }
  return fields
}

async function reportingConfigErrors (io: CommandIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    io.stderr.write(`memsiege: ${error.message}\n`)
    return 2
  }
}

export function defaultIo (): CommandIo {
  // `memsiege urls … --counts | head`: a closed pipe is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
  })
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }
}
