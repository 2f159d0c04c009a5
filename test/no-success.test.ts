import t from 'tap'
import { readFileSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { trendVerdict } from '../src/analysis/series-verdict.js'
import { seriesReasonText } from '../src/analysis/verdict-words.js'
import { runCli } from './helpers/cli.js'

async function listen (onSocket: (socket: Socket) => void): Promise<{ port: number, close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}); onSocket(socket) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

t.test('nothing listening: exit 3 and a plain line saying why', async (t) => {
  const closed = await listen(() => {})
  await closed.close()
  const out = t.testdir()
  const r = await runCli(['-c', '2', '-r', '3', '--out', join(out, 'r'), `http://127.0.0.1:${closed.port}/`])
  t.equal(r.status, 3, r.stderr)
  t.match(r.stderr, /^memsiege: no request succeeded: 6 refused; the figures and the verdict say nothing about the target$/m)
  t.match(r.stdout, /Failed transactions:\s+6/)
})

t.test('a target that accepts and never answers: requests in flight at the end are counted as such, exit 3', async (t) => {
  const silent = await listen(() => {})
  t.teardown(silent.close)
  const out = join(t.testdir(), 'r')
  const r = await runCli(['-c', '2', '-t', '2S', '-j', '--out', out, `http://127.0.0.1:${silent.port}/`])
  t.equal(r.status, 3, r.stderr)
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.equal(summary.in_flight_at_end, 2)
  t.equal(summary.transactions, 0)
  t.equal(summary.failed_transactions, 0)
  t.match(r.stderr, /no request succeeded: 2 still waiting for an answer at the end/)
  t.notMatch(JSON.stringify(summary.verdict ?? {}), /at least \d+ are needed/, 'no "11 floors (at least 6 are needed)"')
})

t.test('the verdict text: enough floors but no answered request says so', async (t) => {
  const x = Array.from({ length: 11 }, () => 0)
  const y = Array.from({ length: 11 }, (_, i) => 1000 + i)
  const result = trendVerdict({ strata: [{ x, y }], unit: 'bytes' } as unknown as Parameters<typeof trendVerdict>[0])
  t.equal(result.verdict, 'inconclusive')
  t.same(result.why, { unit: 'bytes', kind: 'no-requests', floors: 11 })
  t.equal(seriesReasonText(result.why), 'too little to go on: no request was answered while the 11 floors were taken')
})

t.test('nothing answers and no end was given: the run stops by itself after a few seconds, exit 3', async (t) => {
  const closed = await listen(() => {})
  await closed.close()
  const out = join(t.testdir(), 'r')
  // siege's default has no end: without the early stop this runs until the harness kills it.
  const r = await runCli(['-c', '2', '--out', out, `http://127.0.0.1:${closed.port}/`], { timeoutMs: 60_000 })
  t.equal(r.status, 3, r.stderr)
  t.match(r.stderr, /^memsiege: stopped after \d+\.\d s: not one of [\d,]+ requests was answered \([\d,]+ connections refused\); check the URL, or start the target first/m)
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.match(summary.stopped_because, /^stopped after/)
  t.ok(summary.elapsed_s >= 3 && summary.elapsed_s < 30, `stopped at ${summary.elapsed_s} s`)
})
