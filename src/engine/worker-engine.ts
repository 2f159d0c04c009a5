import { Worker } from 'node:worker_threads'
import type { RunStats, StatsDelta } from '../counters/run-stats.js'
import type { Scenario } from '../scenario/types.js'
import type { Engine } from './engine.js'
import { usersOf } from './load-engine.js'
import type { FromWorker, ToWorker, WorkerSetup } from './worker-messages.js'

const WORKER_FILE = new URL('./engine-worker.js', import.meta.url)

/**
 * `workers: N`: the users spread over N worker threads, each running its own LoadEngine on its
 * share (user ids stay global, so siege's per-user offsets are unchanged). A `requests: N`
 * budget is one shared counter, so it stays exact; every figure comes back as a drained delta
 * (before each samples.csv row, and once at the end), so counts, status codes, errors and
 * histograms add up exactly. The sampler and the CSV stay in this thread.
 */
export class WorkerEngine implements Engine {
  readonly #stats: RunStats
  readonly #workers: Worker[] = []
  readonly #setups: WorkerSetup[] = []
  /** Replies awaited for a flush, per worker. */
  readonly #waiting = new Map<Worker, () => void>()
  readonly #finished = new Set<Worker>()

  constructor (scenario: Scenario, stats: RunStats) {
    this.#stats = stats
    const users = usersOf(scenario)
    const n = Math.min(scenario.workers ?? 1, users)
    const tickets = scenario.stop.kind === 'requests' ? new BigInt64Array(new SharedArrayBuffer(8)) : undefined
    if (tickets && scenario.stop.kind === 'requests') tickets[0] = BigInt(scenario.stop.count)
    for (let w = 0; w < n; w++) {
      const first = Math.floor(users * w / n)
      const last = Math.floor(users * (w + 1) / n)
      // At a fixed rate each worker keeps every n-th slot of the schedule: k = w, w + n, w + 2n…
      const pace = scenario.rate === undefined ? undefined : { rate: scenario.rate / n, offsetMs: w * 1000 / scenario.rate }
      this.#setups.push({ scenario, users: { first, count: last - first }, tickets, pace })
    }
  }

  run (): Promise<void> {
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
    return Promise.all(ends).then(() => {})
  }

  #absorb (delta: StatsDelta): void {
    this.#stats.absorb(delta)
  }

  #post (message: ToWorker): void {
    for (const worker of this.#workers) if (!this.#finished.has(worker)) worker.postMessage(message)
  }

  stop (): void {
    this.#post({ type: 'stop' })
  }

  halt (): void {
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
    await Promise.all(this.#workers.map((worker) => worker.terminate()))
  }
}
