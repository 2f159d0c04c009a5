import { LongTimeout } from '../long-timeout.js'

/**
 * Ticks every `seconds` on a fixed schedule (t0 + k·interval), so that a slow tick does not
 * push every later one back.
 */
export class IntervalClock {
  readonly #ms: number
  readonly #tick: () => Promise<void>
  #t0 = 0
  #k = 0
  #timer: LongTimeout | undefined
  #running: Promise<void> = Promise.resolve()
  #stopped = false

  constructor (seconds: number, tick: () => Promise<void>) {
    this.#ms = seconds * 1000
    this.#tick = tick
  }

  start (): void {
    this.#t0 = performance.now()
    this.#schedule()
  }

  /** Stops ticking and waits for a tick under way. */
  async stop (): Promise<void> {
    this.#stopped = true
    this.#timer?.clear()
    await this.#running
  }

  #schedule (): void {
    if (this.#stopped) return
    // After a tick that overran, skip the slots it missed rather than firing them back to back.
    this.#k = Math.max(this.#k + 1, Math.ceil((performance.now() - this.#t0) / this.#ms))
    const due = this.#t0 + this.#k * this.#ms
    this.#timer = new LongTimeout(() => {
      this.#running = this.#tick().finally(() => this.#schedule())
    }, due - performance.now())
  }
}
