import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appScenario, readDoc, roles, runBisect, TRIAL_REQUESTS } from './helpers/bisect.js'
import { freePort } from './fixtures/sampler-helpers.js'

// Live, as test/bisect-node.test.ts: the fixture app started afresh for every trial.

const work = mkdtempSync(join(tmpdir(), 'memsiege-bisect-pair-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

t.test('a leak that needs two endpoints together: reported as an interaction', async (t) => {
  // /api/e1 fills a capped list (alone: a plateau); /api/e2 makes its contents permanent (alone: nothing to keep).
  const out = join(work, 'pair')
  const file = appScenario({ dir: work, name: 'pair', port: await freePort(), endpoints: 4, fill: ['/api/e1'], pin: ['/api/e2'] })
  const r = await runBisect([file, '--trial-requests', TRIAL_REQUESTS, '--out', out])
  const doc = readDoc(out)
  t.comment(`interaction among 4: ${doc.trials.length} trials: ${roles(doc)}`)
  t.equal(r.status, 0, r.stderr)
  t.same(doc.result?.culprits.map((c) => [c.kind, c.groups]), [['interaction', ['GET /api/e1', 'GET /api/e2']]])
  t.match(r.stdout, /^interaction: GET \/api\/e1 \+ GET \/api\/e2 leak only together/)
})
