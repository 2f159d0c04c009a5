/**
 * `--find-source` during a run: asks the target's probe (its GC endpoint, with `?source=start`
 * and `?source=sites`, authenticated as the GC samples are) to start recording allocation sites
 * at the end of the warm-up, for a first snapshot halfway through the rest and for the last at
 * the end, before the target stops. The probe's answers are slow (each snapshot runs a full GC):
 * they never hold up a row of samples, and a failure is one warning, never the run's end.
 */
import { GcFetcher } from '../sampler/gc-fetch.js'
import type { RunPosition, SourceSchedule } from './schedule.js'
import type { ProbeSite } from './types.js'
import type { SourceRuntime } from './source-summary.js'

/** A full GC and a walk of a big heap take seconds: well beyond a GC sample's budget. */
const TIMEOUT_MS = 120_000
const MAX_BYTES = 64 * 1024 * 1024

export interface SourceSnapshots {
  /** As the probe says: node, ruby or python. */
  runtime?: SourceRuntime
  recording: RunPosition
  first: { at: RunPosition; sites: ProbeSite[] }
  last: { at: RunPosition; sites: ProbeSite[] }
}

export class SourceRecorder {
  #started: RunPosition | undefined
  #first: Promise<SourceSnapshots['first']> | undefined
  #asking: Promise<unknown> = Promise.resolve()
  #failure: string | undefined
  #runtime: SourceRuntime | undefined

  constructor (
    readonly url: string,
    readonly schedule: SourceSchedule,
    readonly token: string | undefined,
    /** Where the run is now: read when a snapshot's answer arrives (its full GC ran just before). */
    readonly now: () => RunPosition
  ) {}

  /** After each row: starts recording or takes the first snapshot when due (in the background). */
  afterRow (at: RunPosition): void {
    if (this.#failure !== undefined) return
    if (this.#started === undefined) {
      if (!this.schedule.recordingStarts(at)) return
      this.#started = at
      this.#asking = this.#ask('start')
    } else if (this.#first === undefined && this.schedule.firstSnapshotDue(this.#started, at)) {
      this.#first = this.#asking.then(() => this.#sites())
      this.#first.catch(() => {})
    }
  }

  /** The two snapshots, or why there are none (in words). Call before the target stops. */
  async finish (): Promise<SourceSnapshots | string> {
    try {
      await this.#asking
      if (this.#started === undefined || this.#first === undefined) return 'the run ended before the first snapshot (halfway through the requests after the warm-up): run longer'
      const first = await this.#first
      const last = await this.#sites()
      return { ...(this.#runtime ? { runtime: this.#runtime } : {}), recording: this.#started, first, last }
    } catch (err) {
      return this.#failure ?? (err as Error).message
    }
  }

  async #sites (): Promise<{ at: RunPosition; sites: ProbeSite[] }> {
    const answer = await this.#ask('sites') as { sites?: unknown; runtime?: unknown }
    if (!Array.isArray(answer.sites)) throw new Error(`the probe at ${this.url} answered no sites: is it memsiege's probe?`)
    if (answer.runtime === 'node' || answer.runtime === 'ruby' || answer.runtime === 'python') this.#runtime = answer.runtime
    return { at: this.now(), sites: answer.sites as ProbeSite[] }
  }

  async #ask (action: 'start' | 'sites'): Promise<unknown> {
    const url = new URL(this.url)
    url.searchParams.set('source', action)
    const fetcher = new GcFetcher(url.href, { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, token: this.token })
    try {
      return JSON.parse((await fetcher.fetch()).body)
    } catch (err) {
      this.#failure ??= `the probe at ${url.href}: ${(err as Error).message}`
      throw err
    } finally {
      await fetcher.close()
    }
  }
}
