import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { oneCulpritBound } from '../src/bisect/plan.js'
import { PUMA_BISECT_DIR, readDoc, roles, runBisect, PUMA_TRIAL_REQUESTS } from './helpers/bisect.js'
import { freePort } from './fixtures/sampler-helpers.js'

// Live: a Rack app on puma (test/fixtures/puma-bisect/config.ru), one endpoint of four leaking,
// a fresh puma per trial from target.command.

function which (cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

if (!which('puma') || !which('ruby')) {
  t.plan(0, 'puma (and ruby) not installed: apt-get install puma ruby-rack')
} else {
  const work = mkdtempSync(join(tmpdir(), 'memsiege-bisect-puma-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))

  t.test('puma, 4 endpoints, one leaks: found, puma restarted for every trial', async (t) => {
    const port = await freePort()
    const out = join(work, 'out')
    const file = join(work, 'puma.yml')
    writeFileSync(file, `name: puma-bisect
target:
  url: http://127.0.0.1:${port}
  command: puma -b tcp://127.0.0.1:${port} -t 4:4 config.ru
  cwd: ${JSON.stringify(PUMA_BISECT_DIR)}
  env: { RACK_ENV: production, BISECT_LEAK: /api/e2 }
  ready: /api/e0
urls: [/api/e0, /api/e1, /api/e2, /api/e3]
concurrency: 4
sample: { interval: 100ms }
`)
    const r = await runBisect([file, '--trial-requests', PUMA_TRIAL_REQUESTS, '--out', out])
    const doc = readDoc(out)
    t.comment(`puma, one culprit among 4: ${doc.trials.length} trials (bound ${oneCulpritBound(4)}): ${roles(doc)}`)
    t.equal(r.status, 0, r.stderr)
    t.same(doc.result?.culprits.map((c) => [c.kind, c.groups]), [['single', ['GET /api/e2']]])
    t.ok(doc.result!.trials <= oneCulpritBound(4), `${doc.result!.trials} trials`)
    const pids = new Set<string>()
    for (const trial of doc.trials) {
      const log = readFileSync(join(out, trial.dir, 'target.log'), 'utf8')
      const pid = /PID: (\d+)/.exec(log)?.[1]
      t.ok(pid, `${trial.dir}: puma started (${pid})`)
      if (pid) pids.add(pid)
    }
    t.equal(pids.size, doc.trials.length, 'a new puma for every trial')
  })
}
