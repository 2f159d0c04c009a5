import type { RunStats } from '../counters/run-stats.js'
import type { Scenario } from '../scenario/types.js'
import { LoadEngine } from './load-engine.js'
import type { Transaction } from './virtual-user.js'
import { WorkerEngine } from './worker-engine.js'
import type { StepGate } from './lockstep.js'
import { ConfigError } from '../errors.js'

/** What a run drives: one engine in this thread, or one per worker thread behind the same face. */
export interface Engine {
  /** Resolves once every user has stopped. */
  run (): Promise<void>
  /** No new requests; in-flight ones finish and count. */
  stop (): void
  /** Aborts what is in flight without counting it. */
  halt (): void
  /** Brings every figure recorded so far into the run's stats (before a samples.csv row). */
  flush (): Promise<void>
  close (): Promise<void>
}

export interface EngineOptions {
  onTransaction?: (transaction: Transaction) => void
  /** Side by side in lockstep (lockstep.ts): the gate lives in this thread, with closed-model users. */
  gate?: StepGate
  /** Told once when asked for more threads than this process has cores. */
  warn?: (message: string) => void
}

export function createEngine (scenario: Scenario, stats: RunStats, options: EngineOptions = {}): Engine {
  if (options.gate && ((scenario.workers ?? 1) > 1 || scenario.rate !== undefined)) {
    throw new ConfigError('targets in lockstep run in one thread at closed-model pace: leave out workers and rate (or set lockstep: false)')
  }
  return (scenario.workers ?? 1) > 1 ? new WorkerEngine(scenario, stats, options.warn) : new LoadEngine(scenario, stats, options)
}
