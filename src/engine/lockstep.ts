/**
 * Lockstep for targets loaded side by side: user i of every target's engine sends its k-th
 * request only once user i of every other target has finished its (k−1)-th (with its redirect
 * hops and think time). Which list entry step k sends, and whether a request budget allows it,
 * is decided once per step for all targets, so every target sees the same requests in the same
 * order per user. A slow target therefore holds the others back to its pace. A target that is
 * dropped (its process died, or it never started) stops holding them; an engine that stops for
 * any other reason (its duration, an interrupt) ends the steps of all, so that no target goes on
 * alone: each run's deadline starts when its own target is ready, and a run freed from the gate
 * would take requests the others never get.
 */
import { randomOrder, sequentialOrder, type UrlOrder } from './url-order.js'

/** What a VirtualUser asks before each top-level request when its engine runs in lockstep. */
export interface StepGate {
  /**
   * Calls `go` with the list entry to send once every target still in the run has user `user`
   * here, or with undefined when the run-wide request budget is spent. May call it at once.
   */
  arrive (user: number, go: (entry: number | undefined) => void): void
  /**
   * The engine stops sending (it was stopped or halted): no target gets another step, unless
   * this one was dropped first, which the others then no longer wait for.
   */
  leave (): void
}

export interface LockstepSettings {
  targets: number
  users: number
  /** Entries in the URL list. */
  entries: number
  order: 'sequential' | 'random'
  /** Top-level requests per target in all (a `requests` stop), else Infinity. */
  requests: number
}

interface UserStep {
  /** Per target: the continuation of the user waiting here, if it has arrived. */
  waiting: Array<((entry: number | undefined) => void) | undefined>
  arrived: number
}

export class Lockstep {
  readonly #present: boolean[]
  readonly #dropped: boolean[]
  readonly #orders: UrlOrder[]
  readonly #steps: UserStep[]
  #tickets: number

  constructor (settings: LockstepSettings) {
    const { targets, users, entries, order } = settings
    this.#present = new Array<boolean>(targets).fill(true)
    this.#dropped = new Array<boolean>(targets).fill(false)
    this.#orders = Array.from({ length: users }, (_, i) => order === 'random' ? randomOrder(entries) : sequentialOrder(entries, i, users))
    this.#steps = Array.from({ length: users }, () => ({ waiting: new Array(targets).fill(undefined), arrived: 0 }))
    this.#tickets = settings.requests
  }

  /** The gate target `index`'s engine uses. */
  gate (index: number): StepGate {
    return {
      arrive: (user, go) => this.#arrive(index, user, go),
      leave: () => this.#leave(index)
    }
  }

  /** Target `index` is gone (its process died, or it never started): the others go on without it. */
  drop (index: number): void {
    this.#dropped[index] = true
    this.#leave(index)
  }

  #arrive (target: number, user: number, go: (entry: number | undefined) => void): void {
    const step = this.#steps[user]
    if (step.waiting[target] === undefined) step.arrived++
    step.waiting[target] = go
    this.#release(user)
  }

  #leave (target: number): void {
    if (!this.#present[target]) return
    this.#present[target] = false
    // The run's end, not the target's: the steps end for all, those waiting told so now.
    if (!this.#dropped[target]) this.#tickets = 0
    for (let user = 0; user < this.#steps.length; user++) {
      const step = this.#steps[user]
      const go = step.waiting[target]
      if (go) {
        step.waiting[target] = undefined
        step.arrived--
        go(undefined)
      }
      this.#release(user)
    }
  }

  /** Lets user `user` take its next step on every target once all present targets have it waiting. */
  #release (user: number): void {
    const step = this.#steps[user]
    const present = this.#present.reduce((n, p) => n + (p ? 1 : 0), 0)
    if (step.arrived === 0 || step.arrived < present) return
    const ready = step.waiting
    step.waiting = new Array(ready.length).fill(undefined)
    step.arrived = 0
    let entry: number | undefined
    if (this.#tickets > 0) {
      this.#tickets--
      entry = this.#orders[user].next()
    }
    for (const go of ready) go?.(entry)
  }
}
