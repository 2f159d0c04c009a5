import type { StatsDelta } from '../counters/run-stats.js'
import type { Scenario } from '../scenario/types.js'

/** What a worker thread is given: the whole scenario, its share of the users, the shared budget. */
export interface WorkerSetup {
  scenario: Scenario
  users: { first: number, count: number }
  /** `requests: N` left, shared by all workers (Atomics). */
  tickets?: BigInt64Array
  /** Fixed rate: this worker's share of the schedule. */
  pace?: { rate: number, offsetMs: number }
}

export type ToWorker = { type: 'flush' } | { type: 'stop' } | { type: 'halt' }

/** A flush's answer, or the last figures once the worker's users have all stopped. */
export type FromWorker = { type: 'delta' | 'done', delta: StatsDelta }
