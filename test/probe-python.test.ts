import t from 'tap'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { portBeforeATakenOne, probePids, probeRun } from './helpers/probe-run.js'

const APP_DIR = join(repoRoot, 'test', 'fixtures', 'python-wsgi')

function missing (program: string): string | false {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' })
    return false
  } catch {
    return `${program} is not installed`
  }
}

t.test('a wsgiref app with no probe code: allocated blocks, GC generations and threads from sitecustomize', { skip: missing('python3') }, async (t) => {
  const port = await freePort()
  const r = await probeRun(t, { command: `python3 ${join(APP_DIR, 'app.py')} ${port}`, port, urls: ['/keep'], requests: 400 })
  t.equal(r.status, 0, r.stderr)
  const first = probePids(r.log).get('first')
  for (const name of ['gc.allocated_blocks', 'gc.gc_count.0', 'gc.gc_stats.2.collections', 'gc.threads']) t.ok(r.header.includes(name), name)
  t.ok(r.rows.every((row) => row['gc.pid'] === String(first) && row.gc_errors === '0'), 'the app answered every fetch')
  t.equal(r.summary.columns?.['gc.allocated_blocks']?.role, 'heap-live')
  t.equal(r.summary.columns?.['gc.gc_stats.2.collections']?.role, 'major-gc-count')
  const blocks = r.rows.map((row) => Number(row['gc.allocated_blocks']))
  // about 11 blocks a request are kept; the margin absorbs what the server itself allocates and frees
  t.ok(blocks.at(-1)! - blocks[0]! >= 1000, `the kept tuples are live blocks: ${blocks[0]} → ${blocks.at(-1)}`)
})

t.test('gunicorn with two workers: each gets a probe even when base + its number is taken; the arbiter forwards to worker 1', { skip: missing('gunicorn') }, async (t) => {
  const port = await freePort()
  // Anything on the machine may hold a worker's port: here, worker 1's.
  const base = await portBeforeATakenOne(t, [port])
  const r = await probeRun(t, { command: `gunicorn -w 2 -b 127.0.0.1:${port} --chdir ${APP_DIR} app:app`, port, urls: ['/keep'], requests: 300, targetExtra: [`  env: { MEMSIEGE_PROBE_PORT: "${base}" }`] })
  t.equal(r.status, 0, r.stderr)
  t.notMatch(r.log, 'cannot listen', 'no process went without the probe')
  const pids = probePids(r.log)
  t.ok(pids.has('worker 1') && pids.has('worker 2'), r.log)
  const worker1 = r.log.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\S* \(worker 1,/)
  t.ok(worker1 && Number(worker1[1]) !== base + 1, `worker 1 listens elsewhere than the taken ${base + 1}: ${worker1?.[1]}`)
  t.ok(r.rows.length > 0 && r.rows.every((row) => row['gc.pid'] === String(pids.get('worker 1')) && row['gc.worker'] === '1'), 'worker 1 answered every fetch')
})
