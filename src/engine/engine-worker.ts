/** A worker thread's entry: one LoadEngine on its share of the users (see worker-engine.ts). */
import { parentPort, workerData } from 'node:worker_threads'
import { RunStats } from '../counters/run-stats.js'
import { LoadEngine } from './load-engine.js'
import { sharedTickets } from './shared-tickets.js'
import type { FromWorker, ToWorker, WorkerSetup } from './worker-messages.js'

const setup = workerData as WorkerSetup
const port = parentPort!
// Buffers arrive as plain Uint8Arrays: the request bodies are made Buffers again.
const entries = setup.scenario.urls.entries.map((entry) => entry.body ? { ...entry, body: Buffer.from(entry.body.buffer, entry.body.byteOffset, entry.body.byteLength) } : entry)
const scenario = { ...setup.scenario, urls: { ...setup.scenario.urls, entries } }
const stats = new RunStats()

const engine = new LoadEngine(scenario, stats, { users: setup.users, tickets: setup.tickets ? sharedTickets(setup.tickets) : undefined, pace: setup.pace })
const post = (message: FromWorker): void => port.postMessage(message)
port.on('message', (message: ToWorker) => {
  if (message.type === 'flush') post({ type: 'delta', delta: stats.drain() })
  else if (message.type === 'stop') engine.stop()
  else engine.halt()
})
await engine.run()
await engine.close()
post({ type: 'done', delta: stats.drain() })
port.close()
