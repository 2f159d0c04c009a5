import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { GcSampler } from '../src/sampler/gc-sampler.js'
import { ProcSampler, PROC_COLUMNS } from '../src/sampler/proc-sampler.js'
import { processTree } from '../src/target/process-tree.js'
import { readStatus } from '../src/target/procfs.js'
import { startTarget, type TargetProcess } from '../src/target/process.js'
import type { Cell } from '../src/sampler/types.js'
import { freePort, liveGroupMembers, repoRoot, waitFor } from './fixtures/sampler-helpers.js'

function which (cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

const puma = which('puma')
if (!puma || !which('ruby')) {
  t.plan(0, 'puma (and ruby) not installed: apt-get install puma ruby-rack')
} else {
  const appDir = join(repoRoot, 'test/fixtures/puma-app')
  const logDir = mkdtempSync(join(tmpdir(), 'memsiege-puma-'))
  t.teardown(() => rmSync(logDir, { recursive: true, force: true }))

  const proc = (row: Cell[], name: string) => row[PROC_COLUMNS.indexOf(name as never)] as number | undefined
  const gc = (sampler: GcSampler, row: Cell[], name: string) => row[sampler.columns.indexOf(name)] as number | undefined

  /** `n` GETs, `concurrency` at a time. */
  async function load (url: string, n: number, concurrency = 8): Promise<void> {
    let sent = 0
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < n) {
          sent++
          const res = await request(url)
          await res.body.dump()
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`)
        }
      })
    )
  }

  async function startPuma (t: { teardown(fn: () => unknown): void }, args: string): Promise<{ target: TargetProcess; port: number }> {
    const port = await freePort()
    const target = await startTarget({
      command: `puma ${args} -b tcp://127.0.0.1:${port} config.ru`,
      cwd: appDir,
      env: { RACK_ENV: 'production' },
      logFile: join(logDir, `puma-${port}.log`),
      ready: `http://127.0.0.1:${port}/flat`,
      readyTimeout: 20,
    })
    t.teardown(async () => {
      await target.stop(5)
      if (liveGroupMembers(target.pid).length > 0) throw new Error('puma left processes behind')
    })
    return { target, port }
  }

  t.test('puma single mode: found by port, probe columns change under load', async (t) => {
    const { target, port } = await startPuma(t, '-t 2:4')
    const sampler = new ProcSampler({ port })
    await sampler.start()
    t.equal(sampler.pid, target.pid, 'puma runs without a shell: the port owner is our child')
    const gcSampler = new GcSampler({ url: `http://127.0.0.1:${port}/__memsiege/gc`, interval: 0.2 })
    await gcSampler.start()
    for (const c of ['gc.pid', 'gc.rss_bytes', 'gc.stat.count', 'gc.stat.heap_live_slots', 'gc.stat.old_objects', 'gc.stat.total_allocated_objects']) {
      t.ok(gcSampler.columns.includes(c), c)
    }
    t.notOk(gcSampler.columns.some((c) => c.startsWith('gc.objects.')), 'count_objects only on request')

    const [before, gcBefore] = await Promise.all([sampler.read(), gcSampler.read()])
    t.equal(proc(before, 'procs'), 1)
    t.equal(gc(gcSampler, gcBefore, 'gc.pid'), target.pid)

    await load(`http://127.0.0.1:${port}/leak`, 400)
    const gcAfter = await waitFor(async () => {
      const row = await gcSampler.read()
      return (gc(gcSampler, row, 'gc.stat.total_allocated_objects') ?? 0) > gc(gcSampler, gcBefore, 'gc.stat.total_allocated_objects')! + 400 && row
    }, undefined, 'GC columns after the load')
    t.ok(gc(gcSampler, gcAfter, 'gc.stat.heap_live_slots')! > gc(gcSampler, gcBefore, 'gc.stat.heap_live_slots')!, 'live slots grew: /leak retains')
    const after = await sampler.read()
    t.ok(proc(after, 'rss_bytes')! > proc(before, 'rss_bytes')!, 'rss grew')
    t.ok(proc(after, 'rss_anon_bytes')! > 0 && proc(after, 'threads')! >= 3)

    const objects = (await (await request(`http://127.0.0.1:${port}/__memsiege/gc?objects=1`)).body.json()) as { objects: Record<string, number> }
    t.type(objects.objects.T_STRING, 'number', '?objects=1 adds ObjectSpace.count_objects')
    const passThrough = await request(`http://127.0.0.1:${port}/nope`)
    t.equal(passThrough.statusCode, 404, 'other paths reach the app')
    await passThrough.body.dump()
    await Promise.all([sampler.stop(), gcSampler.stop()])
  })

  t.test('puma cluster mode with 2 workers: master found by port, tree summed, workers re-discovered', async (t) => {
    const { target, port } = await startPuma(t, '-w 2 -t 1:2')
    const sampler = new ProcSampler({ port, pssInterval: 0.5 })
    await sampler.start()
    t.equal(sampler.pid, target.pid, 'the root is the master')

    const row = await waitFor(async () => {
      const r = await sampler.read()
      return proc(r, 'procs') === 3 && r
    }, 10_000, 'both workers')
    const tree = await processTree(target.pid)
    t.equal(tree.length, 3)
    const workers = tree.slice(1)
    const perProcess = (await Promise.all(tree.map(readStatus))).map((s) => s!.rssBytes!)
    const sum = perProcess.reduce((a, b) => a + b, 0)
    t.ok(Math.abs(proc(row, 'rss_bytes')! - sum) < sum * 0.2, 'rss_bytes sums master and workers')
    t.ok(proc(row, 'rss_bytes')! > Math.max(...perProcess), 'more than any one process')
    t.ok(proc(row, 'hwm_bytes')! >= Math.max(...perProcess) * 0.9, 'hwm is the largest process peak')
    const pss = await waitFor(async () => proc(await sampler.read(), 'pss_bytes'), undefined, 'pss')
    t.ok(pss > 0 && pss < proc(row, 'rss_bytes')!, 'PSS counts the copy-on-write pages once')

    const gcSampler = new GcSampler({ url: `http://127.0.0.1:${port}/__memsiege/gc`, interval: 0.2 })
    await gcSampler.start()
    const gcBefore = await gcSampler.read()
    t.ok(workers.includes(gc(gcSampler, gcBefore, 'gc.pid')!), 'a worker answers the probe')
    await load(`http://127.0.0.1:${port}/leak`, 400)
    await waitFor(async () => {
      const r = await gcSampler.read()
      return (gc(gcSampler, r, 'gc.stat.total_allocated_objects') ?? 0) > gc(gcSampler, gcBefore, 'gc.stat.total_allocated_objects')! && r
    }, undefined, 'GC columns changing')
    t.pass('GC columns change under load')

    // A worker dies: puma replaces it, and the sampler follows without being told.
    process.kill(workers[0]!, 'SIGKILL')
    const replaced = await waitFor(async () => {
      const r = await sampler.read()
      const now = await processTree(target.pid)
      return proc(r, 'procs') === 3 && !now.includes(workers[0]!) && now
    }, 15_000, 'a replacement worker')
    t.equal(replaced[0], target.pid)
    t.equal(replaced.length, 3)
    await Promise.all([sampler.stop(), gcSampler.stop()])
  })
}
