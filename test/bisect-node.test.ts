import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { oneCulpritBound } from '../src/bisect/plan.js'
import { appScenario, readDoc, roles, runBisect, TRIAL_REQUESTS } from './helpers/bisect.js'
import { freePort } from './fixtures/sampler-helpers.js'

// Live: test/fixtures/bisect-app.mjs started afresh by memsiege for every trial (target.command),
// trials of 4,000 requests at 4 users, verdicts by the analysis on RSS. Each case prints its trial count.

const work = mkdtempSync(join(tmpdir(), 'memsiege-bisect-node-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

t.test('a target that memsiege cannot restart: one line, exit 2', async (t) => {
  const file = join(work, 'fixed.yml')
  writeFileSync(file, 'target: { url: "http://127.0.0.1:9", port: 9 }\nurls: [/a, /b]\n')
  const r = await runBisect([file], { timeoutMs: 20_000 })
  t.equal(r.status, 2)
  t.equal(r.stderr, 'memsiege: bisect needs a target it can restart for every trial: target.command (memsiege starts a fresh one per trial), or target.restart with target.port\n')
  const both = await runBisect([file, '--trial', '3m', '--trial-requests', '5'], { timeoutMs: 20_000 })
  t.equal(both.status, 2)
  t.match(both.stderr, /^memsiege: .*only one of --trial and --trial-requests/)
})

t.test('12 endpoints, one leaks: found within ⌈log₂ 12⌉ + 2 trials', async (t) => {
  const out = join(work, 'one')
  const file = appScenario({ dir: work, name: 'one', port: await freePort(), endpoints: 12, leak: ['/api/e9'] })
  // Sized in requests: the leak is a twelfth of the control's traffic, and 4 s on a busy machine can
  // be too few requests to see it. A fresh Node process's RSS warm-up (about 3 MiB over its first
  // 4,000 requests) makes the control extend; the baseline then runs as long, so the warm-up cancels.
  const r = await runBisect([file, '--trial-requests', '4000', '--out', out])
  const doc = readDoc(out)
  t.comment(`one culprit among 12: ${doc.trials.length} trials (bound ${oneCulpritBound(12)}): ${roles(doc)}`)
  t.equal(r.status, 0, r.stderr)
  t.equal(doc.status, 'done')
  t.same(doc.result?.culprits.map((c) => [c.kind, c.groups]), [['single', ['GET /api/e9']]])
  t.ok(doc.result!.trials <= oneCulpritBound(12), `${doc.result!.trials} trials`)
  t.match(r.stdout, /^culprit: GET \/api\/e9 \(\+[\d.]+ [KM]iB\/request \(.* … .*, 95%\) (alone|by difference), above the baseline; .*\/hour \(.*\) in the whole list's mix; \d+% \(\d+% … \d+%\) of the control's growth\)\n/)
  t.match(r.stdout, new RegExp(`\\n${doc.result!.trials} trials for 12 groups \\(one culprit: at most 6; two: at most 11; cap 12\\)\\n`))
  t.match(r.stdout, `Results:\t${out}\n`)

  // The live view: a line per trial started and ended, with verdicts and the count left.
  t.match(r.stderr, /^memsiege bisect: 12 groups, trials of 4,000 requests \(extended up to 16,000 requests while undecided\) at concurrency 4, at most 12 trials \(room for two culprits, 11, and one to spare\), into /)
  t.match(r.stderr, /\n {2}#1 control: GET \/api\/e0, GET \/api\/e1, GET \/api\/e2 and 9 more \(12 groups\), 4,000 requests: running; about 5 more after it\n/)
  // The control may stay inconclusive on a fresh process's warm-up and the search still goes on (and finds e9).
  t.match(r.stderr, /\n {2}#1 control: (leak|inconclusive), \+[\d.]+ [KM]iB\/request \([\d,]+ requests in [\d.]+ s(, extended \d×)?\); about \d more\n/)
  t.match(r.stderr, /\nmemsiege bisect: done after \d trials\n$/)

  // Every trial is a complete run folder, analysed.
  for (const trial of doc.trials) {
    const dir = join(out, trial.dir)
    t.ok(existsSync(join(dir, 'samples.csv')), `${trial.dir}/samples.csv`)
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
    t.equal(summary.verdict?.verdict, trial.verdict, `${trial.dir}: verdict stored in summary.json`)
    t.equal(summary.endpoints.length, trial.groups.length, `${trial.dir}: only its groups were sent`)
    t.ok(existsSync(join(dir, 'target.log')), `${trial.dir}: a target of its own`)
  }
  t.equal(doc.trials[0]!.role, 'control')
  t.same(doc.tree?.groups.length, 12)
  t.equal(doc.tree?.state, 'leak')
  const html = readFileSync(join(out, 'bisect.html'), 'utf8')
  t.match(html, /culprit: GET \/api\/e9/)
  t.equal(html.match(/<img alt="[^"]*" src="data:image\/svg\+xml;base64,/g)?.length, doc.trials.length, 'a chart per trial')
})

t.test('nothing leaks: the control says so and the bisect stops', async (t) => {
  const out = join(work, 'none')
  const file = appScenario({ dir: work, name: 'none', port: await freePort(), endpoints: 12 })
  const r = await runBisect([file, '--trial-requests', TRIAL_REQUESTS, '--out', out, '--json'])
  const doc = readDoc(out)
  t.comment(`no culprit: ${doc.trials.length} trials: ${roles(doc)}`)
  t.equal(r.status, 0, r.stderr)
  t.same(JSON.parse(r.stdout), doc, '--json: bisect.json on stdout')
  t.equal(doc.result?.outcome, 'no-leak')
  t.ok(doc.trials.length <= 2, 'the control, and the baseline if the control grew')
  t.match(doc.result?.message, /^no leak reproduced in (4,000|8,000|16,000) requests: the control \(the whole list\) (was (flat|plateau|settling|inconclusive)|grew no faster than the baseline GET \/api\/e\d+); raise --trial-requests to look longer\n/)

  const again = await runBisect([file, '--trial-requests', TRIAL_REQUESTS, '--out', out], { timeoutMs: 20_000 })
  t.equal(again.status, 2)
  t.equal(again.stderr, `memsiege: --out ${out} already holds a bisect: carry it on with --resume ${out}, or give another folder\n`)
})
