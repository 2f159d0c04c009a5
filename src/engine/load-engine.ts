import type { Scenario } from '../scenario/types.js'
import type { RunStats } from '../counters/run-stats.js'
import { UserCookies } from './cookie-jar.js'
import { PoolSet } from './transport-undici.js'
import { FastTransport } from './transport-fast.js'
import { chosenTransport } from './transport-choice.js'
import { prepareRequest, type PreparedRequest, type RequestContext } from './prepared-request.js'
import { randomOrder, sequentialOrder } from './url-order.js'
import { VirtualUser, type Transaction, type UserHost } from './virtual-user.js'
import { defaultHeaders } from './default-headers.js'
import type { StepGate } from './lockstep.js'

const WATCHDOG_MS = 1000

export interface LoadEngineOptions {
  onTransaction?: (transaction: Transaction) => void
  /** Side by side in lockstep with other engines (lockstep.ts). */
  gate?: StepGate
}

/**
 * The closed-model load of siege's -c: `concurrency` users, each with one request in flight.
 * Stops by itself on a request, pass or repetition budget; a duration or a signal stops it from
 * outside, through `stop` (let in-flight requests finish) or `halt` (abort them uncounted).
 */
export class LoadEngine implements UserHost {
  readonly stats: RunStats
  readonly plan: readonly PreparedRequest[]
  readonly context: RequestContext
  readonly follow: boolean
  readonly delay: number
  readonly onTransaction?: (transaction: Transaction) => void
  readonly gate?: StepGate
  stopping = false
  halted = false

  readonly #pools: PoolSet
  readonly #fast: FastTransport | undefined
  readonly #users: VirtualUser[] = []
  #tickets: number
  #running = 0
  #watchdog: NodeJS.Timeout | undefined
  /** Watchdog looks (a second apart) without a callback before a request is given up on. */
  readonly #silentLooks: number
  #finished!: () => void
  readonly #done: Promise<void>

  constructor (scenario: Scenario, stats: RunStats, options: LoadEngineOptions = {}) {
    this.stats = stats
    this.follow = scenario.follow
    this.delay = scenario.delay
    this.onTransaction = options.onTransaction
    this.gate = options.gate
    this.#pools = new PoolSet({ connections: scenario.concurrency, timeout: scenario.timeout, insecure: scenario.target.insecure })
    this.#fast = chosenTransport(scenario) === 'fast' ? new FastTransport({ timeout: scenario.timeout }) : undefined
    this.context = {
      pools: this.#pools,
      fast: this.#fast,
      endpoints: stats.endpoints,
      headers: defaultHeaders(scenario.headers),
      methodOverride: scenario.methodOverride
    }
    this.plan = scenario.urls.entries.map((entry) => prepareRequest({
      method: entry.method,
      url: new URL(entry.url),
      body: entry.body,
      contentType: entry.contentType
    }, this.context))
    const { stop, concurrency } = scenario
    this.#tickets = stop.kind === 'requests' ? stop.count : Infinity
    const perUser = stop.kind === 'passes' ? stop.count * this.plan.length : stop.kind === 'repetitions' ? stop.count : Infinity
    for (let i = 0; i < concurrency; i++) {
      const order = scenario.order === 'random' ? randomOrder(this.plan.length) : sequentialOrder(this.plan.length, i, concurrency)
      this.#users.push(new VirtualUser(i, this, order, perUser, scenario.cookies ? new UserCookies() : undefined))
    }
    // Far beyond what undici's own timeouts allow (connect, then headers, then each body chunk):
    // only a request the client lost is given up on.
    this.#silentLooks = Math.ceil(3 * scenario.timeout) + 2
    this.#done = new Promise((resolve) => { this.#finished = resolve })
  }

  /** Starts every user; resolves once all of them have stopped. */
  run (): Promise<void> {
    this.#running = this.#users.length
    this.#watchdog = setInterval(() => { for (const user of this.#users) user.watch(this.#silentLooks) }, WATCHDOG_MS).unref()
    for (const user of this.#users) user.start()
    return this.#done
  }

  replaceUser (user: VirtualUser, successor: VirtualUser): void {
    this.#users[this.#users.indexOf(user)] = successor
    successor.start()
  }

  takeTicket (): boolean {
    if (this.#tickets <= 0) return false
    this.#tickets--
    return true
  }

  userDone (): void {
    if (--this.#running > 0) return
    clearInterval(this.#watchdog)
    this.#finished()
  }

  /** No new requests; in-flight ones finish and count. */
  stop (): void {
    this.stopping = true
    this.gate?.leave()
  }

  /** Aborts what is in flight without counting it, as siege does at its deadline. */
  halt (): void {
    if (this.halted) return
    this.stopping = true
    this.halted = true
    this.gate?.leave()
    this.stats.inFlightAtEnd = this.#users.filter((user) => user.inFlight).length
    for (const user of this.#users) user.halt()
  }

  async close (): Promise<void> {
    await Promise.all([this.#pools.close(), this.#fast?.close()])
  }
}
