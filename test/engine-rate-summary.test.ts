/**
 * The text summary of a fixed-rate run: asked and achieved rate, late starts and the raw latency
 * beside the corrected one, the same figures as summary.json's `rate`. A closed-model run has no
 * such block. Figures are compared with summary.json, never with the clock.
 */
import t from 'tap'
import { createServer } from 'node:http'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './helpers/cli.js'
import { ms } from '../src/units/format.js'

const server = createServer((req, res) => {
  // 5 ms answers with one slot in flight: a 1000/s schedule cannot be kept, starts go out late.
  setTimeout(() => res.end('pong'), req.url === '/slow' ? 5 : 0)
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))

async function textRun (dir: string, keys: string): Promise<{ text: string, summary: any }> {
  const file = join(dir, 'scenario.yml')
  writeFileSync(file, `urls:\n  - ${origin}/slow\n${keys}`)
  const out = join(dir, 'out')
  const r = await runCli(['run', file, '--out', out], { cwd: dir })
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`)
  return { text: r.stdout, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) }
}

t.test('a fixed-rate run prints its rate block with the figures of summary.json', async (t) => {
  const { text, summary } = await textRun(t.testdir(), 'requests: 20\nrate: 1000/s\nmaxInFlight: 1\n')
  const rate = summary.rate
  t.match(text, /Rate asked:\s+1000\.00 req\/sec/)
  t.match(text, new RegExp(`Rate achieved:\\s+${rate.achieved_per_s.toFixed(2)} req/sec \\(${(rate.achieved_per_s / 10).toFixed(1)} % of asked\\)`))
  t.match(text, new RegExp(`Late starts:\\s+${rate.late_starts} \\(due with maxInFlight = 1 already waiting`))
  t.ok(rate.late_starts > 0, 'one slot for 20 requests due within 20 ms: some started late')
  t.match(text, new RegExp(`Raw latency \\(ms\\):\\s+p50 ${ms(rate.latency_raw.p50_ms)} .* max ${ms(rate.latency_raw.max_ms)} .*from the send`))
  t.match(text, new RegExp(`Latency \\(ms\\):\\s+p50 ${ms(summary.latency.p50_ms)} .*coordinated omission corrected`))
})

t.test('a closed-model run has no rate block', async (t) => {
  const { text, summary } = await textRun(t.testdir(), 'requests: 5\nconcurrency: 1\n')
  t.equal(summary.rate, undefined)
  t.match(text, /Latency \(ms\):/)
  t.notMatch(text, /Rate asked|Late starts|Raw latency|coordinated omission/)
})
