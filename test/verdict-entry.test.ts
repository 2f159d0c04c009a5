import t from 'tap'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureVerdict } from '../src/report/verdict-source.js'
import { readSummary } from '../src/report/report-input.js'
import { appScenario, readDoc, TRIAL_REQUESTS } from './helpers/bisect.js'
import { runCli } from './helpers/cli.js'
import { freePort } from './fixtures/sampler-helpers.js'

// One verdict entry point: a run, a bisect trial, `report` and `analyze` give the same verdict of
// the same folder with the scenario's settings, and a trial is analysed (summary.json written) once.

const work = mkdtempSync(join(tmpdir(), 'memsiege-verdict-entry-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const COUNT_WRITES = fileURLToPath(new URL('./fixtures/count-writes.mjs', import.meta.url))

t.test("a bisect trial's verdict is made once, with the scenario's analysis settings; analyze and report agree", async (t) => {
  const out = join(work, 'bisect')
  const writes = join(work, 'writes.log')
  writeFileSync(writes, '')
  const file = appScenario({ dir: work, name: 'entry', port: await freePort(), endpoints: 2, leak: ['/api/e1'], extra: 'analysis:\n  warmup: 10%\n' })
  const r = await runCli(['bisect', file, '--trial-requests', TRIAL_REQUESTS, '--out', out], {
    timeoutMs: 280_000,
    env: { MEMSIEGE_TEST_WRITES: writes, NODE_OPTIONS: `--import ${COUNT_WRITES}` }
  })
  t.equal(r.status, 0, r.stderr)
  const doc = readDoc(out)
  t.ok(doc.trials.length >= 1)
  const written = readFileSync(writes, 'utf8').split('\n').filter((l) => l.endsWith('/summary.json'))
  for (const trial of doc.trials) {
    const dir = join(out, trial.dir)
    t.equal(written.filter((l) => l.endsWith(`/${trial.dir}/summary.json`)).length, 1, `${trial.dir}: summary.json written once`)
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
    t.equal(summary.verdict.settings.warmup, '10%', `${trial.dir}: the scenario's warm-up`)
    t.equal(summary.verdict.verdict, trial.verdict)
    const analyzed = await runCli(['analyze', dir, '--json'])
    t.same(JSON.parse(analyzed.stdout), summary.verdict, `${trial.dir}: analyze gives the stored verdict`)
    const read = readSummary(dir)
    delete read.summary.verdict
    t.same(ensureVerdict(read).verdict, summary.verdict, `${trial.dir}: report's own analysis gives it too`)
  }
})
