/**
 * A watch of an app that counts no requests measures growth against the target's work: its CPU
 * time (issue 24). Real traffic (a bounded loop of requests from this test) then a lull at least
 * as long: a leak whose traffic stopped stays a leak (on the clock, the lull read as growth that
 * stopped: "PLATEAU, grew by 1.23 GiB and then stopped"), and a flat server with a lull is not a
 * leak. The lull is counted in rows written, not in seconds.
 */
import t from 'tap'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { readSummary, sampling, startWatchCli, type RunningWatch } from './helpers/watch.js'
import { waitFor } from './helpers/wait.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { readFileSync, readdirSync } from 'node:fs'

const APP = join(repoRoot, 'test/fixtures/watch-app.mjs')
// Enough work for a dozen readings with work in them at 100 ms on a fast, idle machine (4,000
// requests took 11 there, one too few to judge).
const REQUESTS = 12_000
const USERS = 4

/** `count` GETs over `users` keep-alive connections, each answered before the next is sent. */
async function traffic (port: number, count: number, users: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: users })
  let sent = 0
  const user = async (): Promise<void> => {
    while (sent < count) {
      sent++
      await new Promise<void>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/api', agent }, (res) => { res.resume(); res.on('end', resolve) }).on('error', reject).end()
      })
    }
  }
  await Promise.all(Array.from({ length: users }, user))
  agent.destroy()
}

function rows (dir: string): number {
  const file = readdirSync(dir).filter((f) => /^samples-\d{8}\.csv$/.test(f)).sort().at(-1)!
  return readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).length - 1
}

async function watchWithLull (dir: string, env: string): Promise<{ watch: RunningWatch; summary: Record<string, any> }> {
  const port = await freePort()
  const watch = await startWatchCli(dir, ['--cmd', `env ${env} ${process.execPath} ${APP} ${port}`, '--interval', '100ms'], 120_000)
  await sampling(watch)
  await waitFor(async () => {
    try {
      await traffic(port, 1, 1)
      return true
    } catch {
      return false
    }
  }, 30_000, 'the app listening')
  const before = rows(dir)
  await traffic(port, REQUESTS, USERS)
  const busy = Math.max(20, rows(dir) - before)
  const after = rows(dir)
  await waitFor(() => rows(dir) - after >= busy, 120_000, `a lull of ${busy} rows, as many as the traffic took`)
  const result = await watch.stop()
  if (result.status !== 0 && result.status !== 4) throw new Error(`watch: ${result.status} ${result.stderr}`)
  return { watch, summary: { ...readSummary(dir), stdout: result.stdout } }
}

t.test('a leak whose traffic stopped stays a leak, per CPU-second of the target', async (t) => {
  const dir = join(t.testdir(), 'leak')
  const { summary } = await watchWithLull(dir, 'LEAK_BYTES=8192')
  t.match(summary.x_axis, /^cpu: /, 'the x axis is the target\'s CPU time')
  t.equal(summary.verdict.verdict, 'leak', summary.verdict.summary)
  t.match(summary.stdout, /Note: x axis: cpu: .*CPU seconds/, 'the verdict says which axis it used')
  t.match(summary.stdout, /per CPU-second of the target/, 'and per CPU-second of the target')
  t.notMatch(summary.stdout, /per request|\/request/, 'never per request')
})

t.test('a flat server with a lull is not a leak', async (t) => {
  const dir = join(t.testdir(), 'flat')
  const { summary } = await watchWithLull(dir, 'LEAK_BYTES=0')
  t.match(summary.x_axis, /^cpu: /)
  t.not(summary.verdict.verdict, 'leak', summary.verdict.summary)
})
