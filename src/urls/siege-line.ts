/**
 * Writing one request as a siege URL-file line that memsiege's reader
 * (src/scenario/urlfile) reads back to the same method, URL, body and content
 * type. Every line is checked by running it through that reader's own steps;
 * a line that would not read back is refused, with the reason.
 */
import type { LineContext } from '../scenario/urlfile/context.js'
import { readLines, SIEGE_LINE_BUFFER } from '../scenario/urlfile/lines.js'
import { splitMethod } from '../scenario/urlfile/method.js'
import { parseVariableLine, VariableScope } from '../scenario/urlfile/variables.js'

/** The methods a URL-file line can carry a body slot for (siege's keywords). */
export const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
/** Every method a URL-file line can say; GET is the line without a keyword, HEAD a trailing ` HEAD`. */
export const WRITABLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', ...BODY_METHODS])

export const FORM_TYPE = 'application/x-www-form-urlencoded'

/** Bodies longer than this go to a file: siege 4.0 drops lines of 40,000 bytes and more. */
export const MAX_INLINE_BODY_BYTES = SIEGE_LINE_BUFFER - 2000

export interface SiegeRequest {
  method: string
  /** An absolute http(s) URL, or a path starting with `/` for the scenario's target.url. */
  url: string
  /** Text of the body, for a method with a body slot. */
  body?: string
  /** `<path` to the body instead of `body`: relative to the URL file. */
  bodyFile?: string
  /** A media type without parameters, written as siege 4.2's per-line `-T type;`. */
  contentType?: string
}

export type LineOutcome =
  | { ok: true; line: string }
  /** `inline`: the body can't be written on the line but can go to a `<file`. */
  | { ok: false; reason: string; inline?: true }

/**
 * The URL as it can stand on a line: whitespace and control characters would
 * end it, `#` would start a fragment and `\` would be read as `/`, so they are
 * percent-escaped (the server sees the same request); `$` would start a variable
 * and is written `\$`.
 */
export function lineUrl (url: string): string {
  let text = url.replace(/[\x00-\x20\x7f#\\]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'))
  // `//x/y` relative to a base would name host x.
  if (text.startsWith('//')) text = '/.' + text
  return escapeDollars(text)
}

export function escapeDollars (text: string): string {
  return text.replace(/\$/g, '\\$')
}

/**
 * A content type as a per-line `-T` can carry it: the media type alone (the
 * reader stops at `;`), or undefined when a parameter other than charset matters
 * (multipart's boundary).
 */
export function lineContentType (contentType: string): { type: string } | { reason: string } {
  const [type, ...parameters] = contentType.split(';').map((p) => p.trim())
  if (!/^[^\s;/]+\/[^\s;]+$/.test(type)) return { reason: `content type "${contentType}" can't be written on a line` }
  const kept = parameters.filter((p) => p !== '' && !/^charset=/i.test(p))
  if (kept.length > 0) return { reason: `content type "${contentType}": its parameters (${kept.join('; ')}) can't be written on a line` }
  return { type }
}

const NO_QUIRKS: LineContext = { source: '<siege-line>', line: 1, quirk () {} }

/** The line for `request`, or why there is none. */
export function siegeLine (request: SiegeRequest): LineOutcome {
  const { method } = request
  if (!WRITABLE_METHODS.has(method)) return { ok: false, reason: `method ${method} can't be written in a URL file` }
  const hasBody = request.body !== undefined || request.bodyFile !== undefined
  if (!BODY_METHODS.has(method) && hasBody && request.body !== '') {
    return { ok: false, reason: `a ${method} with a body can't be written in a URL file` }
  }
  let line = lineUrl(request.url)
  if (method === 'HEAD') line += ' HEAD'
  if (BODY_METHODS.has(method)) {
    line += ' ' + method
    if (request.contentType !== undefined) line += ` -T ${request.contentType};`
    if (request.bodyFile !== undefined) {
      line += ' <' + escapeDollars(request.bodyFile)
    } else if (request.body !== undefined && request.body !== '') {
      const body = request.body
      if (/[\r\n\0]/.test(body)) return { ok: false, reason: 'the body has line breaks', inline: true }
      if (Buffer.byteLength(body) > MAX_INLINE_BODY_BYTES) return { ok: false, reason: 'the body is long', inline: true }
      line += ' ' + escapeDollars(body)
    }
  }
  return readsBackAs(line, request) ? { ok: true, line } : { ok: false, reason: 'the line would not read back the same', inline: hasBody ? true : undefined }
}

/** Runs `line` through the URL-file reader's steps and compares. */
function readsBackAs (line: string, request: SiegeRequest): boolean {
  const read = readLines(line)
  if (read.length !== 1 || read[0].text !== line || parseVariableLine(line) !== undefined) return false
  const expanded = new VariableScope({}).expand(line, NO_QUIRKS)
  const split = splitMethod(expanded, NO_QUIRKS)
  if (split.method !== request.method || split.url !== lineUrl(request.url).replace(/\\\$/g, '$')) return false
  if (split.contentType !== request.contentType) return false
  if (!BODY_METHODS.has(request.method)) return split.body === undefined
  if (request.bodyFile !== undefined) return split.body?.kind === 'file' && split.body.path === request.bodyFile
  return split.body?.kind === 'inline' && split.body.text === (request.body ?? '')
}
