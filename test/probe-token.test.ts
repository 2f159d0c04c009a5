import t from 'tap'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'undici'
import { startTarget } from '../src/target/process.js'
import { runCli } from './helpers/cli.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'

// MEMSIEGE_PROBE_TOKEN: behind a reverse proxy on the same host every client of the app is
// loopback, so the GC probes (Ruby's Rack middleware, Node's) can require a token. Without it,
// or with a wrong one, the probe refuses (403); with it, it answers, and memsiege's GC sampling
// sends it from its own environment.

const TOKEN = 'probe-token-4c1f'

function has (cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`])
    return true
  } catch {
    return false
  }
}

async function probe (port: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await request(`http://127.0.0.1:${port}/__memsiege/gc`, { headers })
  return { status: res.statusCode, body: await res.body.text() }
}

interface App { name: string; skip: string | false; command: (port: number) => string; cwd: string; ready: string }

const apps: App[] = [
  { name: 'puma (Rack middleware)', skip: has('puma') && has('ruby') ? false : 'puma and ruby not installed', command: (port) => `puma -b tcp://127.0.0.1:${port} config.ru`, cwd: join(repoRoot, 'test/fixtures/puma-app'), ready: '/flat' },
  { name: 'Node (probeMiddleware, the demo server)', skip: false, command: (port) => `${process.execPath} dist/demo/server.js --port ${port}`, cwd: repoRoot, ready: '/stats' }
]

for (const app of apps) {
  t.test(`${app.name}: refused without the token, answered with it; memsiege samples with it`, { skip: app.skip }, async (t) => {
    const dir = t.testdir()
    const port = await freePort()
    const target = await startTarget({
      command: app.command(port),
      cwd: app.cwd,
      env: { MEMSIEGE_PROBE_TOKEN: TOKEN, RACK_ENV: 'production' },
      logFile: join(dir, 'app.log'),
      ready: `http://127.0.0.1:${port}${app.ready}`,
      readyTimeout: 30
    })
    t.teardown(() => target.stop(5))

    t.equal((await probe(port)).status, 403, 'no token: refused')
    t.equal((await probe(port, { 'x-memsiege-token': 'wrong' })).status, 403, 'a wrong token: refused')
    t.equal((await probe(port, { 'x-memsiege-token': TOKEN + 'x' })).status, 403, 'a longer one: refused')
    t.equal((await probe(port, { authorization: 'Bearer wrong' })).status, 403, 'a wrong bearer token: refused')
    const right = await probe(port, { 'x-memsiege-token': TOKEN })
    t.equal(right.status, 200, 'the token: answered')
    t.type(JSON.parse(right.body).pid, 'number')
    t.equal((await probe(port, { authorization: `Bearer ${TOKEN}` })).status, 200, 'as a bearer token too')

    const scenario = join(dir, 'app.yml')
    const yaml = (name: string) => `name: ${name}\ntarget:\n  url: http://127.0.0.1:${port}\nurls: ["${app.ready}"]\nrequests: 200\nconcurrency: 2\nsample: { interval: 100ms, gc: { url: /__memsiege/gc, interval: 100ms } }\n`
    const lastRow = (out: string): Record<string, string> => {
      const lines = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n')
      const header = lines[0].split(',')
      const cells = lines.at(-1)!.split(',')
      return Object.fromEntries(header.map((h, i) => [h, cells[i]]))
    }
    writeFileSync(scenario, yaml('with-token'))
    const withToken = await runCli(['run', scenario, '--port', String(port), '--out', join(dir, 'with'), '-q'], { env: { MEMSIEGE_PROBE_TOKEN: TOKEN }, timeoutMs: 60_000 })
    t.equal(withToken.status, 0, withToken.stderr)
    const row = lastRow(join(dir, 'with'))
    t.equal(row.gc_errors, '0', 'every GC fetch answered')
    t.ok(Number(row['gc.pid']) > 0, 'the probe\'s figures are in samples.csv')

    const without = await runCli(['run', scenario, '--port', String(port), '--out', join(dir, 'without'), '-q'], { env: { MEMSIEGE_PROBE_TOKEN: '' }, timeoutMs: 60_000 })
    t.equal(without.status, 2, 'without the token memsiege is refused too, at its first fetch')
    t.match(without.stderr, /^memsiege: sample\.gc: GET \S+ failed: HTTP 403 \(a probe with a token: give memsiege the app's MEMSIEGE_PROBE_TOKEN\)\n$/, 'and says what to do in one line')
  })
}
