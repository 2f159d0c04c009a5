// target.restartWhen: memsiege restarts a target it started, as an operator would, and the run
// (or watch) goes on; a target that keeps needing restarts stops it with a clear message.
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './helpers/cli.js'
import { readSummary } from './helpers/watch.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'

t.test('run: a leaking target restarted each time its RSS passes rssAbove; segments split the verdict; the report shows each restart', async (t) => {
  const port = await freePort()
  const dir = t.testdir()
  writeFileSync(join(dir, 's.yml'), [
    'target:',
    `  url: http://127.0.0.1:${port}`,
    `  command: node dist/demo/server.js --port ${port}`,
    `  cwd: ${JSON.stringify(repoRoot)}`,
    '  ready: /stats',
    // The demo keeps 10 KB per /leak and starts at 50-75 MiB: each process lives some 8,000
    // requests, over 2 s even at a fast machine's 3,500 requests/s, rows enough for a segment.
    // (At 80 MB a process started at 72 MiB lived 800 requests, one row: no segment.)
    '  restartWhen: { rssAbove: 150MB, maxRestarts: 10 }',
    'urls:',
    '  - /leak',
    'concurrency: 4',
    // two or three restarts, and thousands of requests after the last
    'requests: 20000',
    'sample:',
    '  interval: 100ms',
  ].join('\n') + '\n')
  const out = join(dir, 'out')
  const r = await runCli(['run', join(dir, 's.yml'), '--out', out, '--report', '-q'], { timeoutMs: 180_000 })
  t.equal(r.status, 0, `the run goes on and ends as usual: ${r.stderr}`)
  const restarts = readFileSync(join(out, 'events.csv'), 'utf8').split('\n').filter((l) => l.includes('target_restarted'))
  t.ok(restarts.length >= 1, `restarted at least once: ${restarts.length}`)
  t.match(restarts[0], /restartWhen\.rssAbove: RSS [\d.]+ MiB above 150 MiB; replaces pid \d+/)
  const summary = readSummary(out)
  // a process restarted just before the end may have too few rows to make a segment
  t.ok(summary.verdict.segments >= 2 && summary.verdict.segments <= restarts.length + 1, `a segment per process: ${summary.verdict.segments}`)
  t.match(summary.verdict.notes.join('\n'), /the target restarted: \d+ segments/)
  t.equal(summary.events.length, restarts.length)
  const html = readFileSync(join(out, 'report.html'), 'utf8')
  t.equal(html.split('<td>target_restarted</td>').length - 1, restarts.length, 'the report lists each restart')
  t.match(html, /restartWhen\.rssAbove/)
})

t.test('watch: a target that keeps exiting is restarted until the restart loop stops the watch', async (t) => {
  const dir = t.testdir()
  writeFileSync(join(dir, 's.yml'), [
    'target:',
    `  command: ${process.execPath} -e "setTimeout(() => process.exit(3), 300)"`,
    '  restartWhen: { exited: true, maxRestarts: 2, within: 1m }',
    // it lives too short for the GC probe to answer once
    '  probe: none',
    // no urls: a watch sends no load, so its scenario needs none
    'sample:',
    '  interval: 50ms',
  ].join('\n') + '\n')
  const out = join(dir, 'out')
  const r = await runCli(['watch', join(dir, 's.yml'), '--out', out], { timeoutMs: 60_000 })
  t.equal(r.status, 5, r.stderr)
  t.match(r.stderr, /memsiege: restart loop: the target needed a restart 3 times within 1 min \(target\.restartWhen allows 2\); stopping/)
  const events = readFileSync(join(out, 'events.csv'), 'utf8')
  t.equal(events.split('target_restarted').length - 1, 2, 'two restarts')
  // each exit, also one the restart saw before a row did (RestartKeeper reports it first)
  t.equal(events.split('target_exited').length - 1, 3, 'three exits')
  t.match(events, /restartWhen\.exited: it exited with code 3/)
  const summary = readSummary(out)
  t.match(summary.stopped_because, /^restart loop: /)
  t.match(r.stdout, /Restarts:\t2\nStopped:\trestart loop/)
  const run = await runCli(['run', join(dir, 's.yml'), '--out', join(dir, 'run')])
  t.equal(run.status, 2, 'a run of the same scenario needs its urls')
  t.match(run.stderr, /missing required key "?urls"?/)
})

t.test('restartWhen is checked like the rest of the scenario', async (t) => {
  const dir = t.testdir({
    'a.yml': 'target:\n  pid: 1\n  restartWhen: { exited: true }\nurls: [ "http://127.0.0.1:9/" ]\n',
    'b.yml': 'target:\n  command: "true"\n  restartWhen: { rssAbove: lots }\nurls: [ "http://127.0.0.1:9/" ]\n'
  })
  const a = await runCli(['run', join(dir, 'a.yml')])
  t.equal(a.status, 2)
  t.match(a.stderr, /a\.yml:3:\d+: target\.restartWhen .*command/)
  const b = await runCli(['run', join(dir, 'b.yml')])
  t.equal(b.status, 2)
  t.match(b.stderr, /b\.yml:3:\d+: target\.restartWhen\.rssAbove: .*bad size "lots"/)
})
