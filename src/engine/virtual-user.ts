import type { Dispatcher } from 'undici'
import type { ExchangeHandler } from './exchange.js'
import { errorKind, type ErrorKind } from '../counters/error-kind.js'
import type { RunStats } from '../counters/run-stats.js'
import type { UserCookies } from './cookie-jar.js'
import { followRedirect, MAX_REDIRECTS } from './redirect.js'
import { prepareRequest, type PreparedRequest, type RequestContext } from './prepared-request.js'
import type { UrlOrder } from './url-order.js'
import { LongTimeout } from '../long-timeout.js'
import type { StepGate } from './lockstep.js'

/** One finished request, handed to the -v printer; only built when someone listens. */
export interface Transaction {
  user: number
  request: PreparedRequest
  status: number
  bytes: number
  latencyUs: number
  error?: ErrorKind
}

/** What users share: the list, the counters, and the engine's stop state. */
export interface UserHost {
  readonly stats: RunStats
  readonly plan: readonly PreparedRequest[]
  readonly context: RequestContext
  readonly follow: boolean
  /** siege -d, seconds. */
  readonly delay: number
  /** No new requests; those in flight still count. */
  readonly stopping: boolean
  /** In-flight requests were aborted and must not count. */
  readonly halted: boolean
  /** Claims one top-level request from a run-wide budget; false when it is spent. */
  takeTicket (): boolean
  userDone (): void
  /** Puts `successor` in the place of a user whose request the client never finished. */
  replaceUser (user: VirtualUser, successor: VirtualUser): void
  /** Side by side in lockstep: decides each step's entry instead of the user's order and takeTicket. */
  readonly gate?: StepGate
  onTransaction?: (transaction: Transaction) => void
  /** Fixed-rate mode: users send when the schedule says (`startAt`), not when they are free. */
  readonly paced: boolean
  /** Paced: the user is free for the next scheduled request. */
  release (user: VirtualUser): void
}

const LOCATION = 'location'
const SET_COOKIE = 'set-cookie'

/**
 * A siege user: sends one request, waits for the whole response, thinks, sends the next.
 * The user is itself the handler of both transports (undici's legacy callback shape, which
 * undici 7 calls natively; the newer controller shape would add a wrapper and parsed headers
 * per request), so a request costs no allocation of ours beyond what the transport makes.
 */
export class VirtualUser implements Dispatcher.DispatchHandler, ExchangeHandler {
  readonly #id: number
  readonly #host: UserHost
  readonly #order: UrlOrder
  readonly #cookies: UserCookies | undefined
  #remaining: number
  #current!: PreparedRequest
  #hops = 0
  #startedAt = 0
  /** Paced: when the schedule wanted this request to start (0: not paced, or a redirect hop). */
  #intendedAt = 0
  #status = 0
  #bytes = 0
  #location: string | undefined
  #abort: ((reason?: Error) => void) | undefined
  #timer: LongTimeout | undefined
  #done = false
  #inFlight = false
  /** A callback came since the last watchdog look. */
  #heard = false
  /** Watchdog looks in a row without a callback while in flight. */
  #silentLooks = 0
  /** Given up on: whatever the client still calls back with is ignored. */
  #abandoned = false

  constructor (id: number, host: UserHost, order: UrlOrder, budget: number, cookies?: UserCookies) {
    this.#id = id
    this.#host = host
    this.#order = order
    this.#remaining = budget
    this.#cookies = cookies
  }

  start (): void {
    if (this.#host.paced) this.#host.release(this)
    else this.#next()
  }

  /** Paced: sends the next line now, for a start the schedule put at `intendedAt` (performance.now() time). */
  startAt (intendedAt: number): void {
    this.#hops = 0
    this.#intendedAt = intendedAt
    this.#send(this.#host.plan[this.#order.next()])
  }

  /** Paced: the schedule is over and this user is free: it is done. */
  retire (): void {
    this.#finish()
  }

  get inFlight (): boolean {
    return this.#inFlight
  }

  /**
   * Ends a think-time wait or an in-flight request now (the engine has halted). The user is done
   * at once: a client that never calls back must not hold the run past its deadline.
   */
  halt (): void {
    this.#timer?.clear()
    this.#timer = undefined
    if (this.#inFlight) this.#abort?.()
    this.#finish()
  }

  /**
   * Called by the engine's watchdog every second or so. A request that has heard nothing from
   * the client for `looks` looks in a row (far beyond its own timeouts) is counted as a timeout,
   * and a fresh user carries on: this one is the client's handler and may still be called.
   */
  watch (looks: number): void {
    if (!this.#inFlight || this.#abandoned) return
    if (this.#heard) {
      this.#heard = false
      this.#silentLooks = 0
      return
    }
    if (++this.#silentLooks < looks) return
    this.#abandoned = true
    this.#abort?.()
    this.#record(errorKind({ code: 'ETIMEDOUT' }))
    this.#host.replaceUser(this, new VirtualUser(this.#id, this.#host, this.#order, this.#remaining, this.#cookies))
  }

  #next (): void {
    const host = this.#host
    if (host.stopping || this.#remaining <= 0) return this.#finish()
    if (host.gate) return host.gate.arrive(this.#id, this.#stepDecided)
    if (!host.takeTicket()) return this.#finish()
    this.#begin(this.#order.next())
  }

  /** The lockstep's answer: the entry to send, or undefined when the shared budget is spent. */
  readonly #stepDecided = (entry: number | undefined): void => {
    if (entry === undefined || this.#done || this.#host.stopping) return this.#finish()
    this.#begin(entry)
  }

  #begin (entry: number): void {
    this.#remaining--
    this.#hops = 0
    this.#send(this.#host.plan[entry])
  }

  #send (request: PreparedRequest): void {
    this.#current = request
    this.#status = 0
    this.#bytes = 0
    this.#location = undefined
    this.#abort = undefined
    const cookie = this.#cookies?.header(request.url)
    this.#startedAt = performance.now()
    this.#inFlight = true
    this.#heard = true
    try {
      if (request.wire) {
        request.wire.origin.send(request.wire.bytes, cookie, this)
      } else {
        const options = cookie ? { ...request.options, headers: [...request.options.headers, 'cookie', cookie] } : request.options
        request.pool!.dispatch(options, this)
      }
    } catch (err) {
      this.onError(err as Error)
    }
  }

  onConnect (abort: (err?: Error) => void): void {
    this.#abort = abort
    this.#heard = true
  }

  onHeaders (statusCode: number, rawHeaders: Buffer[]): boolean {
    this.#heard = true
    this.#status = statusCode
    const wantLocation = this.#host.follow && statusCode >= 301 && statusCode <= 308
    if (wantLocation || this.#cookies) this.#readHeaders(rawHeaders, wantLocation)
    return true
  }

  onData (chunk: Buffer): boolean {
    this.onBodyBytes(chunk.length)
    return true
  }

  onBodyBytes (bytes: number): void {
    this.#heard = true
    this.#bytes += bytes
  }

  onComplete (): void {
    if (!this.#settle()) return
    const host = this.#host
    if (host.halted) return this.#finish()
    const now = performance.now()
    const latencyUs = Math.round((now - this.#startedAt) * 1000) || 1
    const request = this.#current
    if (this.#intendedAt > 0) {
      // Coordinated omission corrected: the wait for a start counts, as the schedule's user would feel it.
      host.stats.recordRaw(latencyUs)
      host.stats.recordResponse(request.endpoint, this.#status, this.#bytes, Math.round((now - this.#intendedAt) * 1000) || 1)
      this.#intendedAt = 0
    } else {
      host.stats.recordResponse(request.endpoint, this.#status, this.#bytes, latencyUs)
    }
    host.onTransaction?.({ user: this.#id, request, status: this.#status, bytes: this.#bytes, latencyUs })
    const hop = this.#location !== undefined && this.#hops < MAX_REDIRECTS && !host.stopping
      ? followRedirect(request, this.#status, this.#location)
      : undefined
    if (hop) {
      this.#hops++
      return this.#send(prepareRequest(hop, host.context))
    }
    this.#afterRequest()
  }

  onError (err: Error): void {
    if (!this.#settle()) return
    if (this.#host.halted) return this.#finish()
    this.#record(errorKind(err))
  }

  /** The request is over; false when nobody waits for it any more (halted, abandoned, or a second callback). */
  #settle (): boolean {
    if (!this.#inFlight || this.#abandoned) return false
    this.#inFlight = false
    this.#abort = undefined
    return true
  }

  #record (kind: ErrorKind): void {
    const host = this.#host
    host.stats.recordError(this.#current.endpoint, kind)
    host.onTransaction?.({ user: this.#id, request: this.#current, status: 0, bytes: 0, latencyUs: 0, error: kind })
    // Errors can arrive synchronously from dispatch(): going on in the same stack could recurse without end.
    if (!this.#abandoned) setImmediate(() => this.#afterRequest())
  }

  #afterRequest (): void {
    this.#intendedAt = 0
    if (this.#host.paced) return this.#host.release(this)
    const delay = this.#host.delay
    if (delay > 0 && !this.#host.stopping) {
      this.#timer = new LongTimeout(() => {
        this.#timer = undefined
        this.#next()
      }, Math.random() * delay * 1000)
      return
    }
    this.#next()
  }

  #readHeaders (raw: Buffer[], wantLocation: boolean): void {
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]
      if (wantLocation && name.length === LOCATION.length && name.toString('latin1').toLowerCase() === LOCATION) {
        this.#location = raw[i + 1].toString('latin1')
      } else if (this.#cookies && name.length === SET_COOKIE.length && name.toString('latin1').toLowerCase() === SET_COOKIE) {
        this.#cookies.store(raw[i + 1].toString('latin1'), this.#current.url)
      }
    }
  }

  #finish (): void {
    if (this.#done) return
    this.#done = true
    this.#host.userDone()
  }
}
