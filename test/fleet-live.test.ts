// `memsiege watch --prom` live: a real Prometheus scrapes three real instances every second, one
// of them leaking 2 MB/s; the watch judges the fleet every 3 s and must name that one, alone.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startPrometheus } from './fixtures/prometheus.mjs'
import { CLI, runInProcess } from './helpers/cli.js'
import { waitForLine } from './helpers/wait.js'
import { repoRoot } from './fixtures/sampler-helpers.js'

const work = mkdtempSync(join(tmpdir(), 'memsiege-fleet-live-'))
const apps: ChildProcess[] = []
t.teardown(() => {
  for (const app of apps) app.kill('SIGTERM')
  rmSync(work, { recursive: true, force: true })
})

async function startApp (env: NodeJS.ProcessEnv = {}): Promise<string> {
  const app = spawn(process.execPath, [join(repoRoot, 'test/fixtures/fleet-app.mjs'), '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  apps.push(app)
  const [, port] = await waitForLine(app.stdout!, /listening (\d+)/)
  return `127.0.0.1:${port}`
}

const flat = [await startApp(), await startApp()]
const leaking = await startApp({ GROW_EVERY_MS: '50', GROW_BYTES: '102400' })
const prom = await startPrometheus(work, { scrape: [...flat, leaking] })
t.teardown(() => prom.stop())

t.test('names the leaking instance, alone, and exits 4 when stopped on it', async (t) => {
  const watch = spawn(process.execPath, [CLI, 'watch', '--prom', prom.url, '--memory', 'process_resident_memory_bytes{job="app"}',
    '--start-time', 'process_start_time_seconds{job="app"}', '--step', '1s', '--every', '3s', '--for', '3m', '--alert', 'leak'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  watch.stdout!.on('data', (d: Buffer) => { stdout += d })
  const exited = new Promise<number | null>((resolve) => watch.on('close', (code) => resolve(code)))
  try {
    const escaped = leaking.replace(/\./g, '\\.')
    await waitForLine(watch.stderr!, new RegExp(`ALERT: leak: ${escaped}\\n`), 180_000)
  } finally {
    watch.kill('SIGINT')
  }
  t.equal(await exited, 4)
  t.match(stdout, new RegExp(`^Fleet:\\tLEAK: 1 of 3 instances leak \\(${leaking.replace(/\./g, '\\.')}\\)`))
  t.match(stdout, new RegExp(`${leaking.replace(/\./g, '\\.')}\\s+leak\\s+\\+[\\d.]+ [MG]iB`))
})

t.test('a query Prometheus refuses ends the watch: one line, exit 2', async (t) => {
  const r = await runInProcess(['watch', '--prom', prom.url, '--memory', 'process_resident_memory_bytes{', '--step', '1s', '--every', '1s', '--for', '1m'])
  t.equal(r.status, 2)
  t.match(r.stderr, /\nmemsiege: --memory "process_resident_memory_bytes\{": Prometheus says: .*parse error.*\n$/)
})
