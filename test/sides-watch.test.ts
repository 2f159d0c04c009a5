/**
 * `memsiege watch` of two live processes side by side: the same app twice, one keeping memory
 * as the clock runs (the old build), the other not; one sub-folder per target, sides.json, and
 * the paired comparison on the time axis naming the one that grows. Flags it can't take yet are
 * one line, exit 2.
 */
import t from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './helpers/cli.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'

const APP = join(repoRoot, 'test/fixtures/watch-app.mjs')

t.test('--cmd twice: a and b watched side by side, compared on time', async (t) => {
  const dir = t.testdir({})
  const out = join(dir, 'watch')
  const r = await runCli(['watch', '--cmd', `env GROW_EVERY_MS=20 GROW_BYTES=262144 ${process.execPath} ${APP} 0`, '--cmd', `${process.execPath} ${APP} 0`, '--for', '3s', '--interval', '100ms', '--report', '--out', out], { timeoutMs: 60_000 })
  t.equal(r.status, 0, r.status === 0 ? 'exit 0' : r.stderr)
  t.match(r.stderr, /memsiege: watching a, b side by side; results in /)
  t.same(JSON.parse(readFileSync(join(out, 'sides.json'), 'utf8')), { targets: ['a', 'b'], mode: 'watch' })
  for (const side of ['a', 'b']) {
    const summary = JSON.parse(readFileSync(join(out, side, 'summary.json'), 'utf8')) as { x_axis?: string; verdict?: unknown; config: { stop: unknown } }
    t.match(summary.x_axis, /^time: /, `${side}: an ordinary watch folder, on the time axis`)
    t.ok(summary.verdict, `${side} has its verdict`)
    t.same(summary.config.stop, { kind: 'duration', seconds: 3 }, `${side}: --for is the stop it records (issue 25: "forever")`)
    // What a watch does not measure is left out of its report (issue 25: "Availability 0.00 %", an empty rate chart).
    const report = readFileSync(join(out, side, 'report.html'), 'utf8')
    t.match(report, /<th>stop<\/th><td>duration 3 s<\/td>/, `${side}'s report: the stop`)
    t.notMatch(report, /Availability|Transactions|id="chart-load"|p99\.9/, `${side}'s report: no load figures, no rate chart without a counter`)
  }
  const text = readFileSync(join(out, 'compare.txt'), 'utf8')
  t.equal(r.stdout.split('\nResults:')[0].trim(), text.trim(), 'stdout is compare.txt')
  const headline = text.split('\n\n')[1].split('\n')[0]
  t.match(headline, /^a: (leak|undecided \(inconclusive\)); b: [^,;]+, \S+ [\d.]+ [KMGT]iB\/hour less than a's; the difference is significant/, `a is named, per hour: ${headline}`)
  t.match(text, /\nRSS: a's (grows|is inconclusive at) [\d.]+ [KMGT]iB\/hour.*; the difference is significant \(b − a: −[\d.]+ [KMGT]iB\/hour, .*paired from [\d.]+ (ms|s) to [\d.]+ s of watching, p /, 'RSS paired on time')
  t.match(text, /\nRSS per hour +\+[\d.]+ [KMGT]iB\/h /, 'the table: growth per hour')
  t.notMatch(text, /per request/, 'never per request')
  t.notMatch(text, /\n(users|requests|rate|availability|p50 \/ p99) /, 'the table leaves out what a watch does not measure (issue 25: users 0, availability 0.00 %)')
  t.notMatch(readFileSync(join(out, 'compare.html'), 'utf8'), /<th>(users|availability|latency p50 \/ p99)<\/th>/, 'and so does compare.html')
  t.match(readFileSync(join(out, 'compare.html'), 'utf8'), /paired on time/, 'compare.html says how')
  // and `memsiege compare` on the folder gives it again
  const again = await runCli(['compare', out, '--out', join(dir, 'again')])
  t.equal(again.stdout.split('\nCompared:')[0].trim(), text.trim(), 'compare on the folder: the same')
})

t.test('a scenario with targets: each watched under its name, in the scenario\'s order', async (t) => {
  const dir = t.testdir({})
  const scenario = join(dir, 'prod.yml')
  const target = (name: string, port: number, env: string) => [`  - name: ${name}`, `    url: http://127.0.0.1:${port}`, `    command: ${env}${process.execPath} ${APP} ${port}`]
  writeFileSync(scenario, ['name: prod', 'targets:', ...target('old', await freePort(), 'env GROW_EVERY_MS=20 GROW_BYTES=262144 '), ...target('new', await freePort(), ''), 'urls: [/]', 'sample: { interval: 100ms }', ''].join('\n'))
  const out = join(dir, 'watch')
  const r = await runCli(['watch', scenario, '--for', '2s', '--out', out], { timeoutMs: 60_000 })
  t.equal(r.status, 0, r.status === 0 ? 'exit 0' : r.stderr)
  t.same(JSON.parse(readFileSync(join(out, 'sides.json'), 'utf8')).targets, ['old', 'new'], 'old is A, as in the file')
  t.match(r.stdout, /^\s+A\s+B\nrun\s+old\s+new\n/, 'the table: old, then new')
  const bad = await runCli(['watch', scenario, '--interval', '1s', '--for', '1s', '--out', join(dir, 'bad')])
  t.equal(bad.status, 2, 'exit 2')
  t.match(bad.stderr, /^memsiege: --interval: the scenario has targets:; set sample: and each target's insecure: in .*prod\.yml\n$/, 'one line: where to set it instead')
})

t.test('what a side-by-side watch does not take: one line, exit 2', async (t) => {
  const pid = String(process.pid)
  for (const [args, message] of [
    [['--pid', pid, '--pid', pid, '--requests-from-nginx', 'http://127.0.0.1:1/status'], /^memsiege: not implemented yet: a request counter \(--requests-from-…\) for targets watched side by side/],
    [['--pid', pid, '--pid', pid, '--port', '1'], /^memsiege: watching side by side: give the targets with one flag, repeated \(--pid A --pid B\), not --pid and --port/],
    [['--pid', pid, '--pid', '0'], /^memsiege: --pid 0: not a valid pid/],
  ] as const) {
    const out = join(t.testdir(), 'w')
    const r = await runCli(['watch', '--for', '1s', '--out', out, ...args])
    t.equal(r.status, 2, `${args.join(' ')}: exit 2`)
    t.match(r.stderr, message)
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line')
    t.notOk(existsSync(out), 'nothing written')
  }
})
