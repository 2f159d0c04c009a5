import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { RunStats, StatsDelta } from '../counters/run-stats.js'
import type { Scenario } from '../scenario/types.js'
import type { Engine } from './engine.js'
import { LoadEngine, usersOf } from './load-engine.js'
import { sharedBudget, sharedTickets } from './shared-tickets.js'
import type { FromWorker, ToWorker, WorkerSetup } from './worker-messages.js'

const WORKER_FILE = new URL('./engine-worker.js', import.meta.url)

type Share = Omit<WorkerSetup, 'scenario' | 'tickets'>

/**
 * `workers: N`: the users spread over N engines, each on its share (user ids stay global, so
 * siege's per-user offsets are unchanged). The first share runs in this thread and the others in
 * N - 1 worker threads: a thread that only waited for the others would cost an isolate of its own
 * (the engine's modules loaded once more) and a core's time slices for nothing. A `requests: N`
 * budget is one shared counter, so it stays exact; the threads' figures come back as drained
 * deltas (before each samples.csv row, and once at the end), so counts, status codes, errors
 * and histograms add up exactly. The sampler and the CSV stay in this thread.
 */
export class WorkerEngine implements Engine {
  readonly #stats: RunStats
  /** The share of this thread: it records straight into the run's stats. */
  readonly #local: LoadEngine
  readonly #workers: Worker[] = []
  readonly #setups: WorkerSetup[] = []
  /** Replies awaited for a flush, per worker. */
  readonly #waiting = new Map<Worker, () => void>()
  readonly #finished = new Set<Worker>()

  constructor (scenario: Scenario, stats: RunStats, warn: (message: string) => void = () => {}) {
    this.#stats = stats
    const users = usersOf(scenario)
    const n = Math.min(scenario.workers ?? 1, users)
    // The threads are run as asked (the user may know better, and the counts are the same either
    // way), but threads time-slicing a core each run fewer requests per wake-up and switch more:
    // a run is slower than with one thread, which is worth a word.
    const cores = availableParallelism()
    if (n > cores) warn(`workers: ${n} threads, but this process may run on ${cores} core${cores === 1 ? '' : 's'} (its CPU affinity): threads sharing a core make a run slower, not faster`)
    const tickets = scenario.stop.kind === 'requests' ? sharedBudget(scenario.stop.count) : undefined
    const shares: Share[] = []
    for (let w = 0; w < n; w++) {
      const first = Math.floor(users * w / n)
      const last = Math.floor(users * (w + 1) / n)
      // At a fixed rate each engine keeps every n-th slot of the schedule: k = w, w + n, w + 2n…
      const pace = scenario.rate === undefined ? undefined : { rate: scenario.rate / n, offsetMs: w * 1000 / scenario.rate }
      shares.push({ users: { first, count: last - first }, pace })
    }
    const [own, ...others] = shares
    this.#local = new LoadEngine(scenario, stats, { ...own, tickets: tickets && sharedTickets(tickets) })
    for (const share of others) this.#setups.push({ scenario, tickets, ...share })
  }

  run (): Promise<void> {
    // The threads first: their start-up (an isolate, the engine's modules) overlaps this thread's load.
    const ends = this.#setups.map((setup) => new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER_FILE, { workerData: setup })
      this.#workers.push(worker)
      worker.on('message', (message: FromWorker) => {
        this.#absorb(message.delta)
        if (message.type === 'done') {
          this.#finished.add(worker)
          resolve()
        }
        const reply = this.#waiting.get(worker)
        this.#waiting.delete(worker)
        reply?.()
      })
      worker.on('error', reject)
      worker.on('exit', () => {
        this.#finished.add(worker)
        this.#waiting.get(worker)?.()
        resolve()
      })
    }))
    return Promise.all([this.#local.run(), ...ends]).then(() => {})
  }

  #absorb (delta: StatsDelta): void {
    this.#stats.absorb(delta)
  }

  #post (message: ToWorker): void {
    for (const worker of this.#workers) if (!this.#finished.has(worker)) worker.postMessage(message)
  }

  stop (): void {
    this.#local.stop()
    this.#post({ type: 'stop' })
  }

  halt (): void {
    this.#local.halt()
    this.#post({ type: 'halt' })
  }

  async flush (): Promise<void> {
    const live = this.#workers.filter((worker) => !this.#finished.has(worker))
    await Promise.all(live.map((worker) => new Promise<void>((resolve) => {
      this.#waiting.set(worker, resolve)
      worker.postMessage({ type: 'flush' } satisfies ToWorker)
    })))
  }

  async close (): Promise<void> {
    await Promise.all([this.#local.close(), ...this.#workers.map((worker) => worker.terminate())])
  }
}
