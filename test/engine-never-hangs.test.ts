import t from 'tap'
import { createServer, type Socket } from 'node:net'
import { startRun } from '../src/run/run-scenario.js'
import { testScenario } from './helpers/scenario.js'

// A request the HTTP client refuses (a header it can't send) errors once; the same handler
// dispatched again is never called back. Checks up front keep such headers out of real runs;
// these tests hand the engine one anyway, to prove that the run still ends at its stop condition.
const REFUSED_HEADER: Array<[string, string]> = [['X-Currency', '€']]

async function silentServer (): Promise<{ url: string, close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function out (): string {
  return `${t.testdirName}-${Math.random().toString(36).slice(2)}`
}

t.test('a dispatch that never calls back: a duration run ends at its deadline', async (t) => {
  const server = await silentServer()
  t.teardown(server.close)
  const { summary } = await startRun({ ...testScenario([`${server.url}/x`], { concurrency: 2, headers: REFUSED_HEADER, stop: { kind: 'duration', seconds: 1 } }), out: out() }).done
  t.ok(summary.elapsed_s >= 1, `ended after ${summary.elapsed_s} s`)
  t.equal(summary.transactions, 0)
})

t.test('a dispatch that never calls back: a request-count run ends, the lost request counted as a timeout', async (t) => {
  const server = await silentServer()
  t.teardown(server.close)
  const { summary } = await startRun({ ...testScenario([`${server.url}/x`], { headers: REFUSED_HEADER, timeout: 0.1, stop: { kind: 'requests', count: 3 } }), out: out() }).done
  t.equal(summary.transactions, 0)
  t.equal(summary.failed_transactions, 3, 'every request ended as a failure')
  t.ok(summary.errors.timeout >= 1, `timeouts ${summary.errors.timeout}`)
})

t.test('an interrupt ends a run whose requests are never answered', async (t) => {
  const server = await silentServer()
  t.teardown(server.close)
  const handle = startRun({ ...testScenario([`${server.url}/x`], { concurrency: 3, headers: REFUSED_HEADER, stop: { kind: 'forever' } }), out: out() }, { graceSeconds: 0.2 })
  handle.interrupt()
  const { summary, interrupted } = await handle.done
  t.ok(interrupted)
  t.equal(summary.transactions, 0)
})

t.test('a long think time (beyond what one Node timer holds) is cut short by the deadline, without a warning', async (t) => {
  const server = await silentServer()
  t.teardown(server.close)
  const warnings: string[] = []
  const onWarning = (w: Error): void => { warnings.push(w.name) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })
  const { summary } = await startRun({ ...testScenario(['http://127.0.0.1:1/x'], { delay: 300 * 24 * 3600, timeout: 1, stop: { kind: 'duration', seconds: 1 } }), out: out() }).done
  t.equal(summary.failed_transactions, 1, 'one request, then thinking until the deadline')
  t.same(warnings, [])
})
