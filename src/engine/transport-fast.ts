import { connect, type Socket } from 'node:net'
import type { ExchangeHandler } from './exchange.js'
import { ResponseFramer, type FramerSink } from './response-framer.js'
import type { WireBytes } from './wire-request.js'

/**
 * The fast path for plain http: raw keep-alive sockets, one request at a time on each, the
 * request written as prepared bytes and the response framed by ResponseFramer. Per request it
 * allocates nothing of its own: reads land in one buffer shared by all sockets of the thread
 * (each read is framed before the next can arrive), and timeouts are one sweep for all sockets
 * rather than a timer per request.
 */

/** Bigger reads mean fewer callbacks; every socket of the thread reads into this one buffer. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024)
/** As undici's default keep-alive timeout: an idle socket is closed before a typical server (5 s) would close it under a request. */
const IDLE_MS = 4000

export interface FastSettings {
  /** Seconds without a byte from the server before a request is given up (connect, head, body alike). */
  timeout: number
}

/** One origin's request bytes, ready for `FastOrigin.send`. */
export interface WireRequest {
  origin: FastOrigin
  bytes: WireBytes
}

export class FastTransport {
  readonly #origins = new Map<string, FastOrigin>()
  readonly #connections = new Set<FastConnection>()
  readonly #timeoutMs: number
  #sweeper: NodeJS.Timeout | undefined

  constructor (settings: FastSettings) {
    this.#timeoutMs = Math.round(settings.timeout * 1000)
  }

  /** `url` is http:. */
  origin (url: URL): FastOrigin {
    let origin = this.#origins.get(url.origin)
    if (!origin) {
      // URL keeps IPv6 literals in brackets; the socket wants the bare address.
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
      origin = new FastOrigin(this, host, Number(url.port || 80))
      this.#origins.set(url.origin, origin)
    }
    return origin
  }

  opened (connection: FastConnection): void {
    this.#connections.add(connection)
    this.#sweeper ??= setInterval(() => this.#sweep(), Math.max(10, Math.min(1000, this.#timeoutMs / 4))).unref()
  }

  closed (connection: FastConnection): void {
    this.#connections.delete(connection)
  }

  #sweep (): void {
    const now = performance.now()
    for (const connection of this.#connections) connection.sweep(now, this.#timeoutMs)
  }

  async close (): Promise<void> {
    clearInterval(this.#sweeper)
    this.#sweeper = undefined
    for (const connection of this.#connections) connection.destroy()
    this.#connections.clear()
  }
}

export class FastOrigin {
  readonly transport: FastTransport
  readonly host: string
  readonly port: number
  /** Connections with nothing in flight, most recently used last (its socket is the warmest). */
  readonly idle: FastConnection[] = []

  constructor (transport: FastTransport, host: string, port: number) {
    this.transport = transport
    this.host = host
    this.port = port
  }

  send (bytes: WireBytes, cookie: string | undefined, handler: ExchangeHandler): void {
    let connection = this.idle.pop()
    while (connection?.dead) connection = this.idle.pop()
    ;(connection ?? new FastConnection(this)).send(bytes, cookie, handler)
  }
}

function failure (code: string, message: string): Error {
  return Object.assign(new Error(message), { code })
}

class FastConnection implements FramerSink {
  readonly #origin: FastOrigin
  readonly #socket: Socket
  readonly #framer = new ResponseFramer(this)
  /** Made once per connection, handed to every request's handler. */
  readonly #abort = (err?: Error): void => this.#fail(err ?? failure('UND_ERR_ABORTED', 'request aborted'))
  #handler: ExchangeHandler | undefined
  #bytes: WireBytes | undefined
  #ended = false
  #keepAlive = false
  #error: Error | undefined
  #lastHeard = 0
  dead = false

  constructor (origin: FastOrigin) {
    this.#origin = origin
    this.#socket = connect({
      host: origin.host,
      port: origin.port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => this.#onRead(n, buf as Buffer) }
    })
    this.#socket.on('error', (err) => { this.#error ??= err })
    this.#socket.on('close', () => this.#onClose())
    origin.transport.opened(this)
  }

  send (bytes: WireBytes, cookie: string | undefined, handler: ExchangeHandler): void {
    this.#handler = handler
    this.#bytes = bytes
    this.#ended = false
    this.#lastHeard = performance.now()
    this.#framer.expect(bytes.noBody)
    handler.onConnect(this.#abort)
    const socket = this.#socket
    if (cookie) {
      socket.cork()
      socket.write(bytes.lead)
      socket.write(`cookie: ${cookie}\r\n`, 'latin1')
      socket.write(bytes.tail)
      socket.uncork()
    } else {
      socket.write(bytes.whole)
    }
  }

  sweep (now: number, timeoutMs: number): void {
    const silent = now - this.#lastHeard
    if (this.#handler) {
      if (silent > timeoutMs) this.#fail(failure('ETIMEDOUT', `no answer for ${timeoutMs} ms`))
    } else if (silent > IDLE_MS) {
      this.destroy()
    }
  }

  destroy (): void {
    this.dead = true
    this.#handler = undefined
    this.#socket.destroy()
    this.#origin.transport.closed(this)
  }

  onHead (status: number, picked: Buffer[]): void {
    this.#handler?.onHeaders(status, picked)
  }

  onBody (bytes: number): void {
    this.#handler?.onBodyBytes(bytes)
  }

  onEnd (keepAlive: boolean): void {
    this.#ended = true
    this.#keepAlive = keepAlive
  }

  /** Returns true: reading goes on (onread pauses the socket on false). */
  #onRead (n: number, buf: Buffer): boolean {
    if (!this.#handler) {
      // Bytes nobody asked for: the connection can't be trusted with the next request.
      this.destroy()
      return true
    }
    this.#lastHeard = performance.now()
    let used: number
    try {
      used = this.#framer.feed(buf, 0, n)
    } catch (err) {
      this.#fail(err as Error)
      return true
    }
    if (this.#ended) this.#complete(used === n && this.#keepAlive && !this.#bytes!.closeAfter)
    return true
  }

  #complete (reusable: boolean): void {
    const handler = this.#handler!
    this.#handler = undefined
    this.#lastHeard = performance.now()
    if (reusable) this.#origin.idle.push(this)
    else this.destroy()
    handler.onComplete()
  }

  #onClose (): void {
    this.dead = true
    this.#origin.transport.closed(this)
    const handler = this.#handler
    if (!handler) return
    if (this.#framer.eof()) return this.#complete(false)
    this.#handler = undefined
    handler.onError(this.#error ?? failure('UND_ERR_SOCKET', 'other side closed'))
  }

  #fail (err: Error): void {
    const handler = this.#handler
    this.destroy()
    handler?.onError(err)
  }
}
