import t, { type Test } from 'tap'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, runInProcess, type CliResult } from './helpers/cli.js'
import { realRun } from './helpers/report.js'

// Damaged results folders of every kind: `report`, `compare` and `analyze` say in one line which
// file is wrong and what is wrong with it (exit 2), or carry on (exit 0) — never a JavaScript
// TypeError, never a stack trace, in an error or in a warning.

const work = mkdtempSync(join(tmpdir(), 'memsiege-damaged-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

type Json = Record<string, any>
interface Damage { name: string; damage: (dir: string) => void }

const summaryOf = (dir: string): Json => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
const rewrite = (dir: string, change: (s: Json) => unknown): void => {
  const s = summaryOf(dir)
  const out = change(s)
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(out === undefined ? s : out))
}
const file = (name: string, text: string) => (dir: string) => writeFileSync(join(dir, name), text)
const folder = (name: string) => (dir: string) => {
  rmSync(join(dir, name), { force: true })
  mkdirSync(join(dir, name))
}

const pipe = (name: string) => (dir: string) => {
  rmSync(join(dir, name), { force: true })
  execFileSync('mkfifo', [join(dir, name)])
}
/** The file with data rows `n` and `n` + 1 (lines `n` + 1 and `n` + 2) swapped. */
const swapRows = (text: string, n: number): string => {
  const lines = text.split('\n')
  ;[lines[n], lines[n + 1]] = [lines[n + 1], lines[n]]
  return lines.join('\n')
}

function clean (t: Test, what: string, r: CliResult): void {
  t.notMatch(r.stderr + r.stdout, /TypeError|ReferenceError|Cannot read prop|undefined is not|\n\s+at \S+ \(/, `${what}: no JavaScript error`)
  if (r.status === 1) {
    // a file that can't be written (report.html is a folder): a run-time failure, named
    t.match(r.stderr, /^memsiege: error: cannot write \S+: [^\n]+\n$/, `${what}: exit 1 names the file it can't write`)
    return
  }
  t.ok(r.status === 0 || r.status === 2 || r.status === 4, `${what}: exit ${r.status} (0, 2 or 4)`)
  if (r.status === 2) {
    t.match(r.stderr, /^memsiege: [^\n]+\n$/, `${what}: one line`)
  }
}

// About 80 short commands, run in this process (the CLI's own command line, without a Node
// process and its module loading for each); a few through the built CLI, which must say the same.
t.setTimeout(600_000)

t.test('damaged results folders', async (t) => {
  const base = join(work, 'base')
  const run = await realRun(base, { path: '/leak', requests: 600, name: 'damaged' })
  t.equal(run.status, 0, run.stderr)
  const summary = summaryOf(base)
  t.ok(summary.verdict, 'the run has a verdict')

  const damages: Damage[] = [
    { name: 'summary.json empty', damage: file('summary.json', '') },
    { name: 'summary.json blank', damage: file('summary.json', ' \n') },
    { name: 'summary.json cut short', damage: (d) => file('summary.json', readFileSync(join(d, 'summary.json'), 'utf8').slice(0, 200))(d) },
    { name: 'summary.json null', damage: file('summary.json', 'null') },
    { name: 'summary.json a list', damage: file('summary.json', '[]') },
    { name: 'summary.json a string', damage: file('summary.json', '"x"') },
    { name: 'summary.json binary', damage: (d) => writeFileSync(join(d, 'summary.json'), Buffer.from([0, 0xff, 0xfe, 1, 2])) },
    { name: 'summary.json a folder', damage: folder('summary.json') },
    { name: 'summary.json missing', damage: (d) => rmSync(join(d, 'summary.json')) },
    { name: 'latency.p50_ms a string', damage: (d) => rewrite(d, (s) => { s.latency.p50_ms = '1' }) },
    { name: 'latency missing', damage: (d) => rewrite(d, (s) => { delete s.latency }) },
    { name: 'config null', damage: (d) => rewrite(d, (s) => { s.config = null }) },
    { name: 'config.stop a number', damage: (d) => rewrite(d, (s) => { s.config.stop = 3 }) },
    { name: 'config.analysis a string', damage: (d) => rewrite(d, (s) => { s.config.analysis = 'auto' }) },
    { name: 'config.analysis bad warm-up', damage: (d) => rewrite(d, (s) => { s.config.analysis = { warmup: 'whenever' } }) },
    { name: 'endpoints an object', damage: (d) => rewrite(d, (s) => { s.endpoints = {} }) },
    { name: 'an endpoint without latency', damage: (d) => rewrite(d, (s) => { s.endpoints = [{ endpoint: '/x', transactions: 1, failed: 0 }] }) },
    { name: 'events of nothing', damage: (d) => rewrite(d, (s) => { s.events = [{}] }) },
    { name: 'verdict empty', damage: (d) => rewrite(d, (s) => { s.verdict = {} }) },
    { name: 'verdict.metrics null', damage: (d) => rewrite(d, (s) => { s.verdict.metrics = null }) },
    { name: 'a metric without segments', damage: (d) => rewrite(d, (s) => { delete s.verdict.metrics[0].segments }) },
    { name: 'a segment without floor', damage: (d) => rewrite(d, (s) => { delete s.verdict.metrics[0].segments[0].floor }) },
    { name: 'a segment fit of strings', damage: (d) => rewrite(d, (s) => { s.verdict.metrics[0].segments[0].fit = { intercept: 'a', slope_per_request: 'b' } }) },
    { name: 'verdict removed (analysed again)', damage: (d) => rewrite(d, (s) => { delete s.verdict }) },
    { name: 'samples.csv missing', damage: (d) => rmSync(join(d, 'samples.csv')) },
    { name: 'samples.csv empty', damage: file('samples.csv', '') },
    { name: 'samples.csv header only', damage: (d) => file('samples.csv', readFileSync(join(d, 'samples.csv'), 'utf8').split('\n')[0] + '\n')(d) },
    { name: 'samples.csv of another tool', damage: file('samples.csv', 'a,b\n1,2\n') },
    { name: 'samples.csv binary', damage: (d) => writeFileSync(join(d, 'samples.csv'), Buffer.from([0, 1, 2, 0xff, 10, 0, 0])) },
    { name: 'samples.csv with words in cells', damage: (d) => file('samples.csv', readFileSync(join(d, 'samples.csv'), 'utf8').replace(/\n([^,\n]*),[^,\n]*,/, '\n$1,abc,'))(d) },
    { name: 'samples.csv last row cut short', damage: (d) => file('samples.csv', readFileSync(join(d, 'samples.csv'), 'utf8').slice(0, -7))(d) },
    { name: 'samples.csv a folder', damage: folder('samples.csv') },
    { name: 'events.csv garbage', damage: file('events.csv', 'garbage\n\x00\x01,,,\n') },
    { name: 'events.csv empty', damage: file('events.csv', '') },
    { name: 'events.csv a folder', damage: folder('events.csv') },
    { name: 'report.html a folder', damage: folder('report.html') },
    // opening a named pipe waits for a writer: these hung until killed
    { name: 'samples.csv a named pipe', damage: pipe('samples.csv') },
    { name: 'summary.json a named pipe', damage: pipe('summary.json') },
    { name: 'events.csv a named pipe', damage: pipe('events.csv') },
    // time running backwards turned a leak into INCONCLUSIVE without a word
    { name: 'samples.csv rows out of order', damage: (d) => file('samples.csv', swapRows(readFileSync(join(d, 'samples.csv'), 'utf8'), 4))(d) }
  ]
  const throughCli = new Set(['summary.json cut short', 'samples.csv binary', 'report.html a folder'])
  const compareToo = new Set(['summary.json empty', 'latency missing', 'a segment without floor', 'verdict removed (analysed again)', 'samples.csv binary', 'events.csv a folder'])
  for (const { name, damage } of damages) {
    const dir = join(work, name.replace(/\W+/g, '-'))
    cpSync(base, dir, { recursive: true })
    damage(dir)
    const report = await runInProcess(['report', dir])
    const analyzed = await runInProcess(['analyze', dir])
    clean(t, `${name}: report`, report)
    if (throughCli.has(name)) {
      const cli = join(work, `${name.replace(/\W+/g, '-')}-cli`)
      cpSync(base, cli, { recursive: true })
      damage(cli)
      const [viaCli, analyzedViaCli] = await Promise.all([runCli(['report', cli], { timeoutMs: 60_000 }), runCli(['analyze', cli], { timeoutMs: 60_000 })])
      // The same but for the folder's name and a temporary file's process id.
      const said = (r: CliResult, folder: string) => [r.status, r.stderr.replaceAll(folder, 'DIR').replace(/\.\d+\.tmp\b/g, '.PID.tmp')]
      t.same(said(viaCli, cli), said(report, dir), `${name}: the built CLI's report says the same`)
      t.same(said(analyzedViaCli, cli), said(analyzed, dir), `${name}: the built CLI's analyze says the same`)
    }
    if (compareToo.has(name)) {
      // compare reads a folder as report does: the same refusals, the same lines
      const compared = await runInProcess(['compare', base, dir, '--out', join(dir, 'cmp')])
      clean(t, `${name}: compare`, compared)
      t.equal(compared.status, report.status, `${name}: compare as report`)
      if (report.status === 2) t.equal(compared.stderr, report.stderr, `${name}: the same line`)
    }
    clean(t, `${name}: analyze`, analyzed)
    if (/^summary\.json (?!missing)/.test(name)) {
      t.equal(report.status, 2, `${name}: report refuses it`)
      t.match(report.stderr, `${dir}/summary.json: `, `${name}: report names the file`)
      t.equal(analyzed.status, 0, `${name}: analyze reads samples.csv all the same`)
      t.match(analyzed.stderr, `${dir}/summary.json: `, `${name}: and warns naming the file`)
    }
    if (/^samples\.csv/.test(name) && !/cut short|words|header only/.test(name)) {
      t.equal(analyzed.status, 2, `${name}: analyze refuses it`)
      t.match(analyzed.stderr, /samples\.csv/, `${name}: naming the file`)
    }
    if (/^(samples|events)\.csv a (folder|named pipe)|out of order/.test(name)) {
      // report shows no events.csv, but what analyze refuses, report refuses: one answer for one folder
      t.same([report.status, analyzed.status], [2, 2], `${name}: report and analyze refuse it alike`)
      t.match(report.stderr, name.split(' ')[0], `${name}: report names the file`)
    }
    if (/named pipe/.test(name)) t.match(analyzed.stderr + report.stderr, 'a named pipe, not a file', `${name}: said for what it is`)
    if (name === 'samples.csv rows out of order') {
      const line = `${dir}/samples.csv:6: elapsed_s goes back`
      t.match(analyzed.stderr, line, 'analyze names the line where time goes back')
      t.match(report.stderr, line, 'and so does report')
    }
  }
})
