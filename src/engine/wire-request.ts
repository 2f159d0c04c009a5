/**
 * A request as the bytes the fast path writes, built once per URL line (and per redirect hop):
 * the same bytes undici writes for the same dispatch options (lib/dispatcher/client-h1.js
 * writeH1: lower-case host and connection first, the headers in order, content-length last,
 * none on a body-less GET/HEAD/DELETE/OPTIONS), so that a server can't tell the two apart.
 */

/** Headers undici treats specially (host, framing, upgrades): such a request stays with undici. */
const SPECIAL = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'te'])
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
/** Methods whose requests carry a body, for which undici sends `content-length: 0` when it is empty. */
const PAYLOAD = new Set(['PUT', 'POST', 'PATCH', 'QUERY', 'PROPFIND', 'PROPPATCH'])

export interface WireBytes {
  /** Request line and headers, without the last blank line: a per-user Cookie header goes after it. */
  lead: Buffer
  /** content-length, the blank line and the body. */
  tail: Buffer
  /** lead + tail, written in one go when there is no cookie. */
  whole: Buffer
  /** HEAD: the response has no body whatever its headers say. */
  noBody: boolean
  /** The connection is not used again after this request (as undici: after a HEAD, or a body on a method that expects none). */
  closeAfter: boolean
}

export interface WireShape {
  method: string
  /** Origin-form target: path and query. */
  path: string
  /** Host header value: host, and the port unless it is the default. */
  host: string
  /** Flat name/value pairs, in order. */
  headers: readonly string[]
  body?: Buffer
}

/** The bytes, or undefined when a header or the method is one the fast path leaves to undici. */
export function wireBytes (shape: WireShape): WireBytes | undefined {
  const { method, path, host, headers, body } = shape
  if (!TOKEN.test(method)) return undefined
  // undici asks for a close after a HEAD, for servers that send a body anyway (undici#258).
  let lead = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: ${method === 'HEAD' ? 'close' : 'keep-alive'}\r\n`
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]
    const value = headers[i + 1]
    if (!TOKEN.test(name) || SPECIAL.has(name.toLowerCase()) || !VALUE.test(value)) return undefined
    lead += `${name}: ${value}\r\n`
  }
  const length = body?.length ?? 0
  const framing = length > 0 || PAYLOAD.has(method) ? `content-length: ${length}\r\n\r\n` : '\r\n'
  const leadBytes = Buffer.from(lead, 'latin1')
  const tail = length > 0 ? Buffer.concat([Buffer.from(framing, 'latin1'), body!]) : Buffer.from(framing, 'latin1')
  return {
    lead: leadBytes,
    tail,
    whole: Buffer.concat([leadBytes, tail]),
    noBody: method === 'HEAD',
    closeAfter: method === 'HEAD' || (length > 0 && !PAYLOAD.has(method))
  }
}
