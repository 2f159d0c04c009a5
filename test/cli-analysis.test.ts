import t from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './helpers/cli.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'

/**
 * A short run of test/fixtures/gc-steps-app.mjs on one endpoint, sampled often enough to decide:
 * the app collects every 50 requests, so its heap's floors come at the same request counts on any
 * machine and 3,000 requests are enough for a clear verdict either way.
 */
async function appRun (dir: string, endpoint: string, extra: string[]): Promise<{ out: string; status: number | null; stdout: string }> {
  const port = await freePort()
  const scenario = join(dir, `${endpoint}.yml`)
  writeFileSync(scenario, [
    `name: ${endpoint}`,
    'target:',
    `  url: http://127.0.0.1:${port}`,
    `  command: node --expose-gc test/fixtures/gc-steps-app.mjs --port ${port}`,
    `  cwd: ${JSON.stringify(repoRoot)}`,
    '  ready: /__memsiege/gc',
    `urls: ["/${endpoint}"]`,
    'concurrency: 4',
    'delay: 5ms',
    'requests: 3000',
    'sample: { interval: 100ms, gc: { url: /__memsiege/gc, interval: 100ms } }',
    ''
  ].join('\n'))
  const out = join(dir, endpoint)
  const r = await runCli(['run', scenario, '--out', out, ...extra], { timeoutMs: 90_000 })
  return { out, status: r.status, stdout: r.stdout }
}

t.test('run prints and stores the verdict; --fail-on leak exits 4; --report writes the charts; analyze, report and compare read the folders', async (t) => {
  const dir = t.testdir()
  const leak = await appRun(dir, 'leak', ['--fail-on', 'leak', '--report'])
  t.equal(leak.status, 4, 'a leak with --fail-on leak')
  t.match(leak.stdout, /Memory:\s+LEAK/)
  t.match(leak.stdout, /Report:\s+.*report\.html/)
  const summary = JSON.parse(readFileSync(join(leak.out, 'summary.json'), 'utf8'))
  t.equal(summary.verdict.verdict, 'leak')
  t.ok(summary.verdict.breaches.length > 0)
  t.ok(existsSync(join(leak.out, 'report.html')) && existsSync(join(leak.out, 'memory.svg')))

  const flat = await appRun(dir, 'flat', [])
  t.equal(flat.status, 0)
  t.notMatch(flat.stdout, /Memory:\s+LEAK/)

  const analyzed = await runCli(['analyze', leak.out, '--json'])
  t.equal(analyzed.status, 0, 'no --fail-on this time: the run stored none')
  t.equal(JSON.parse(analyzed.stdout).verdict, 'leak')
  t.equal((await runCli(['analyze', leak.out, '--fail-on', 'leak'])).status, 4)
  t.equal((await runCli(['analyze', leak.out, '--max-growth', '1KB/request'])).status, 4, 'the app leaks 10 KB per request')
  const missing = await runCli(['analyze', join(dir, 'nowhere')])
  t.equal(missing.status, 2)
  t.equal(missing.stderr.trim().split('\n').length, 1)

  const report = await runCli(['report', flat.out])
  t.equal(report.status, 0, report.stderr)
  t.ok(existsSync(join(flat.out, 'report.html')))

  const compared = await runCli(['compare', flat.out, leak.out, '--out', dir])
  t.equal(compared.status, 0, compared.stderr)
  t.match(compared.stdout, /significant/)
  t.ok(existsSync(join(dir, 'compare.html')))
})
