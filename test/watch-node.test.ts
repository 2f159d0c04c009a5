// memsiege watch on a Node app under its own traffic (made here by a second memsiege): the
// request count from the app's Prometheus counter, the report rewritten whole while it runs;
// and, without a counter, the target's CPU time as the x axis, with alerts, on an app whose memory
// grows by the clock (its timer's work).
import t from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './helpers/cli.js'
import { readSummary, sampling, startWatchCli } from './helpers/watch.js'
import { waitFor } from './helpers/wait.js'
import { killGroup, repoRoot, spawnWithLine } from './fixtures/sampler-helpers.js'

const APP = join(repoRoot, 'test/fixtures/watch-app.mjs')

t.test('--port with --requests-from-prom: the app\'s counter is the x axis; the report is whole whenever it is read', async (t) => {
  const { child: app, line } = await spawnWithLine(process.execPath, [APP, '0'])
  t.teardown(() => killGroup(app))
  const port = Number(line.split(' ')[1])
  const base = t.testdir()
  const dir = join(base, 'watch')
  const watch = await startWatchCli(dir, ['--port', String(port), '--requests-from-prom', `http://127.0.0.1:${port}/metrics:app_requests_total`, '--interval', '100ms', '--every', '300ms'])
  t.teardown(() => { watch.child.kill('SIGKILL') })
  await sampling(watch)

  // The load: 2 users × 100 requests, a tenth of them to a path the app answers 404 (counted too).
  const urls = join(base, 'urls.txt')
  writeFileSync(urls, Array.from({ length: 10 }, (_, i) => `http://127.0.0.1:${port}/${i === 9 ? 'missing' : 'api'}?n=${i}`).join('\n') + '\n')
  const load = await runCli(['-c', '2', '-r', '100', '-b', '-q', '-f', urls, '--out', join(base, 'load')])
  t.equal(load.status, 0, load.stderr)

  // Read report.html as a browser would, over and over, while the watch rewrites it.
  const report = join(dir, 'report.html')
  const seen = new Set<string>()
  await waitFor(() => {
    if (!existsSync(report)) return false
    const text = readFileSync(report, 'utf8')
    if (!text.trimEnd().endsWith('</html>')) throw new Error(`report.html read half-written (${text.length} bytes)`)
    const written = /data-written="([^"]+)"/.exec(text)
    if (!written) throw new Error('a report written during the watch says when it was written')
    seen.add(written[1])
    return seen.size >= 3
  }, 30_000, 'three versions of report.html')

  await waitFor(() => Number(watch.lastRow()?.requests) >= 200, 30_000, 'the 200 requests in samples')
  const result = await watch.stop()
  t.equal(result.status, 0, result.stderr)
  t.equal(Number(watch.lastRow()!.requests), 200, 'every request of the load counted once, /metrics not at all')
  const summary = readSummary(dir)
  t.match(summary.x_axis, /Prometheus counter app_requests_total/)
  t.match(summary.verdict.x_axis, /app_requests_total/, 'the verdict says which x axis it used')
  t.match(result.stdout, /Note: x axis: requests counted by the app's Prometheus counter app_requests_total/)
  t.notOk(summary.in_progress, 'the final summary is not marked in progress')
  t.match(summary.verdict.verdict, /^(flat|plateau|settling|inconclusive|leak)$/)
  t.notMatch(readFileSync(report, 'utf8'), /id="report-age"/, 'the final report is not a live one')
  t.match(readFileSync(report, 'utf8'), /id="x-axis"/)
  t.match(readFileSync(report, 'utf8'), /Request rate counted by the app[^<]*<\/div><div class="chart" id="chart-load">/, 'the rate chart, from the app\'s counter')
  t.notMatch(readFileSync(report, 'utf8'), /Availability|p99\.9/, 'no figures of a load memsiege did not send')
})

t.test('the target\'s CPU time as the x axis; --alert-rss and --alert leak run --on-alert at each change; exit 4 on a leak', async (t) => {
  const base = t.testdir()
  const dir = join(base, 'watch')
  const envFile = join(base, 'alerts.env')
  const watch = await startWatchCli(dir, [
    '--cmd', `env GROW_EVERY_MS=20 GROW_BYTES=524288 ${process.execPath} ${APP} 0`,
    '--interval', '100ms', '--every', '1s',
    '--alert', 'leak', '--alert-rss', '120MB', '--on-alert', `env | grep ^MEMSIEGE_ | sort >> ${envFile}; echo ---- >> ${envFile}`
  ])
  t.teardown(() => { watch.child.kill('SIGKILL') })
  await sampling(watch)
  await waitFor(() => Number(watch.lastRow()?.rss_bytes) > 200 * 1024 * 1024, 60_000, 'the app past 200 MB')
  await waitFor(() => existsSync(envFile) && readFileSync(envFile, 'utf8').includes('MEMSIEGE_VERDICT=leak'), 60_000, 'the leak alert')
  const result = await watch.stop()
  t.equal(result.status, 4, `ends on a leak: ${result.stderr} ${result.stdout}`)
  // The two alerts come in either order (the RSS limit or the first analysis first).
  const calls = readFileSync(envFile, 'utf8').split('----\n').filter(Boolean)
  const states = calls.map((c) => /MEMSIEGE_ALERT=(.*)\n/.exec(c)?.[1])
  t.ok(states.every((s, i) => i === 0 || s !== states[i - 1]), `once per change of state, not once per row: ${states.join(' → ')}`)
  t.equal(states.at(-1), 'leak,rss', 'both hold at the end')
  t.ok(calls.some((c) => /MEMSIEGE_ALERT=(leak,)?rss\n/.test(c) && /MEMSIEGE_RSS_BYTES=\d+\n/.test(c)), 'RSS over the limit, with the figure')
  t.match(calls.at(-1), /MEMSIEGE_VERDICT=leak\n/, 'the verdict in the environment')
  const summary = readSummary(dir)
  t.match(summary.x_axis, /^cpu: /)
  t.match(result.stdout, /Note: x axis: cpu: /)
  t.match(result.stderr, /alert: .*RSS [\d.]+ MiB is above 120 MiB/)
})

t.test('bad flags: one line, exit 2', async (t) => {
  for (const [args, message] of [
    [['--for', '1h'], /watch what\? give --pid N, --port P, --cmd/],
    [['--pid', String(process.pid), '--requests-from-prom', 'http://127.0.0.1:1/metrics'], /--requests-from-prom "http:\/\/127.0.0.1:1\/metrics": expected URL:METRIC/],
    [['--pid', String(process.pid), '--on-alert', 'true'], /--on-alert: give what to alert on too/],
    [['--pid', String(process.pid), '--requests-from-log', '/no/such/log'], /^memsiege: --requests-from-log \/no\/such\/log: no such file; give the access log the app \(or its proxy\) writes\n$/],
  ] as const) {
    const r = await runCli(['watch', '--out', join(t.testdir(), String(Math.random())), ...args])
    t.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`)
    t.match(r.stderr, message)
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
  }
})
