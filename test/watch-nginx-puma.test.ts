// memsiege watch on a real puma app behind a real nginx (Debian's nginx-light, run as this user
// with its own prefix on a random port), under load from a second memsiege: the requests counted
// from the access log nginx writes, and from nginx's stub_status, by two watches at once.
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTarget } from '../src/target/process.js'
import { runCli } from './helpers/cli.js'
import { NGINX, nginxConf } from './helpers/nginx.js'
import { readSummary, sampling, startWatchCli } from './helpers/watch.js'
import { waitFor } from './helpers/wait.js'
import { freePort, get, repoRoot } from './fixtures/sampler-helpers.js'

const missing = !existsSync(NGINX) ? `${NGINX} not found (Debian package nginx-light)` : spawnSync('puma', ['--version']).status !== 0 ? 'puma not found (Debian package puma)' : undefined
if (missing) t.plan(0, missing)

/** nginx in front of `upstream`: its access log, and stub_status at /nginx_status (not logged). */
async function startNginx (t: { teardown (fn: () => unknown): void }, upstream: number): Promise<{ port: number; accessLog: string }> {
  const prefix = mkdtempSync(join(tmpdir(), 'memsiege-watch-nginx-'))
  const port = await freePort()
  const accessLog = join(prefix, 'access.log')
  writeFileSync(join(prefix, 'nginx.conf'), nginxConf(prefix, [
    `access_log ${accessLog} combined;`,
    'server {',
    `  listen 127.0.0.1:${port};`,
    `  location / { proxy_pass http://127.0.0.1:${upstream}; }`,
    '  location = /nginx_status { stub_status; access_log off; }',
    '}',
  ]))
  const child = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], { stdio: 'ignore' })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  t.teardown(async () => {
    child.kill('SIGTERM')
    await exited
    rmSync(prefix, { recursive: true, force: true })
  })
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${readFileSync(join(prefix, 'error.log'), 'utf8')}`)
    return (await get(`http://127.0.0.1:${port}/nginx_status`).catch(() => ({ status: 0 }))).status === 200
  }, 30_000, 'nginx to answer')
  return { port, accessLog }
}

t.test('puma behind nginx: requests from the access log and from stub_status', async (t) => {
  const pumaPort = await freePort()
  const base = t.testdir()
  const puma = await startTarget({
    command: `puma -b tcp://127.0.0.1:${pumaPort} -t 2:2 config.ru`,
    cwd: join(repoRoot, 'test/fixtures/puma-real'),
    env: { RACK_ENV: 'production' },
    logFile: join(base, 'puma.log'),
    ready: `http://127.0.0.1:${pumaPort}/gc`,
    readyTimeout: 30
  })
  t.teardown(() => puma.stop(5))
  const nginx = await startNginx(t, pumaPort)

  const fromLog = await startWatchCli(join(base, 'log'), ['--port', String(pumaPort), '--requests-from-log', nginx.accessLog, '--interval', '100ms'])
  const fromStatus = await startWatchCli(join(base, 'status'), ['--port', String(pumaPort), '--requests-from-nginx', `http://127.0.0.1:${nginx.port}/nginx_status`, '--interval', '100ms'])
  t.teardown(() => { fromLog.child.kill('SIGKILL'); fromStatus.child.kill('SIGKILL') })
  await sampling(fromLog)
  await sampling(fromStatus)

  const load = await runCli(['-c', '2', '-r', '60', '-b', '-q', `http://127.0.0.1:${nginx.port}/api/e1?page=1`, '--out', join(base, 'load')], { timeoutMs: 60_000 })
  t.equal(load.status, 0, load.stderr)
  t.equal(readFileSync(nginx.accessLog, 'utf8').split('\n').filter((l) => l.includes('/api/e1')).length, 120, 'nginx logged the load')

  await waitFor(() => Number(fromLog.lastRow()?.requests) >= 120 && Number(fromStatus.lastRow()?.requests) >= 120, 30_000, '120 requests seen by both watches')
  const [a, b] = await Promise.all([fromLog.stop(), fromStatus.stop()])
  t.equal(a.status, 0, a.stderr)
  t.equal(b.status, 0, b.stderr)
  t.equal(Number(fromLog.lastRow()!.requests), 120, 'each logged request counted once')
  t.equal(Number(fromStatus.lastRow()!.requests), 120, "stub_status's count, less the watch's own reads of it")
  t.ok(Number(fromLog.lastRow()!.rss_bytes) > 10 * 1024 * 1024, 'puma sampled')
  t.match(readSummary(join(base, 'log')).verdict.x_axis, /requests recorded in the access log .*access\.log/)
  t.match(readSummary(join(base, 'status')).verdict.x_axis, /nginx's stub_status/)
  t.match(a.stdout, /Note: x axis: requests recorded in the access log/)
})
