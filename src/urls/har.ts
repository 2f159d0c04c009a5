/**
 * HAR 1.2 (HTTP Archive), as browser devtools, Fiddler, Charles and mitmproxy export it:
 * the requests of its entries, and the unwrapping of Silverlight-style X-Method POSTs.
 */
import { FORM_TYPE } from './siege-line.js'
import { ConfigError } from '../errors.js'

export interface HarRequest {
  /** 0-based position in log.entries. */
  index: number
  method: string
  /** Absolute, as recorded. */
  url: string
  /** Without HTTP/2 pseudo-headers. */
  headers: Array<[string, string]>
  body?: Buffer
  /** postData.mimeType, else the Content-Type header. */
  contentType?: string
  /** response.status; 0 for requests that got none (browsers record blocked and failed requests so). */
  status: number
  /** startedDateTime in ms since the epoch, NaN when absent. */
  time: number
  /** The header that carried the real method, when the entry was an X-Method POST. */
  unwrappedFrom?: string
}

export interface HarContent {
  requests: HarRequest[]
  /** Entries that are not requests memsiege can replay, with why. */
  invalid: Array<{ index: number; reason: string }>
}

/** Parses a HAR document; ConfigError (with the line and column of a JSON error) when it is not one. */
export function parseHar (text: string, file: string): HarContent {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw jsonError(text, file, error as Error)
  }
  const log = isObject(document) ? document.log : undefined
  if (!isObject(log)) throw new ConfigError('not a HAR file: no "log" object at the top', { file })
  if (!Array.isArray(log.entries)) throw new ConfigError('not a HAR file: "log.entries" is not a list', { file })
  const content: HarContent = { requests: [], invalid: [] }
  log.entries.forEach((entry: unknown, index: number) => {
    const read = readEntry(entry, index)
    if (typeof read === 'string') content.invalid.push({ index, reason: read })
    else content.requests.push(read)
  })
  return content
}

function readEntry (entry: unknown, index: number): HarRequest | string {
  if (!isObject(entry) || !isObject(entry.request)) return 'no request'
  const request = entry.request
  if (typeof request.method !== 'string' || request.method === '') return 'no request.method'
  if (typeof request.url !== 'string' || request.url === '') return 'no request.url'
  if (!/^https?:\/\//i.test(request.url)) return `not an http(s) URL: ${request.url.slice(0, 40)}`
  const headers: Array<[string, string]> = Array.isArray(request.headers)
    ? request.headers
      .filter((h): h is { name: string; value: unknown } => isObject(h) && typeof h.name === 'string' && !h.name.startsWith(':'))
      .map((h) => [h.name, String(h.value ?? '')])
    : []
  if (/^websocket$/i.test(header(headers, 'upgrade') ?? '')) return 'a WebSocket'
  const response = isObject(entry.response) ? entry.response : {}
  const result: HarRequest = {
    index,
    method: request.method.toUpperCase(),
    url: request.url,
    headers,
    status: typeof response.status === 'number' ? response.status : NaN,
    time: typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN
  }
  const postData = isObject(request.postData) ? request.postData : undefined
  const contentType = (typeof postData?.mimeType === 'string' && postData.mimeType !== '' ? postData.mimeType : undefined) ?? header(headers, 'content-type')
  if (contentType !== undefined) result.contentType = contentType
  const body = postData === undefined ? undefined : readBody(postData, contentType)
  if (typeof body === 'string') return body
  if (body !== undefined) result.body = body
  return result
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/

/** postData.text (base64 when mitmproxy and others say so), else a form rebuilt from postData.params. */
function readBody (postData: Record<string, unknown>, contentType: string | undefined): Buffer | string | undefined {
  if (typeof postData.text === 'string') {
    if (postData.encoding === undefined || postData.encoding === '') return Buffer.from(postData.text, 'utf8')
    if (postData.encoding !== 'base64') return `a body in the unknown encoding ${JSON.stringify(postData.encoding)}`
    // Node's decoder skips what isn't base64 and returns the rest: garbage, sent without a word.
    return BASE64.test(postData.text.replace(/\s+/g, '')) ? Buffer.from(postData.text, 'base64') : 'a base64 body that is not valid base64'
  }
  if (Array.isArray(postData.params) && postData.params.length > 0) {
    if (!isForm(contentType)) return `a ${contentType ?? 'body'} recorded as params only`
    const form = new URLSearchParams()
    for (const p of postData.params) if (isObject(p) && typeof p.name === 'string') form.append(p.name, String(p.value ?? ''))
    return Buffer.from(form.toString())
  }
  return undefined
}

/** The names Silverlight-era clients and frameworks use for the real method. */
export const METHOD_HEADERS = ['X-Method', 'X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override']

/**
 * A POST that carries its real method in one of `headerNames` (Silverlight and
 * Flash could only GET and POST) is written back as that method. A form body
 * becomes the query string, which memsiege's `methodOverride` turns back into the
 * same POST (`POST /x`, `X-Method: PUT`, body `a=1` → `/x?a=1 PUT` → the same POST)
 * and which a REST server takes as parameters. A body that is not a form stays the
 * body of the real method (the rewrite keeps such bodies too); GET and HEAD can't
 * have one, so such an entry is left a POST. Returns undefined when `request` is
 * not such a POST.
 */
export function unwrapMethodOverride (request: HarRequest, headerNames: readonly string[]): HarRequest | undefined {
  if (request.method !== 'POST') return undefined
  const lower = headerNames.map((n) => n.toLowerCase())
  const found = request.headers.find(([name]) => lower.includes(name.toLowerCase()))
  if (found === undefined) return undefined
  const method = found[1].trim().toUpperCase()
  if (!/^[A-Z]+$/.test(method) || method === 'POST') return undefined
  const headers = request.headers.filter((h) => h !== found)
  const body = request.body
  const hasBody = body !== undefined && body.length > 0
  if (hasBody && !isForm(request.contentType)) {
    if (method === 'GET' || method === 'HEAD') return undefined
    return { ...request, method, headers, unwrappedFrom: found[0] }
  }
  const url = hasBody ? withQuery(request.url, body.toString('latin1')) : request.url
  const { body: _body, contentType: _type, ...rest } = request
  return { ...rest, method, url, headers, unwrappedFrom: found[0] }
}

/** `url` with `parameters` appended to its query string (the fragment dropped). */
function withQuery (url: string, parameters: string): string {
  const base = url.replace(/#.*$/s, '')
  if (!base.includes('?')) return `${base}?${parameters}`
  return base.endsWith('?') || base.endsWith('&') ? base + parameters : `${base}&${parameters}`
}

export function isForm (contentType: string | undefined): boolean {
  return contentType === undefined || contentType.trim().toLowerCase().startsWith(FORM_TYPE)
}

export function header (headers: ReadonlyArray<[string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase()
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1]
}

function isObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

// ---------------------------------------------------------------- JSON errors with a position

function jsonError (text: string, file: string, error: Error): ConfigError {
  if (text.trim() === '') return new ConfigError('empty file, not a HAR file', { file })
  const offset = jsonErrorOffset(text)
  const at = offset < 0 ? undefined : lineAndColumn(text, offset)
  if (offset >= text.length || /end of JSON input/i.test(error.message)) {
    return new ConfigError('not valid JSON: the file ends before the HAR document does (truncated?)', { file, ...at })
  }
  // V8 quotes the input in some messages; the position says where, in one line.
  const message = error.message.replace(/, (?:\.\.\.)?".*is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '').replace(/\s+/g, ' ')
  return new ConfigError(`not valid JSON: ${message}`, { file, ...at })
}

function lineAndColumn (text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** Where a JSON text first goes wrong (text.length when it ends too early), or -1 when it is valid. */
export function jsonErrorOffset (text: string): number {
  let i = 0
  const fail = (): never => { throw new JsonStop(i) }
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const expect = (literal: string): void => {
    for (const c of literal) {
      if (text[i] !== c) fail()
      i++
    }
  }
  const string = (): void => {
    i++
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return
      }
      if (c === 0x5c) {
        i++
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail()
          i += 5
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i])) {
          i++
        } else {
          fail()
        }
      } else if (c < 0x20) {
        fail()
      } else {
        i++
      }
    }
    fail()
  }
  const value = (): void => {
    space()
    const c = text[i]
    if (c === '{') {
      i++
      space()
      if (text[i] === '}') { i++; return }
      for (;;) {
        space()
        if (text[i] !== '"') fail()
        string()
        space()
        expect(':')
        value()
        space()
        if (text[i] === ',') { i++; continue }
        if (text[i] === '}') { i++; return }
        fail()
      }
    }
    if (c === '[') {
      i++
      space()
      if (text[i] === ']') { i++; return }
      for (;;) {
        value()
        space()
        if (text[i] === ',') { i++; continue }
        if (text[i] === ']') { i++; return }
        fail()
      }
    }
    if (c === '"') return string()
    if (c === 't') return expect('true')
    if (c === 'f') return expect('false')
    if (c === 'n') return expect('null')
    NUMBER.lastIndex = i
    if (NUMBER.test(text)) { i = NUMBER.lastIndex; return }
    fail()
  }
  try {
    value()
    space()
    if (i < text.length) fail()
    return -1
  } catch (stop) {
    if (stop instanceof JsonStop) return stop.offset
    throw stop
  }
}

class JsonStop {
  constructor (readonly offset: number) {}
}
