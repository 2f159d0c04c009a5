import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { twoCulpritBound } from '../src/bisect/plan.js'
import { appScenario, readDoc, roles, runBisect, TRIAL_REQUESTS } from './helpers/bisect.js'
import { freePort } from './fixtures/sampler-helpers.js'

// Live, as test/bisect-node.test.ts: the fixture app started afresh for every trial.

const work = mkdtempSync(join(tmpdir(), 'memsiege-bisect-two-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

t.test('12 endpoints, two leak: both found', async (t) => {
  const out = join(work, 'two')
  const file = appScenario({ dir: work, name: 'two', port: await freePort(), endpoints: 12, leak: ['/api/e2', '/api/e9'] })
  const r = await runBisect([file, '--trial-requests', TRIAL_REQUESTS, '--out', out])
  const doc = readDoc(out)
  t.comment(`two culprits among 12: ${doc.trials.length} trials (bound ${twoCulpritBound(12)}): ${roles(doc)}`)
  t.equal(r.status, 0, r.stderr)
  t.same(doc.result?.culprits.map((c) => c.groups.join('+')).sort(), ['GET /api/e2', 'GET /api/e9'])
  t.ok(doc.result!.trials <= twoCulpritBound(12), `${doc.result!.trials} trials`)
  t.match(r.stdout, /culprit: GET \/api\/e2 .*\nculprit: GET \/api\/e9 |culprit: GET \/api\/e9 .*\nculprit: GET \/api\/e2 /)
})
