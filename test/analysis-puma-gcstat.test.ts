/**
 * Live: puma whose GC endpoint is the hand-made kind, plain `GC.stat.to_json` (top-level keys,
 * columns gc.old_objects, gc.major_gc_count…). Its old generation must decide, with floors
 * between its major GCs, exactly as the probe's gc.stat.* shape does; summary.json records
 * what each column meant; `memsiege analyze` says what it recognised as what, also on a folder
 * whose summary.json predates the record.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './helpers/cli.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'

function which (cmd: string): boolean {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() !== ''
  } catch {
    return false
  }
}

if (!which('puma') || !which('ruby')) {
  t.plan(0, 'puma (and ruby) not installed: apt-get install puma ruby-rack')
} else {
  t.test('puma with a plain GC.stat endpoint: old_objects decides', async (t) => {
    const dir = t.testdir()
    const port = await freePort()
    const scenario = join(dir, 'puma.yml')
    writeFileSync(scenario, `name: puma-gcstat
target:
  url: http://127.0.0.1:${port}
  command: puma -b tcp://127.0.0.1:${port} -t 4:4 config.ru
  cwd: ${JSON.stringify(join(repoRoot, 'test/fixtures/puma-app'))}
  ready: /flat
urls: [/flat]
concurrency: 4
requests: 3000
sample: { interval: 100ms, gc: { url: /gc-stat, interval: 100ms } }
`)
    const out = join(dir, 'out')
    const run = await runCli(['run', scenario, '--out', out], { timeoutMs: 120_000 })
    t.equal(run.status, 0, run.stderr)
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    t.same(summary.columns['gc.old_objects'], { runtime: 'ruby', role: 'old-generation', unit: 'objects', source: 'Ruby GC.stat' }, 'the sampler declared the column')
    t.same(summary.columns.rss_anon_bytes, { runtime: 'os', role: 'rss', unit: 'bytes', source: '/proc' })
    const v = summary.verdict
    t.ok(v.deciding.includes('gc.old_objects'), `deciding: ${v.deciding.join(', ')}`)
    const old = v.metrics.find((m: { metric: string }) => m.metric === 'gc.old_objects')
    t.equal(old.unit, 'objects')
    t.equal(old.role, 'old-generation', 'the registry\'s role')
    t.equal(typeof old.segments[0].major_gcs, 'number', 'floors between gc.major_gc_count steps')
    t.notMatch(v.hint, /add the probe/, 'the GC figures were found')
    t.match(run.stdout, /Recognised: old generation: gc\.old_objects \(Ruby GC\.stat\); major GCs: gc\.major_gc_count \(Ruby GC\.stat\)/)

    // A folder from before summary.json recorded the meanings: recognised by name, same choice.
    delete summary.columns
    writeFileSync(join(out, 'summary.json'), JSON.stringify(summary))
    const analyzed = await runCli(['analyze', out, '--json'])
    t.equal(analyzed.status, 0, analyzed.stderr)
    t.same(JSON.parse(analyzed.stdout).deciding, v.deciding)
    const text = await runCli(['analyze', out])
    t.match(text.stdout, /old generation: gc\.old_objects \(Ruby GC\.stat\)/)
  })
}
