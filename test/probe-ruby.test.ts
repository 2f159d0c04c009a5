import t from 'tap'
import { join } from 'node:path'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { portBeforeATakenOne, probePids, probeRun } from './helpers/probe-run.js'

const APP = join(repoRoot, 'test', 'fixtures', 'puma-plain', 'config.ru')

t.test('puma, single mode, an app with no probe code: GC.stat columns from the injected probe', async (t) => {
  const port = await freePort()
  const r = await probeRun(t, { command: `puma -b tcp://127.0.0.1:${port} -t 2:2 ${APP}`, port, ready: '/flat', urls: ['/keep'], requests: 200 })
  t.equal(r.status, 0, r.stderr)
  const first = probePids(r.log).get('first')
  t.ok(first, r.log)
  for (const name of ['gc.stat.old_objects', 'gc.stat.heap_live_slots', 'gc.stat.major_gc_count', 'gc.threads', 'gc.worker', 'gc.objects.TOTAL']) t.equal(r.header.includes(name), name !== 'gc.objects.TOTAL', name)
  t.ok(r.rows.every((row) => row['gc.pid'] === String(first) && row['gc.worker'] === '0' && row.gc_errors === '0'), 'puma itself answered every fetch')
  t.equal(r.summary.columns?.['gc.stat.old_objects']?.role, 'old-generation')
  t.equal(r.summary.columns?.['gc.threads']?.role, 'threads')
  const live = r.rows.map((row) => Number(row['gc.stat.heap_live_slots']))
  t.ok(live.at(-1)! > live[0]!, `the kept strings are live: ${live[0]} → ${live.at(-1)}`)
})

t.test('puma, cluster mode: each worker gets a probe even when base + its number is taken, and the master forwards to worker 1', async (t) => {
  const port = await freePort()
  // Anything on the machine may hold a worker's port: here, worker 1's.
  const base = await portBeforeATakenOne(t, [port])
  const r = await probeRun(t, { command: `puma -w 2 -b tcp://127.0.0.1:${port} -t 2:2 ${APP}`, port, ready: '/flat', urls: ['/keep'], requests: 200, targetExtra: [`  env: { MEMSIEGE_PROBE_PORT: "${base}" }`] })
  t.equal(r.status, 0, r.stderr)
  t.notMatch(r.log, 'cannot listen', 'no process went without the probe')
  const pids = probePids(r.log)
  t.ok(pids.has('first') && pids.has('worker 1') && pids.has('worker 2'), r.log)
  const worker1 = r.log.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\S* \(worker 1,/)
  t.ok(worker1 && Number(worker1[1]) !== base + 1, `worker 1 listens elsewhere than the taken ${base + 1}: ${worker1?.[1]}`)
  t.ok(r.rows.length > 0 && r.rows.every((row) => row['gc.pid'] === String(pids.get('worker 1')) && row['gc.worker'] === '1'), 'worker 1 answered every fetch, and said so')
  t.ok(r.header.includes('gc.stat.old_objects'))
})
