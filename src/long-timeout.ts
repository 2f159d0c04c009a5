/**
 * Node's timers hold at most 2^31-1 ms (24.8 days) and fire after 1 ms beyond that, with a
 * warning. Soaks last longer, so every timer armed from user input goes through here: a longer
 * wait is a chain of shorter ones.
 */
const LONGEST_TIMER_MS = 2 ** 31 - 1

export class LongTimeout {
  #timer: NodeJS.Timeout | undefined
  #unref = false

  constructor (fire: () => void, ms: number) {
    this.#arm(fire, Math.max(0, ms))
  }

  #arm (fire: () => void, left: number): void {
    this.#timer = left > LONGEST_TIMER_MS
      ? setTimeout(() => this.#arm(fire, left - LONGEST_TIMER_MS), LONGEST_TIMER_MS)
      : setTimeout(fire, left)
    if (this.#unref) this.#timer.unref()
  }

  /** Lets the process exit while this waits, like Timeout.unref(). */
  unref (): this {
    this.#unref = true
    this.#timer?.unref()
    return this
  }

  clear (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
