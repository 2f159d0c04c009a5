/**
 * Finds where each HTTP/1.1 response starts and ends on a keep-alive connection: status line,
 * Content-Length, chunked (extensions and trailers skipped), read-until-close, interim 1xx
 * responses, and the responses that never have a body (HEAD, 204, 304). It keeps only what the
 * load needs: the status, body byte counts, and the Location and Set-Cookie headers, so a
 * response that carries neither costs no allocation.
 *
 * Bytes may arrive split anywhere: the head is copied into a buffer of its own until its blank
 * line, and the body states go byte by byte through chunk sizes, so no split needs a second path.
 */

export interface FramerSink {
  /** The final (non-1xx) response's head; `picked` holds Location/Set-Cookie name/value pairs, valid during the call. */
  onHead (status: number, picked: Buffer[]): void
  onBody (bytes: number): void
  /** The response is complete; `keepAlive` says whether the connection can carry the next request. */
  onEnd (keepAlive: boolean): void
}

/** A response the framer refuses; the code is one the error classifier already knows (counted as `other`). */
export class FramingError extends Error {
  readonly code: string
  constructor (code: string, message: string) {
    super(message)
    this.code = code
    this.name = 'FramingError'
  }
}

/** As undici and Node's HTTP parser: 16 KiB of head at most. */
export const MAX_HEAD_BYTES = 16 * 1024

const CR = 13
const LF = 10
const SP = 32
const HT = 9
const COLON = 58
const SEMICOLON = 59

const enum State { Head, Length, ChunkSize, ChunkExt, ChunkSizeLf, ChunkData, ChunkDataCr, ChunkDataLf, TrailerLineStart, TrailerLine, TrailerEndLf, UntilClose, Done }

const CONTENT_LENGTH = bytes('content-length')
const TRANSFER_ENCODING = bytes('transfer-encoding')
const CONNECTION = bytes('connection')
const LOCATION = bytes('location')
const SET_COOKIE = bytes('set-cookie')
const HTTP_1 = bytes('HTTP/1.')
const CHUNKED = bytes('chunked')
const CLOSE = bytes('close')
const KEEP_ALIVE = bytes('keep-alive')

function bytes (text: string): Buffer {
  return Buffer.from(text, 'latin1')
}

export class ResponseFramer {
  readonly #sink: FramerSink
  readonly #head = Buffer.allocUnsafe(MAX_HEAD_BYTES)
  #headLength = 0
  /** Progress towards CR LF CR LF at the end of the head: 0..3. */
  #headEnd = 0
  readonly #picked: Buffer[] = []
  #state = State.Done
  #noBody = false
  #remaining = 0
  #chunkDigits = 0
  #keepAlive = true
  #trailerBytes = 0

  constructor (sink: FramerSink) {
    this.#sink = sink
  }

  /** Before each request: `noBody` for HEAD, whose response says a length it never sends. */
  expect (noBody: boolean): void {
    this.#noBody = noBody
    this.#state = State.Head
    this.#headLength = 0
    this.#headEnd = 0
  }

  get waiting (): boolean {
    return this.#state !== State.Done
  }

  /**
   * Takes bytes [start, end) of `buf`; returns how many it used (fewer than given only when the
   * response ended before them: those bytes answer no request). Throws FramingError.
   */
  feed (buf: Buffer, start: number, end: number): number {
    let i = start
    while (i < end) {
      switch (this.#state) {
        case State.Head:
          i = this.#takeHead(buf, i, end)
          break
        case State.Length: {
          const n = Math.min(this.#remaining, end - i)
          this.#remaining -= n
          i += n
          this.#sink.onBody(n)
          if (this.#remaining === 0) this.#finish()
          break
        }
        case State.UntilClose:
          this.#sink.onBody(end - i)
          i = end
          break
        case State.ChunkData: {
          const n = Math.min(this.#remaining, end - i)
          this.#remaining -= n
          i += n
          this.#sink.onBody(n)
          if (this.#remaining === 0) this.#state = State.ChunkDataCr
          break
        }
        case State.Done:
          return i - start
        default:
          this.#chunkByte(buf[i++])
      }
    }
    return i - start
  }

  /** The connection ended; true when that completes the response (a body read until close). */
  eof (): boolean {
    if (this.#state !== State.UntilClose) return false
    this.#state = State.Done
    this.#sink.onEnd(false)
    return true
  }

  #takeHead (buf: Buffer, start: number, end: number): number {
    let i = start
    let state = this.#headEnd
    for (; i < end && state < 4; i++) {
      const c = buf[i]
      if (c === CR) state = state === 2 ? 3 : 1
      else if (c === LF) state = state === 1 || state === 3 ? state + 1 : 0
      else state = 0
    }
    this.#headEnd = state
    const n = i - start
    if (this.#headLength + n > MAX_HEAD_BYTES) throw new FramingError('UND_ERR_HEADERS_OVERFLOW', 'response head larger than 16 KiB')
    if (state === 4 && this.#headLength === 0) {
      // The usual case, the whole head in one read: parsed where it lies, nothing copied.
      this.#headEnd = 0
      this.#parseHead(buf, start, n)
      return i
    }
    buf.copy(this.#head, this.#headLength, start, i)
    this.#headLength += n
    if (state === 4) {
      const length = this.#headLength
      this.#headLength = 0
      this.#headEnd = 0
      this.#parseHead(this.#head, 0, length)
    }
    return i
  }

  /** The head is bytes [o, o + size) of `head`, blank line included. */
  #parseHead (head: Buffer, o: number, size: number): void {
    const length = o + size
    // HTTP/1.x NNN[ reason]CRLF
    if (size < 14 || !startsWith(head, o, HTTP_1) || (head[o + 7] !== 48 && head[o + 7] !== 49) || head[o + 8] !== SP ||
      !isDigit(head[o + 9]) || !isDigit(head[o + 10]) || !isDigit(head[o + 11]) || (head[o + 12] !== SP && head[o + 12] !== CR)) {
      throw new FramingError('HPE_INVALID_CONSTANT', 'not an HTTP/1.x status line')
    }
    const status = (head[o + 9] - 48) * 100 + (head[o + 10] - 48) * 10 + (head[o + 11] - 48)
    if (status < 100) throw new FramingError('HPE_INVALID_STATUS', 'invalid status code')
    const http10 = head[o + 7] === 48
    let contentLength = -1
    let chunked = false
    let otherCoding = false
    let close = false
    let keepAliveToken = false
    const picked = this.#picked
    picked.length = 0
    let line = head.indexOf(LF, o) + 1
    // The head ends in an empty line: lines are read up to the one that is only CR LF.
    while (line < length - 2) {
      const eol = head.indexOf(LF, line)
      const valueEnd = head[eol - 1] === CR ? eol - 1 : eol
      const colon = head.indexOf(COLON, line)
      if (colon < 0 || colon > valueEnd || colon === line) throw new FramingError('HPE_INVALID_HEADER_TOKEN', 'header line without a name')
      let v = colon + 1
      while (v < valueEnd && (head[v] === SP || head[v] === HT)) v++
      let ve = valueEnd
      while (ve > v && (head[ve - 1] === SP || head[ve - 1] === HT)) ve--
      const nameLength = colon - line
      if (named(head, line, nameLength, CONTENT_LENGTH)) {
        const value = parseLength(head, v, ve)
        if (value < 0 || (contentLength >= 0 && contentLength !== value)) throw new FramingError('HPE_INVALID_CONTENT_LENGTH', 'invalid Content-Length')
        contentLength = value
      } else if (named(head, line, nameLength, TRANSFER_ENCODING)) {
        // chunked only counts as the last coding; anything else is read until close (RFC 9112 §6.3).
        chunked = hasToken(head, v, ve, CHUNKED, true)
        otherCoding = !chunked
      } else if (named(head, line, nameLength, CONNECTION)) {
        if (hasToken(head, v, ve, CLOSE)) close = true
        if (hasToken(head, v, ve, KEEP_ALIVE)) keepAliveToken = true
      } else if (named(head, line, nameLength, LOCATION) || named(head, line, nameLength, SET_COOKIE)) {
        picked.push(head.subarray(line, colon), head.subarray(v, ve))
      }
      line = eol + 1
    }
    if (status < 200) {
      if (status === 101) throw new FramingError('UND_ERR_SOCKET', 'unexpected protocol switch')
      // An interim response (100 Continue, 103 Early Hints): the real one follows.
      return
    }
    this.#keepAlive = !close && (!http10 || keepAliveToken)
    this.#sink.onHead(status, picked)
    if (this.#noBody || status === 204 || status === 304) return this.#finish()
    if (chunked) {
      this.#startChunk()
    } else if (contentLength >= 0 && !otherCoding) {
      if (contentLength === 0) return this.#finish()
      this.#remaining = contentLength
      this.#state = State.Length
    } else {
      this.#keepAlive = false
      this.#state = State.UntilClose
    }
  }

  #startChunk (): void {
    this.#remaining = 0
    this.#chunkDigits = 0
    this.#state = State.ChunkSize
  }

  #chunkByte (c: number): void {
    switch (this.#state) {
      case State.ChunkSize: {
        const digit = hexValue(c)
        if (digit >= 0) {
          // 13 hex digits are 2^52: beyond that, arithmetic on numbers stops being exact.
          if (++this.#chunkDigits > 13) throw new FramingError('HPE_INVALID_CHUNK_SIZE', 'chunk size too large')
          this.#remaining = this.#remaining * 16 + digit
          return
        }
        if (this.#chunkDigits === 0) throw new FramingError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size')
        if (c === CR) { this.#state = State.ChunkSizeLf; return }
        if (c === SEMICOLON || c === SP || c === HT) { this.#state = State.ChunkExt; return }
        throw new FramingError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size')
      }
      case State.ChunkExt:
        if (c === CR) this.#state = State.ChunkSizeLf
        return
      case State.ChunkSizeLf:
        if (c !== LF) throw new FramingError('HPE_STRICT', 'expected LF after chunk size')
        if (this.#remaining === 0) {
          this.#trailerBytes = 0
          this.#state = State.TrailerLineStart
        } else {
          this.#state = State.ChunkData
        }
        return
      case State.ChunkDataCr:
        if (c !== CR) throw new FramingError('HPE_STRICT', 'expected CR after chunk data')
        this.#state = State.ChunkDataLf
        return
      case State.ChunkDataLf:
        if (c !== LF) throw new FramingError('HPE_STRICT', 'expected LF after chunk data')
        this.#startChunk()
        return
      case State.TrailerLineStart:
        if (++this.#trailerBytes > MAX_HEAD_BYTES) throw new FramingError('UND_ERR_HEADERS_OVERFLOW', 'trailers larger than 16 KiB')
        this.#state = c === CR ? State.TrailerEndLf : c === LF ? this.#finishNow() : State.TrailerLine
        return
      case State.TrailerLine:
        if (++this.#trailerBytes > MAX_HEAD_BYTES) throw new FramingError('UND_ERR_HEADERS_OVERFLOW', 'trailers larger than 16 KiB')
        if (c === LF) this.#state = State.TrailerLineStart
        return
      case State.TrailerEndLf:
        if (c !== LF) throw new FramingError('HPE_STRICT', 'expected LF after trailers')
        this.#finish()
    }
  }

  #finishNow (): State {
    this.#finish()
    return State.Done
  }

  #finish (): void {
    this.#state = State.Done
    this.#sink.onEnd(this.#keepAlive)
  }
}

/** Bytes from `start` are `prefix` (a JS loop: Buffer.compare's argument checks cost more than the bytes). */
function startsWith (buf: Buffer, start: number, prefix: Buffer): boolean {
  for (let i = 0; i < prefix.length; i++) if (buf[start + i] !== prefix[i]) return false
  return true
}

function isDigit (c: number): boolean {
  return c >= 48 && c <= 57
}

function hexValue (c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  const lower = c | 0x20
  if (lower >= 97 && lower <= 102) return lower - 87
  return -1
}

/** Bytes [start, start + length) equal `lower`, ignoring ASCII case. */
function named (buf: Buffer, start: number, length: number, lower: Buffer): boolean {
  if (length !== lower.length) return false
  for (let i = 0; i < length; i++) {
    const c = buf[start + i]
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower[i]) return false
  }
  return true
}

function parseLength (buf: Buffer, start: number, end: number): number {
  if (start === end || end - start > 15) return -1
  let value = 0
  for (let i = start; i < end; i++) {
    const c = buf[i]
    if (!isDigit(c)) return -1
    value = value * 10 + c - 48
  }
  return value
}

/** Whether the comma-separated list in [start, end) holds `token` (`last`: as its last item). */
function hasToken (buf: Buffer, start: number, end: number, token: Buffer, last = false): boolean {
  let from = start
  let found = false
  while (from <= end) {
    let to = buf.indexOf(44, from)
    if (to < 0 || to > end) to = end
    let a = from
    let b = to
    while (a < b && (buf[a] === SP || buf[a] === HT)) a++
    while (b > a && (buf[b - 1] === SP || buf[b - 1] === HT)) b--
    found = named(buf, a, b - a, token)
    if (found && !last) return true
    from = to + 1
  }
  return found
}
