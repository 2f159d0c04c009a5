import t from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { sourceRun } from './helpers/source-run.js'
import { installed } from './helpers/installed.js'

const APP_DIR = join(repoRoot, 'test', 'fixtures', 'flask-source')
const flask = spawnSync('python3', ['-c', 'import flask']).status === 0
const skip = !installed('gunicorn') ? 'gunicorn is not installed (Debian: gunicorn)' : !flask ? 'Flask is not installed (Debian: python3-flask)' : false

t.test('a Flask app under gunicorn with lru_cache(maxsize=None) keyed on a query parameter: the line that builds what is cached', { skip }, async (t) => {
  const port = await freePort()
  const distinct = Array.from({ length: 1000 }, (_, i) => `/search?q=${i}`)
  const r = await sourceRun(t, { command: `gunicorn -w 1 -b 127.0.0.1:${port} --chdir ${APP_DIR} app:app`, port, ready: '/plain', urls: distinct, requests: 800 })
  t.equal(r.status, 0, r.stderr)
  t.equal(r.source?.runtime, 'python')
  t.equal(r.source?.sites[0]?.site, 'app.py:15', JSON.stringify(r.source))
  t.ok(r.source!.sites[0]!.count_per_1000_requests! > 900, `one string per request: ${r.source!.sites[0]!.count_per_1000_requests}`)
})

t.test('the same Flask app asked the same query each time: no site', { skip }, async (t) => {
  const port = await freePort()
  const r = await sourceRun(t, { command: `gunicorn -w 1 -b 127.0.0.1:${port} --chdir ${APP_DIR} app:app`, port, ready: '/plain', urls: ['/search?q=same', '/plain'], requests: 600 })
  t.equal(r.status, 0, r.stderr)
  t.same(r.source?.sites, [], JSON.stringify(r.source))
})
