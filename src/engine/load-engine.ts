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
import type { Engine } from './engine.js'
import { Pacer } from './pacer.js'
import type { StepGate } from './lockstep.js'

const WATCHDOG_MS = 1000

export interface LoadEngineOptions {
  onTransaction?: (transaction: Transaction) => void
  /** This engine's share of the scenario's users (a worker thread's): ids first..first+count-1. Default: all. */
  users?: { first: number, count: number }
  /** The run-wide request budget, when threads share it. Default: the scenario's, held here. */
  tickets?: Tickets
  /** Fixed rate: this engine's share (req/s) and where its schedule starts. Default: the scenario's rate, from now. */
  pace?: { rate: number, offsetMs: number }
  /** Side by side in lockstep with other engines (lockstep.ts). */
  gate?: StepGate
}

/** `maxInFlight` when a fixed-rate scenario gives none. */
export const DEFAULT_MAX_IN_FLIGHT = 1000

/** Users of the scenario: its concurrency, or at a fixed rate the cap on requests in flight (one user each). */
export function usersOf (scenario: Pick<Scenario, 'concurrency' | 'rate' | 'maxInFlight'>): number {
  return scenario.rate === undefined ? scenario.concurrency : scenario.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT
}

/** Top-level requests left in a `requests: N` budget. */
export interface Tickets {
  /** Claims one; false when the budget is spent. */
  take (): boolean
}

function localTickets (count: number): Tickets {
  let left = count
  return {
    take: () => {
      if (left <= 0) return false
      left--
      return true
    }
  }
}

/**
 * The closed-model load of siege's -c: `concurrency` users, each with one request in flight.
 * Stops by itself on a request, pass or repetition budget; a duration or a signal stops it from
 * outside, through `stop` (let in-flight requests finish) or `halt` (abort them uncounted).
 * With a `rate`, the open model instead: a Pacer hands scheduled starts to `maxInFlight` users.
 */
export class LoadEngine implements UserHost, Engine {
  readonly stats: RunStats
  readonly plan: readonly PreparedRequest[]
  readonly context: RequestContext
  readonly follow: boolean
  readonly delay: number
  readonly onTransaction?: (transaction: Transaction) => void
  readonly gate?: StepGate
  stopping = false
  halted = false
  readonly paced: boolean

  readonly #pools: PoolSet
  readonly #fast: FastTransport | undefined
  readonly #users: VirtualUser[] = []
  readonly #tickets: Tickets | undefined
  readonly #pacer: Pacer<VirtualUser> | undefined
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
    const users = options.users ?? { first: 0, count: usersOf(scenario) }
    this.#pools = new PoolSet({ connections: users.count, timeout: scenario.timeout, insecure: scenario.target.insecure })
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
    this.#tickets = options.tickets ?? (stop.kind === 'requests' ? localTickets(stop.count) : undefined)
    const perUser = stop.kind === 'passes' ? stop.count * this.plan.length : stop.kind === 'repetitions' ? stop.count : Infinity
    const pace = options.pace ?? (scenario.rate === undefined ? undefined : { rate: scenario.rate, offsetMs: 0 })
    this.paced = pace !== undefined
    this.#pacer = pace && new Pacer(pace.rate, pace.offsetMs, {
      takeTicket: () => !this.stopping && this.takeTicket(),
      countLate: () => { this.stats.lateStarts++ },
      ended: () => { for (const user of this.#pacer!.takeFree()) user.retire() }
    })
    // Paced users take the list's lines in turn, whichever of them is free.
    const shared = pace && (scenario.order === 'random' ? randomOrder(this.plan.length) : sequentialOrder(this.plan.length, users.first, usersOf(scenario)))
    for (let i = users.first; i < users.first + users.count; i++) {
      const order = shared ?? (scenario.order === 'random' ? randomOrder(this.plan.length) : sequentialOrder(this.plan.length, i, concurrency))
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
    if (this.#pacer) {
      this.stats.pacedFromMs = Math.min(this.stats.pacedFromMs, Date.now())
      this.#pacer.start()
    }
    return this.#done
  }

  release (user: VirtualUser): void {
    if (this.#pacer!.over) user.retire()
    else this.#pacer!.release(user)
  }

  replaceUser (user: VirtualUser, successor: VirtualUser): void {
    this.#users[this.#users.indexOf(user)] = successor
    successor.start()
  }

  takeTicket (): boolean {
    return this.#tickets === undefined || this.#tickets.take()
  }

  userDone (): void {
    if (--this.#running > 0) return
    clearInterval(this.#watchdog)
    this.#finished()
  }

  /** No new requests; in-flight ones finish and count. */
  stop (): void {
    this.stopping = true
    this.#pacer?.stop()
    this.gate?.leave()
  }

  /** Aborts what is in flight without counting it, as siege does at its deadline. */
  halt (): void {
    if (this.halted) return
    this.stopping = true
    this.halted = true
    this.#pacer?.stop()
    this.gate?.leave()
    this.stats.inFlightAtEnd += this.#users.filter((user) => user.inFlight).length
    for (const user of this.#users) user.halt()
  }

  /** Figures are recorded straight into `stats`: nothing to bring in. */
  async flush (): Promise<void> {}

  async close (): Promise<void> {
    await Promise.all([this.#pools.close(), this.#fast?.close()])
  }
}
