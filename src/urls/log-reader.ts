/**
 * Lines of a log file, gzipped or not, or of stdin (`-`), in constant memory:
 * chunks are split as they arrive and each line is handed over at once.
 */
import type { FileHandle } from 'node:fs/promises'
import { open } from 'node:fs/promises'
import { Readable, pipeline } from 'node:stream'
import { isUtf8 } from 'node:buffer'
import { createGunzip, gunzipSync } from 'node:zlib'
import { nonUtf8Byte } from '../scenario/urlfile/utf8.js'
import { ConfigError } from '../errors.js'

/** A longer line is not a log line: it is counted as unparseable and skipped without being kept. */
export const MAX_LINE_CHARS = 1 << 20

/** How much of the start of a file is looked at for NUL bytes. */
const BINARY_PROBE_BYTES = 8192
const READ_CHUNK_BYTES = 256 * 1024

export interface LineSink {
  /** One line, without its `\n` or `\r\n`; `number` is 1-based. */
  line (text: string, number: number): void
  /** A line longer than MAX_LINE_CHARS, with its first characters. */
  overlong (number: number, head: string): void
}

export interface ReadResult {
  lines: number
  gzip: boolean
  /** Set when a gzip stream ended early or was corrupt: the lines before it were read. */
  gzipError?: string
}

/** The name `-` reads stdin. */
export const STDIN_NAME = '-'

/** Reads `name` line by line into `sink`. Throws ConfigError for a missing, unreadable or binary file. */
export async function readLogLines (name: string, stdin: NodeJS.ReadableStream, sink: LineSink): Promise<ReadResult> {
  if (name === STDIN_NAME) return readLines(name, stdin as AsyncIterable<Buffer>, sink)
  let handle: FileHandle
  try {
    handle = await open(name, 'r')
  } catch (error) {
    throw new ConfigError(`cannot read: ${describeError(error)}`, { file: name })
  }
  // The stream closes the file when it ends or is destroyed, also when reading stops early.
  const stream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES })
  try {
    return await readLines(name, stream, sink)
  } finally {
    stream.destroy()
  }
}

async function readLines (name: string, raw: AsyncIterable<Buffer>, sink: LineSink): Promise<ReadResult> {
  const iterator = raw[Symbol.asyncIterator]()
  let head: Buffer = Buffer.alloc(0)
  let ended = false
  try {
    // Two bytes say whether it is gzip.
    while (head.length < 2) {
      const next = await iterator.next()
      if (next.done === true) {
        ended = true
        break
      }
      head = head.length === 0 ? next.value : Buffer.concat([head, next.value])
    }
  } catch (error) {
    throw new ConfigError(`cannot read: ${describeError(error)}`, { file: name })
  }
  async function * rest (): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head
    if (ended) return
    for (;;) {
      const next = await iterator.next()
      if (next.done === true) return
      yield next.value
    }
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b
  const data: AsyncIterable<Buffer> = gzip ? pipeline(Readable.from(rest()), createGunzip(), () => {}) : rest()
  const splitter = new LineSplitter(sink)
  let first = true
  try {
    for await (const chunk of data) {
      if (first) {
        first = false
        checkText(chunk, name, gzip)
      }
      splitter.write(chunk)
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error
    if (gzip && isZlibError(error)) {
      splitter.end()
      return { lines: splitter.lines, gzip, gzipError: (error as Error).message }
    }
    throw new ConfigError(`cannot read: ${describeError(error)}`, { file: name })
  }
  splitter.end()
  return { lines: splitter.lines, gzip }
}

class LineSplitter {
  readonly #sink: LineSink
  #carry = ''
  #skipping = false
  lines = 0

  constructor (sink: LineSink) {
    this.#sink = sink
  }

  write (chunk: Buffer): void {
    // latin1 keeps every byte as one character; #emit decodes each line as UTF-8 when it is.
    const text = this.#carry + chunk.toString('latin1')
    let start = 0
    for (;;) {
      const newline = text.indexOf('\n', start)
      if (newline === -1) break
      this.#emit(text, start, newline)
      start = newline + 1
    }
    this.#carry = start === 0 ? text : text.slice(start)
    if (this.#carry.length > MAX_LINE_CHARS) {
      if (!this.#skipping) this.#sink.overlong(this.lines + 1, this.#carry.slice(0, 1000))
      this.#skipping = true
      this.#carry = ''
    }
  }

  end (): void {
    const text = this.#carry
    this.#carry = ''
    if (text !== '' || this.#skipping) this.#emit(text, 0, text.length)
  }

  #emit (text: string, start: number, end: number): void {
    this.lines++
    if (this.#skipping) {
      this.#skipping = false
      return
    }
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--
    // A UTF-8 byte order mark would otherwise stick to the first line.
    if (this.lines === 1 && text.startsWith(UTF8_BOM_BYTES, start)) start += UTF8_BOM_BYTES.length
    const line = text.slice(start, end)
    this.#sink.line(HIGH_BYTE.test(line) ? decodeLine(line) : line, this.lines)
  }
}

const UTF8_BOM_BYTES = '\xef\xbb\xbf'
const HIGH_BYTE = /[\x80-\xff]/
const HIGH_BYTES = /[\x80-\xff]/g

/**
 * A line's bytes (one latin1 character each) as text: UTF-8 when they are; otherwise each byte
 * above 0x7f as %XX, which in a request target is the byte the client sent (siege sends `caf%E9`
 * for a URL-file `caf\xe9`), where decoding would have put U+FFFD.
 */
function decodeLine (line: string): string {
  const bytes = Buffer.from(line, 'latin1')
  if (isUtf8(bytes)) return bytes.toString('utf8')
  return line.replace(HIGH_BYTES, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
}

const COMPRESSED: Array<[string, Buffer]> = [
  ['bzip2', Buffer.from('BZh')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ['zip', Buffer.from('PK\x03\x04', 'latin1')]
]

/** Other compressions and binary files are refused with one line saying what they are. */
function checkText (start: Buffer, name: string, gzip: boolean): void {
  for (const [kind, magic] of COMPRESSED) {
    if (start.subarray(0, magic.length).equals(magic) && (kind !== 'bzip2' || /^BZh[1-9]/.test(start.toString('latin1', 0, 4)))) {
      throw new ConfigError(`${kind}-compressed${gzip ? ' (inside gzip)' : ''}: only gzip is read; decompress it first (e.g. ${kind === 'zip' ? 'unzip -p' : kind === 'bzip2' ? 'bzcat' : kind === 'xz' ? 'xzcat' : 'zstdcat'} FILE | memsiege urls … -)`, { file: name })
    }
  }
  if (start.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
    throw new ConfigError(`binary data, not text${gzip ? ' (inside gzip)' : ''}`, { file: name })
  }
}

function isZlibError (error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && code.startsWith('Z_')
}

function describeError (error: unknown): string {
  const e = error as NodeJS.ErrnoException
  if (e?.code === 'ENOENT') return 'no such file'
  if (e?.code === 'EISDIR') return 'is a directory'
  if (e?.code === 'EACCES') return 'permission denied'
  return e instanceof Error ? e.message : String(error)
}

/** The whole of `name` (or stdin) as text, gunzipped when it is gzip: for HAR files, which are one JSON document. */
export async function readWholeInput (name: string, stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  let handle: FileHandle | undefined
  try {
    let raw: AsyncIterable<Buffer>
    if (name === STDIN_NAME) {
      raw = stdin as AsyncIterable<Buffer>
    } else {
      handle = await open(name, 'r')
      raw = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES })
    }
    for await (const chunk of raw) chunks.push(chunk)
  } catch (error) {
    throw new ConfigError(`cannot read: ${describeError(error)}`, { file: name })
  } finally {
    await handle?.close().catch(() => {})
  }
  let data = Buffer.concat(chunks)
  if (data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data)
    } catch (error) {
      throw new ConfigError(`gzip: ${(error as Error).message}`, { file: name })
    }
  }
  checkText(data, name, false)
  // A HAR is JSON, which is UTF-8: anything else would be read as U+FFFD and sent so.
  const bad = nonUtf8Byte(data)
  if (bad) throw new ConfigError(`byte 0x${bad.byte} is not UTF-8; a HAR file is JSON, which is UTF-8`, { file: name, line: bad.line })
  const text = data.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
