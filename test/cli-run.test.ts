import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHttpFixture } from './fixtures/http-fixture.js'
import { runCli, runInProcess } from './helpers/cli.js'

const fixture = await startHttpFixture()
t.teardown(() => fixture.close())
t.beforeEach(() => { fixture.requests.length = 0 })

t.test('memsiege run SCENARIO.yml: a results folder with the summary, samples, and copies of the inputs', async (t) => {
  const dir = t.testdir({
    'app.yml': `name: app\ntarget:\n  url: ${fixture.url}\nurls: urls.txt\nconcurrency: 2\npasses: 3\nmethodOverride: true\n`,
    'urls.txt': '/api/items?id=1\n/api/items POST a=1\n'
  })
  const r = await runCli(['run', 'app.yml'], { cwd: dir })
  t.equal(r.status, 0, r.stderr)
  t.equal(fixture.requests.length, 12)
  t.ok(fixture.requests.every((q) => q.method === 'POST'))
  t.equal(fixture.requests.filter((q) => q.headers['x-method'] === 'GET').length, 6)
  const runs = readdirSync(join(dir, 'results'))
  t.equal(runs.length, 1)
  t.match(runs[0], /^\d{8}T\d{6}Z-app$/)
  const folder = join(dir, 'results', runs[0])
  t.same(readdirSync(folder).sort(), ['app.yml', 'samples.csv', 'summary.json', 'urls.txt'])
  const summary = JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8'))
  t.equal(summary.transactions, 12)
  t.same(summary.config.methodOverride, { header: 'X-Method' })
})

t.test('flags override the scenario: --concurrency, --requests, --out, --json', async (t) => {
  const dir = t.testdir({ 'app.yml': `target:\n  url: ${fixture.url}\nurls: ["/a", "/b"]\nduration: 1h\n` })
  const r = await runCli(['run', join(dir, 'app.yml'), '--concurrency', '3', '--requests', '9', '--out', join(dir, 'out'), '--json'])
  t.equal(r.status, 0, r.stderr)
  const summary = JSON.parse(r.stdout)
  t.equal(summary.transactions, 9)
  t.equal(summary.config.concurrency, 3)
  t.equal(summary.results_dir, join(dir, 'out'))
})

t.test('bad scenarios: one line with file:line:column, exit 2', async (t) => {
  const dir = t.testdir({
    'typo.yml': `target:\n  url: ${fixture.url}\nurls: ["/a"]\nconcurency: 3\n`,
    'malformed.yml': 'urls: [/a\nconcurrency: 3\n',
    'duration.yml': `target:\n  url: ${fixture.url}\nurls: ["/a"]\nduration: 10x\n`,
    'missing.yml': `target:\n  url: ${fixture.url}\nurls: nope.txt\n`,
    'badbody.yml': `target:\n  url: ${fixture.url}\nurls: list.txt\n`,
    'list.txt': '/a POST <absent.json\n',
    'scheme.yml': 'target:\n  url: ftp://127.0.0.1/\nurls: ["/a"]\n',
    'conflict.yml': `target:\n  url: ${fixture.url}\nurls: ["/a"]\nduration: 1m\nrequests: 10\n`
  })
  const cases: Array<[string, RegExp]> = [
    ['typo.yml', /typo\.yml:4:1: unknown key "concurency" \(did you mean "concurrency"\?\)/],
    ['malformed.yml', /malformed\.yml:\d+:\d+: YAML syntax error/],
    ['duration.yml', /duration\.yml:4:\d+: duration: bad duration "10x"/],
    ['missing.yml', /missing\.yml:3:\d+: urls: URL file not found: "nope\.txt"/],
    ['badbody.yml', /list\.txt:1: .*absent\.json/],
    ['scheme.yml', /scheme\.yml:2:\d+: target\.url: unsupported scheme "ftp"/],
    ['conflict.yml', /conflict\.yml:\d+:\d+: conflicting stop conditions: duration and requests/]
  ]
  for (const [i, [file, message]] of cases.entries()) {
    // The first through the built CLI, in the folder of the scenario; the rest in-process (a Node
    // process less each), their results folder named where the first's would be.
    const r = i === 0 ? await runCli(['run', file], { cwd: dir }) : await runInProcess(['run', join(dir, file), '--out', join(dir, 'results')])
    t.equal(r.status, 2, file)
    t.match(r.stderr, message, file)
    t.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
  }
  t.equal(fixture.requests.length, 0)
  t.notOk(readdirSync(dir).includes('results'), 'no results folder for a run that never started')
})
