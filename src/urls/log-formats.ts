/**
 * Access-log line parsers: nginx/Apache combined and common, the same lines
 * wrapped in syslog, JSON lines, and a user's regex with named groups. Each
 * parser fills a reused record and allocates nothing beyond its regex match
 * and the substrings it keeps, since it runs once per line of logs of gigabytes.
 */
import { parseClfTime, parseLogTime } from './dates.js'
import { ConfigError } from '../errors.js'

/** One request, as a log line recorded it. */
export interface LogRecord {
  method: string
  /** The request target as the client sent it (`/a?b=1`, or absolute-form); log escapes turned into %XX. */
  target: string
  /** NaN when the line has none. */
  status: number
  /** Milliseconds since the epoch; NaN when absent, or when the parser was told times are not needed. */
  time: number
}

export function emptyRecord (): LogRecord {
  return { method: '', target: '', status: NaN, time: NaN }
}

export type FormatName = 'combined' | 'common' | 'syslog' | 'json' | 'pattern'
export const FORMAT_NAMES: readonly FormatName[] = ['combined', 'common', 'syslog', 'json', 'pattern']

export interface LineParser {
  /** For messages: `combined`, `syslog`, `json`, … */
  readonly name: string
  /** Whether lines of this format can carry a status and a time at all. */
  readonly hasStatus: boolean
  readonly hasTime: boolean
  /** Fills `out` and returns true, or returns false for a line this format can't read. */
  parse (line: string, out: LogRecord): boolean
}

export interface ParserOptions {
  /** Parse times (only --since/--until need them). */
  wantTime: boolean
  /** JSON field paths by role, overriding the defaults. */
  fields?: Partial<Record<JsonRole, string>>
  /** --pattern: a regex with named groups. */
  pattern?: string
}

// ---------------------------------------------------------------- combined / common

/**
 * `host ident user [time] "request" status bytes` and, in combined, `"referer" "agent"`;
 * anything after that (nginx's $request_time, $upstream_*, …) is ignored. The
 * request is unrolled for speed: Apache escapes `"` as `\"`, nginx as `\x22`.
 */
const CLF_LINE = /^\S+ \S+ .*?\[([^\]]+)\] "([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}|-) (?:\d+|-)/
// The same, followed by combined's `"referer" "agent`.
const COMBINED_LINE = /^\S+ \S+ .*?\[[^\]]+\] "[^"\\]*(?:\\.[^"\\]*)*" (?:\d{3}|-) (?:\d+|-) "[^"\\]*(?:\\.[^"\\]*)*" "/
const REQUEST_LINE = /^([A-Za-z][A-Za-z0-9_.!#$%&'*+^`|~-]*) +(\S+)(?: +HTTP\/\d+(?:\.\d+)?)?$/

/** Reads the `"METHOD target HTTP/x"` field into `out`; false when it holds no request (`-`, TLS bytes, …). */
export function readRequestLine (request: string, out: LogRecord): boolean {
  const m = REQUEST_LINE.exec(request)
  if (m === null) return false
  out.method = m[1]
  out.target = m[2].includes('\\') ? unescapeLogged(m[2]) : m[2]
  return true
}

/**
 * nginx writes `"`, `\` and bytes outside printable ASCII as `\xHH`, Apache also
 * `\"` and `\\`. The client sent those bytes raw; percent-escaped they mean the same
 * to the server and can be written in a URL file.
 */
export function unescapeLogged (text: string): string {
  return text.replace(/\\x([0-9A-Fa-f]{2})|\\(.)/g, (_, hex: string | undefined, char: string) => {
    if (hex !== undefined) return '%' + hex.toUpperCase()
    return char === '"' ? '%22' : char === '\\' ? '%5C' : char
  })
}

export function clfParser (name: 'combined' | 'common', options: ParserOptions): LineParser {
  const wantTime = options.wantTime
  let lastTimeText = ''
  let lastTime = NaN
  return {
    name,
    hasStatus: true,
    hasTime: true,
    parse (line, out) {
      const m = CLF_LINE.exec(line)
      if (m === null || !readRequestLine(m[2], out)) return false
      out.status = m[3] === '-' ? NaN : Number(m[3])
      if (wantTime) {
        // Consecutive lines mostly share their second.
        if (m[1] !== lastTimeText) {
          lastTimeText = m[1]
          lastTime = parseClfTime(m[1])
        }
        out.time = lastTime
      } else {
        out.time = NaN
      }
      return true
    }
  }
}

/** Whether a CLF line has the combined format's referer and agent (for naming the detected format). */
export function hasCombinedTail (line: string): boolean {
  return COMBINED_LINE.test(line)
}

// ---------------------------------------------------------------- syslog

/**
 * A syslog header as rsyslog and syslog-ng write it to files, or as nginx sends it
 * (`access_log syslog:`): an optional `<PRI>`, a BSD (`Oct 10 13:55:36`) or ISO
 * (`2024-10-10T13:55:36.123+02:00`) time, the host, and `prog[pid]: ` or `prog: `.
 */
const SYSLOG_PREFIX = /^(?:<\d{1,3}>(?:1 )?)?(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S*) \S+ [^\s:[\]]+(?:\[[^\]\s]*\])?: ?/

export function syslogParser (options: ParserOptions): LineParser {
  const clf = clfParser('combined', options)
  const json = jsonParser(options)
  return {
    name: 'syslog',
    hasStatus: true,
    hasTime: true,
    parse (line, out) {
      const m = SYSLOG_PREFIX.exec(line)
      if (m === null) return false
      const message = line.slice(m[0].length)
      return message.charCodeAt(0) === 0x7b /* { */ ? json.parse(message, out) : clf.parse(message, out)
    }
  }
}

// ---------------------------------------------------------------- JSON lines

export type JsonRole = 'method' | 'url' | 'query' | 'request' | 'status' | 'time'
export const JSON_ROLES: readonly JsonRole[] = ['method', 'url', 'query', 'request', 'status', 'time']

/**
 * Field names tried in order when --field does not say: nginx `log_format escape=json`
 * with its variable names, Caddy, Traefik, Envoy, pino-http, Elastic Common Schema,
 * Google Cloud's httpRequest, and the obvious ones.
 */
export const DEFAULT_JSON_FIELDS: Record<JsonRole, readonly string[]> = {
  method: ['request_method', 'method', 'RequestMethod', 'request.method', 'req.method', 'http.method', 'http.request.method', 'httpRequest.requestMethod', 'verb'],
  url: ['request_uri', 'uri', 'url', 'path', 'RequestPath', 'request.uri', 'req.url', 'http.url', 'url.original', 'httpRequest.requestUrl', 'request.url', 'request.path'],
  query: ['args', 'query_string', 'query', 'querystring'],
  request: ['request', 'request_line', 'RequestLine'],
  status: ['status', 'response_code', 'status_code', 'statusCode', 'DownstreamStatus', 'res.statusCode', 'response.status', 'http.status_code', 'http.response.status_code', 'httpRequest.status'],
  time: ['time_iso8601', 'time_local', 'time', 'timestamp', '@timestamp', 'ts', 'StartUTC', 'start_time', 'date', 'datetime']
}

type Path = { whole: string; parts: string[] }

function lookup (object: Record<string, unknown>, path: Path): unknown {
  // A flat key with dots (`"http.method": "GET"`) wins over nesting.
  const flat = object[path.whole]
  if (flat !== undefined || path.parts.length === 1) return flat
  let value: unknown = object
  for (const part of path.parts) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

function firstOf (object: Record<string, unknown>, paths: Path[]): unknown {
  for (const path of paths) {
    const value = lookup(object, path)
    if (value !== undefined && value !== null && value !== '') return value
  }
  return undefined
}

export function jsonParser (options: ParserOptions): LineParser {
  const paths = {} as Record<JsonRole, Path[]>
  for (const role of JSON_ROLES) {
    const given = options.fields?.[role]
    paths[role] = (given === undefined ? DEFAULT_JSON_FIELDS[role] : [given]).map((whole) => ({ whole, parts: whole.split('.') }))
  }
  const wantTime = options.wantTime
  return {
    name: 'json',
    hasStatus: true,
    hasTime: true,
    parse (line, out) {
      if (line.charCodeAt(0) !== 0x7b /* { */) return false
      let object: unknown
      try {
        object = JSON.parse(line)
      } catch {
        return false
      }
      if (object === null || typeof object !== 'object' || Array.isArray(object)) return false
      const record = object as Record<string, unknown>
      const method = firstOf(record, paths.method)
      const url = firstOf(record, paths.url)
      if (typeof method === 'string' && typeof url === 'string') {
        out.method = method
        const query = url.includes('?') ? undefined : firstOf(record, paths.query)
        out.target = typeof query === 'string' && query !== '-' ? `${url}?${query}` : url
      } else {
        const request = firstOf(record, paths.request)
        if (typeof request !== 'string' || !readRequestLine(request, out)) return false
      }
      const status = firstOf(record, paths.status)
      out.status = typeof status === 'number' ? status : typeof status === 'string' ? Number(status) : NaN
      out.time = wantTime ? parseLogTime(firstOf(record, paths.time)) : NaN
      return true
    }
  }
}

// ---------------------------------------------------------------- --pattern

export function patternParser (source: string, options: ParserOptions): LineParser {
  let regex: RegExp
  try {
    regex = new RegExp(source)
  } catch (error) {
    throw new ConfigError(`--pattern: ${(error as Error).message}`)
  }
  const groups = new Set(namedGroups(source))
  const hasUrl = groups.has('url') || groups.has('path')
  if (!groups.has('request') && !(groups.has('method') && hasUrl)) {
    throw new ConfigError('--pattern needs named groups (?<method>…) and (?<url>…) (or (?<path>…)), or (?<request>…) for a whole "GET /x HTTP/1.1"')
  }
  const urlGroup = groups.has('url') ? 'url' : 'path'
  const wantTime = options.wantTime && groups.has('time')
  return {
    name: 'pattern',
    hasStatus: groups.has('status'),
    hasTime: groups.has('time'),
    parse (line, out) {
      const m = regex.exec(line)
      const g = m?.groups
      if (g === undefined) return false
      const method = g.method
      const url = g[urlGroup]
      if (method !== undefined && url !== undefined && method !== '' && url !== '') {
        out.method = method
        out.target = g.query ? `${url}?${g.query}` : url
        if (out.target.includes('\\')) out.target = unescapeLogged(out.target)
      } else if (g.request === undefined || !readRequestLine(g.request, out)) {
        return false
      }
      out.status = g.status === undefined ? NaN : Number(g.status)
      out.time = wantTime ? parseLogTime(g.time) : NaN
      return true
    }
  }
}

function namedGroups (source: string): string[] {
  return [...source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1])
}

// ---------------------------------------------------------------- choosing one

export function parserFor (format: Exclude<FormatName, 'pattern'>, options: ParserOptions): LineParser {
  switch (format) {
    case 'combined':
    case 'common':
      return clfParser(format, options)
    case 'syslog':
      return syslogParser(options)
    case 'json':
      return jsonParser(options)
  }
}

/** How many lines `--format auto` looks at. */
export const DETECT_LINES = 20

/**
 * `--format auto`: the format that reads most of the sample's lines, or undefined
 * when none reads any. CLF lines are named combined when any has a referer and agent.
 */
export function detectFormat (sample: readonly string[], options: ParserOptions): LineParser | undefined {
  // Ties go to the stricter formats: the combined pattern also reads a syslog-wrapped line
  // (and lines behind other prefixes), since it allows anything before the [time].
  const candidates = [syslogParser(options), jsonParser(options), clfParser('combined', options)]
  const scratch = emptyRecord()
  let best: LineParser | undefined
  let bestCount = 0
  for (const parser of candidates) {
    let count = 0
    for (const line of sample) if (parser.parse(line, scratch)) count++
    if (count > bestCount) {
      best = parser
      bestCount = count
    }
  }
  if (best?.name === 'combined' && !sample.some(hasCombinedTail)) return clfParser('common', options)
  return best
}
