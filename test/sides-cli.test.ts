/**
 * `memsiege run` side by side, as a user runs it: mistakes in `targets:` and the side-by-side
 * flags are one line naming the file:line or the flag (exit 2); `--vs` puts the leaking demo
 * server and its `--fixed` build side by side and names the one that leaks; a target killed
 * mid-run is recorded and the other gets its whole budget.
 */
import t from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, runInProcess } from './helpers/cli.js'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { waitFor } from './helpers/wait.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { loadScenario } from '../src/scenario/load.js'
import { sidesFlags, type SidesFlags } from '../src/commands/sides-flags.js'
import { applyTargetFlags, type TargetFlags } from '../src/commands/target-flags.js'

function write (dir: string, name: string, lines: string[]): string {
  const file = join(dir, name)
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

t.test('mistakes name the place: file:line, or the flag', async (t) => {
  const dir = t.testdir({})
  const twice = write(dir, 'twice.yml', ['targets:', '  - name: old', '    url: http://127.0.0.1:9', '  - name: old', '    url: http://127.0.0.1:10', 'urls: [/a]'])
  const noUrl = write(dir, 'nourl.yml', ['targets:', '  - name: old', '    url: http://127.0.0.1:9', '  - name: new', '    port: 10', 'urls: [/a]'])
  const both = write(dir, 'both.yml', ['target: { url: http://127.0.0.1:9 }', 'targets:', '  - name: old', '    url: http://127.0.0.1:9', '  - name: new', '    url: http://127.0.0.1:10', 'urls: [/a]'])
  const one = write(dir, 'one.yml', ['targets:', '  - name: old', '    url: http://127.0.0.1:9', 'urls: [/a]'])
  const elsewhere = write(dir, 'elsewhere.yml', ['targets:', '  - name: old', '    url: http://127.0.0.1:9', '  - name: new', '    url: http://127.0.0.1:10', 'urls:', '  - /a', '  - http://127.0.0.2:9/b'])
  const ok = write(dir, 'ok.yml', ['targets:', '  - name: old', '    url: http://127.0.0.1:9', '  - name: new', '    url: http://127.0.0.1:10', 'urls: [/a]'])
  const plain = write(dir, 'plain.yml', ['urls: [http://127.0.0.1:9/a]'])
  const files: Array<[string, RegExp]> = [
    [twice, /twice\.yml:4:\d+: targets: two targets are named "old"/],
    [noUrl, /nourl\.yml:4:\d+: targets\[1\] \(new\): missing url/],
    [both, /both\.yml:2:1: give target or targets, not both/],
    [one, /one\.yml:2:\d+: targets: needs at least 2 items, got 1/],
    [elsewhere, /elsewhere\.yml:8: http:\/\/127\.0\.0\.2:9\/b is on http:\/\/127\.0\.0\.2:9, not on the first target's/]
  ]
  for (const [file, message] of files) t.throws(() => loadScenario(file, {}, () => {}), message)
  const flags: Array<[string, SidesFlags & TargetFlags, RegExp]> = [
    [plain, { vs: 'true' }, /--vs needs target\.url/],
    [plain, { vsUrl: 'http://127.0.0.1:10' }, /--vs-url is only used with --vs/],
    [plain, { lockstep: false }, /--no-lockstep is only used with targets: or --vs/],
    [ok, { vs: 'true' }, /--vs: the scenario already has targets/]
  ]
  for (const [file, f, message] of flags) await t.rejects(sidesFlags(loadScenario(file, {}, () => {}), f), message)
  t.throws(() => applyTargetFlags(loadScenario(ok, {}, () => {}), { cmd: 'true' }), /--cmd: the scenario has targets:/)
  // and as the CLI says them: one line, exit 2
  for (const args of [['run', twice], ['run', plain, '--vs-url', 'http://127.0.0.1:10']]) {
    const r = await runCli(args, { cwd: dir })
    t.equal(r.status, 2, `${args.join(' ')}: exit 2`)
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line')
  }
})

t.test('--vs: what can be checked before anything starts is: the URL, its port', async (t) => {
  const dir = t.testdir({})
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { taken.close() })
  const port = (taken.address() as AddressInfo).port
  const started = join(dir, 'started')
  // a's command would leave a file behind: none may start
  const scenario = write(dir, 'vs.yml', ['target:', `  url: http://127.0.0.1:${await freePort()}`, `  command: touch ${started}`, 'urls: [/a]', 'requests: 1'])
  const plain = loadScenario(scenario, {}, () => {})
  await t.rejects(sidesFlags(plain, { vs: 'true', vsUrl: 'http://127.0.0.1:99999/' }), { message: '--vs-url: "http://127.0.0.1:99999/" is not a URL; expected a URL such as http://127.0.0.1:8000/' })
  await t.rejects(sidesFlags(plain, { vs: 'true', vsUrl: plain.target.url }), { message: `--vs-url ${plain.target.url}: the first target's own origin; the second target needs a port of its own` })
  const out = join(dir, 'results')
  for (const vsUrl of ['http://127.0.0.1:99999/', `http://127.0.0.1:${port}/`]) {
    const r = await runInProcess(['run', scenario, '--vs', 'true', '--vs-url', vsUrl, '--out', out])
    t.equal(r.status, 2, `--vs-url ${vsUrl}: exit 2`)
    t.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`)
  }
  const r = await runInProcess(['run', scenario, '--vs', 'true', '--vs-url', `http://127.0.0.1:${port}/`, '--out', out])
  t.match(r.stderr, new RegExp(`^memsiege: b: target\\.command: port ${port} \\(of target\\.url http://127\\.0\\.0\\.1:${port}/\\) is already in use by pid ${process.pid}`), 'the port taken is named, and by whom')
  t.notOk(existsSync(started), 'target a never started')
  t.notOk(existsSync(out), 'no results folder')
  const free = await freePort()
  const shared = write(dir, 'shared.yml', ['targets:', ...['a', 'b'].flatMap((name) => [`  - name: ${name}`, `    url: http://127.0.0.1:${free}`, `    command: touch ${started}`]), 'urls: [/a]', 'requests: 1'])
  const both = await runInProcess(['run', shared, '--out', out])
  t.same([both.status, both.stderr], [2, `memsiege: b: target.url http://127.0.0.1:${free}: port ${free} is target a's too; each target needs a port of its own\n`], 'targets: sharing a port')
  t.notOk(existsSync(started), 'neither started')
})

t.test('--vs: the leaking demo against its fixed build; the leaking one is named', async (t) => {
  const port = await freePort()
  const dir = t.testdir({})
  const scenario = write(dir, 'demo.yml', [
    'name: demo',
    'target:',
    `  url: http://127.0.0.1:${port}`,
    `  command: node dist/demo/server.js --port ${port}`,
    `  cwd: ${JSON.stringify(repoRoot)}`,
    '  ready: /stats',
    'urls: [/leak]',
    'concurrency: 2',
    // Enough for a dozen readings past the warm-up on an idle machine: 2,000 took 1 s there.
    'requests: 6000',
    'sample:',
    '  interval: 100ms',
    '  gc: { url: /__memsiege/gc, interval: 100ms }'
  ])
  const out = join(dir, 'results')
  const r = await runCli(['run', scenario, '--vs', 'node dist/demo/server.js --port $PORT --fixed', '--out', out], { cwd: dir, timeoutMs: 120_000 })
  t.equal(r.status, 0, r.stderr)
  for (const side of ['a', 'b']) {
    const summary = JSON.parse(readFileSync(join(out, side, 'summary.json'), 'utf8')) as { transactions: number; verdict?: unknown }
    t.equal(summary.transactions, 6000, `${side} got every request`)
    t.ok(summary.verdict, `${side} has its verdict`)
  }
  const analyzed = await runCli(['analyze', join(out, 'a')])
  t.match(analyzed.stdout, /./, '`memsiege analyze` reads a target\'s folder')
  const text = readFileSync(join(out, 'compare.txt'), 'utf8')
  t.equal(r.stdout.split('\nResults:')[0].trim(), text.trim(), 'stdout is compare.txt')
  const headline = text.split('\n\n')[1].split('\n')[0]
  t.match(headline, /^a: (leak|undecided \(inconclusive\)|not a leak \(\w+\)); b: [^,;]+, \S+ [\d.]+ \S+ less than a's; the difference is significant/, `the headline names a as the one that grows: ${headline}`)
  t.match(text, /the difference is significant \(b − a: −[\d.]+ KiB\/request, 95% interval .*; paired over requests [\d,]+ to [\d,]+, p [<=] /, 'a paired difference per series')
  const html = readFileSync(join(out, 'compare.html'), 'utf8')
  t.match(html, /paired on requests completed/, 'compare.html says how the difference was judged')
  t.match(html, /A a vs B b/, 'with both targets')
  // `memsiege compare` on the side-by-side folder pairs its targets again, as the run did
  const compared = await runCli(['compare', out, '--out', join(dir, 'again')], { cwd: dir })
  t.equal(compared.status, 0, compared.stderr)
  t.equal(compared.stdout.split('\nCompared:')[0].trim(), text.trim(), 'the same table and sentences as compare.txt')
  t.match(readFileSync(join(dir, 'again', 'compare.html'), 'utf8'), /paired on requests completed/, 'its compare.html is the paired one')
  for (const args of [['compare', out, join(out, 'a')], ['compare', join(out, 'a')]]) {
    const bad = await runCli(args, { cwd: dir })
    t.equal(bad.status, 2, `${args.join(' ')}: exit 2`)
    t.match(bad.stderr, /^memsiege: .*(holds a side-by-side run: compare it alone|compare needs two results folders or more, or one side-by-side folder)[^\n]*\n$/, 'one line saying what to give')
  }
})

t.test('a target killed mid-run is recorded, and the other goes on', async (t) => {
  const [pa, pb] = [await freePort(), await freePort()]
  const dir = t.testdir({})
  const pidFile = join(dir, 'b.pid')
  const scenario = write(dir, 'kill.yml', [
    'name: kill',
    'targets:',
    '  - name: a',
    `    url: http://127.0.0.1:${pa}`,
    `    command: node dist/demo/server.js --port ${pa}`,
    `    cwd: ${JSON.stringify(repoRoot)}`,
    '    ready: /stats',
    '  - name: b',
    `    url: http://127.0.0.1:${pb}`,
    `    command: echo $$ > ${pidFile}; exec node dist/demo/server.js --port ${pb}`,
    `    cwd: ${JSON.stringify(repoRoot)}`,
    '    ready: /stats',
    'urls: [/flat]',
    'concurrency: 2',
    'requests: 1500',
    'sample: { interval: 100ms }'
  ])
  const out = join(dir, 'results')
  const samples = join(out, 'b', 'samples.csv')
  const runP = runCli(['run', scenario, '--out', out], { cwd: dir, timeoutMs: 120_000 })
  // b has answered a few hundred requests: kill it
  await waitFor(() => existsSync(samples) && existsSync(pidFile) && lastRequests(samples) >= 300, 60_000, 'b under load')
  process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL')
  const r = await runP
  t.equal(r.status, 5, 'exit 5: a target exited during the run')
  t.match(r.stderr, /memsiege: b: target_exited: pid \d+/, 'said on stderr, naming the target')
  t.match(readFileSync(join(out, 'b', 'events.csv'), 'utf8'), /target_exited/, "in b's events.csv")
  const a = JSON.parse(readFileSync(join(out, 'a', 'summary.json'), 'utf8')) as { transactions: number }
  const b = JSON.parse(readFileSync(join(out, 'b', 'summary.json'), 'utf8')) as { transactions: number; events: unknown[] }
  t.equal(a.transactions, 1500, 'a got its whole budget')
  t.ok(b.transactions < 1500, `b stopped at its death (${b.transactions} transactions)`)
  t.equal(b.events.length, 1, "b's summary lists the event")
  t.ok(existsSync(join(out, 'compare.html')), 'compare.html is still written')
})

function lastRequests (csv: string): number {
  const lines = readFileSync(csv, 'utf8').trim().split('\n')
  const column = lines[0].split(',').indexOf('requests')
  return lines.length > 1 ? Number(lines[lines.length - 1].split(',')[column]) : 0
}
