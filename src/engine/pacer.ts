/**
 * The fixed-rate schedule (open model): request k is due at t0 + offset + k / rate, whether or
 * not earlier ones have answered. A free user takes each due request; when none is free
 * (`maxInFlight` are waiting), the request is counted late and goes out as soon as one is, its
 * latency still measured from when it was due. Nothing is dropped and nothing queues in memory:
 * k alone says what is owed.
 */
export interface PacedUser {
  startAt (intendedAt: number): void
}

export interface PacerHost {
  /** Claims one request from a run-wide budget; false when it is spent. */
  takeTicket (): boolean
  countLate (): void
  /** The schedule is over (budget spent or stopped): free users may retire. */
  ended (): void
}

export class Pacer<U extends PacedUser> {
  readonly #periodMs: number
  readonly #offsetMs: number
  readonly #host: PacerHost
  readonly #free: U[] = []
  #t0 = 0
  /** Requests started so far (the next one's k). */
  #sent = 0
  /** Requests below this k found no free user when due. */
  #lateUntil = 0
  #timer: NodeJS.Timeout | undefined
  #over = false
  /** Due requests wait for a free user. */
  #starved = false

  /** `rate` per second for this engine; `offsetMs` shifts its schedule (each worker thread's own slice). */
  constructor (rate: number, offsetMs: number, host: PacerHost) {
    this.#periodMs = 1000 / rate
    this.#offsetMs = offsetMs
    this.#host = host
  }

  get over (): boolean {
    return this.#over
  }

  start (): void {
    this.#t0 = performance.now() + this.#offsetMs
    this.#pump()
  }

  /** A user is free again. */
  release (user: U): void {
    this.#free.push(user)
    if (!this.#starved || this.#over) return
    // What came due while every user was busy goes out now, counted late.
    this.#starved = false
    this.#lateUntil = this.#due()
    this.#pump()
  }

  /** Users that are free, handed back once the schedule is over. */
  takeFree (): U[] {
    return this.#free.splice(0)
  }

  stop (): void {
    if (this.#over) return
    this.#over = true
    clearTimeout(this.#timer)
    this.#host.ended()
  }

  #due (): number {
    return Math.floor((performance.now() - this.#t0) / this.#periodMs) + 1
  }

  readonly #tick = (): void => {
    this.#timer = undefined
    this.#pump()
  }

  #pump (): void {
    if (this.#over) return
    const due = this.#due()
    while (this.#sent < due) {
      const user = this.#free.pop()
      if (!user) {
        this.#starved = true
        return
      }
      if (!this.#host.takeTicket()) {
        this.#free.push(user)
        return this.stop()
      }
      if (this.#sent < this.#lateUntil) this.#host.countLate()
      const intended = this.#t0 + this.#sent * this.#periodMs
      this.#sent++
      user.startAt(intended)
      if (this.#over) return
    }
    // One timer at a time, for the next due request: not one per request.
    this.#timer ??= setTimeout(this.#tick, Math.max(0, this.#t0 + this.#sent * this.#periodMs - performance.now()))
  }
}
