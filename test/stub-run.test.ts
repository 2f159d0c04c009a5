/**
 * `stubs:` in a scenario, live: a puma app whose endpoint calls an upstream with Net::HTTP (and
 * keeps 10 KB per request) is run against the real upstream, then a short run records through
 * a stub, then the upstream stops and a run replays: the verdict is the same, the stub's
 * figures are in summary.json and the printed summary, and the upstream saw no replayed request.
 */
import t from 'tap'
import type { Test } from 'tap'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunVerdict } from '../src/analysis/types.js'
import type { RunSummary } from '../src/recorder/summary-json.js'
import { runCli } from './helpers/cli.js'
import { installed } from './helpers/installed.js'
import { startUpstream } from './helpers/stub.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'

const APP = join(repoRoot, 'test/fixtures/stub')
const REQUESTS = 2000

async function pumaRun (t: Test, dir: string, name: string, upstreamUrl: string, requests: number, stubs: string[] = []): Promise<{ summary: RunSummary & { verdict: RunVerdict }; stdout: string }> {
  const port = await freePort()
  const scenario = join(dir, `${name}.yml`)
  writeFileSync(scenario, [
    `name: ${name}`,
    'target:',
    `  url: http://127.0.0.1:${port}`,
    `  command: puma -b tcp://127.0.0.1:${port} -t 4:4 config.ru`,
    `  cwd: ${JSON.stringify(APP)}`,
    `  env: { UPSTREAM_URL: ${JSON.stringify(upstreamUrl)} }`,
    '  ready: /__memsiege/gc',
    'urls: [ /call ]',
    'concurrency: 4',
    `requests: ${requests}`,
    'sample:',
    '  interval: 100ms',
    '  gc: { url: /__memsiege/gc, interval: 100ms }',
    ...stubs,
    '',
  ].join('\n'))
  const out = join(dir, name)
  const run = await runCli(['run', scenario, '--out', out], { timeoutMs: 120_000 })
  t.equal(run.status, 0, `${name}: ${run.stderr.trim() || 'ok'}`)
  return { summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')), stdout: run.stdout }
}

if (!installed('puma') || !installed('ruby')) {
  t.plan(0, 'puma (and ruby) not installed: apt-get install puma ruby-rack')
} else {
  t.test('the same verdict with the real upstream and with the stub replaying it', async (t) => {
    const dir = t.testdir()
    const upstream = await startUpstream()
    t.teardown(() => upstream.close())
    const rec = join(dir, 'rec')
    // Net::HTTP goes straight to a host that resolves to 127.x: through a stub, the upstream goes by its IPv4-mapped form.
    const proxied = upstream.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')
    const stub = (key: string) => ['stubs:', `  - ${key}`, '    loopbackOnly: true', `    caDir: ${JSON.stringify(join(dir, 'ca'))}`]

    const real = await pumaRun(t, dir, 'real', upstream.url, REQUESTS)
    t.equal(real.summary.successful_transactions, REQUESTS)
    t.equal(upstream.count(), REQUESTS, 'the real upstream answered every call')

    const recording = await pumaRun(t, dir, 'record', proxied, 20, stub(`record: ${JSON.stringify(rec)}`))
    t.match(recording.summary.stubs, [{ mode: 'record', passed_through: 20, recorded: 20, refused: 0 }])
    t.equal(readdirSync(rec).filter((n) => n.endsWith('.yml')).length, 20)

    await upstream.close()
    const replay = await pumaRun(t, dir, 'replay', proxied, REQUESTS, stub(`replay: ${JSON.stringify(rec)}`))
    t.equal(replay.summary.successful_transactions, REQUESTS, 'every call answered by the stub')
    t.match(replay.summary.stubs, [{ mode: 'replay', requests: REQUESTS, hits: REQUESTS, misses: 0, passed_through: 0 }])
    t.ok(replay.summary.stubs![0].latency.p50_ms > 0)
    t.match(replay.stdout, /Stub:\s+http:\/\/127\.0\.0\.1:\d+ \(replay, forward proxy\): 2,000 requests: 2,000 replayed/)
    t.equal(upstream.count(), REQUESTS + 20, 'the replay never reached the upstream')
    const report = await runCli(['report', join(dir, 'replay')])
    t.equal(report.status, 0, report.stderr)
    t.match(readFileSync(join(dir, 'replay', 'report.html'), 'utf8'), /<h3>Stubs<\/h3><p class="stub">http:\/\/127\.0\.0\.1:\d+ \(replay, forward proxy\): 2,000 requests: 2,000 replayed/)
    t.comment(`real: ${real.summary.verdict.verdict} (${real.summary.verdict.summary}); replay: ${replay.summary.verdict.verdict} (${replay.summary.verdict.summary})`)
    t.equal(replay.summary.verdict.verdict, real.summary.verdict.verdict, 'the same verdict')
  })
}
