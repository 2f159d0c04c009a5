import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, runCli } from './helpers/cli.js'
import { lookupPortOwner } from '../src/target/port-owner.js'
import { alive, freePort, repoRoot, waitFor } from './fixtures/sampler-helpers.js'
import { waitForLine } from './helpers/wait.js'
import { quickStartArgs } from './helpers/quick-start.js'

const DEMO = join(repoRoot, 'dist', 'demo', 'server.js')

function csv (dir: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(join(dir, 'samples.csv'), 'utf8').trim().split('\n')
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) }
}

function column (dir: string, name: string): string[] {
  const { header, rows } = csv(dir)
  const i = header.indexOf(name)
  return rows.map((r) => r[i])
}

async function startDemo (port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [DEMO, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((resolve) => child.stdout!.once('data', resolve))
  return child
}

t.test('the demo scenario works out of the box: starts its server, samples it and its GC, stops it', async (t) => {
  const out = t.testdir()
  // The README's quick-start command, as written there, cut short in requests.
  const r = await runCli([...quickStartArgs('scenarios/demo.yml'), '--requests', '2000', '--out', out], { cwd: repoRoot, timeoutMs: 120_000 })
  t.equal(r.status, 0, r.stderr)
  const { header, rows } = csv(out)
  for (const name of ['rss_bytes', 'rss_anon_bytes', 'threads', 'procs', 'cpu_percent', 'pss_bytes', 'gc.memoryUsage.heapUsed', 'gc_errors', 'self_rss_bytes', 'self_heap_used_bytes']) t.ok(header.includes(name), name)
  t.ok(rows.length >= 2)
  for (const row of rows) t.equal(row.length, header.length)
  const rss = column(out, 'rss_bytes').map(Number)
  t.ok(rss.at(-1)! > rss[0], `the leaking demo grew: ${rss[0]} → ${rss.at(-1)}`)
  t.ok(existsSync(join(out, 'target.log')))
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.same(summary.events, [])
  const port = 8777
  await t.rejects(fetch(`http://127.0.0.1:${port}/stats`), 'the demo server was stopped')
})

t.test('by --pid and by --port', async (t) => {
  const port = await freePort()
  const demo = await startDemo(port)
  t.teardown(() => { demo.kill() })
  for (const flags of [['--pid', String(demo.pid)], ['--port', String(port)]]) {
    const out = t.testdir()
    const r = await runCli(['-c', '2', '-r', '50', ...flags, '--out', out, `http://127.0.0.1:${port}/flat`])
    t.equal(r.status, 0, r.stderr)
    const procs = column(out, 'procs')
    t.ok(procs.every((p) => p === '1'), flags.join(' '))
    t.ok(column(out, 'rss_bytes').every((v) => Number(v) > 10_000_000), flags.join(' '))
  }
})

t.test('no target process: load only, one warning, no memory columns', async (t) => {
  const port = await freePort()
  const demo = await startDemo(port)
  t.teardown(() => { demo.kill() })
  const out = t.testdir()
  const r = await runCli(['-c', '1', '-r', '5', '--out', out, `http://127.0.0.1:${port}/flat`])
  t.equal(r.status, 0)
  t.match(r.stderr, /warning: no target process/)
  t.notOk(csv(out).header.includes('rss_bytes'))
})

t.test('a target that dies mid-run is an event: events.csv, summary, exit 5 (0 with --keep-going)', async (t) => {
  const port = await freePort()
  // A fresh folder: the kill waits on samples.csv, and a file left by an earlier run would fire it
  // before this run has found its target.
  const base = t.testdir()
  for (const keepGoing of [false, true]) {
    const out = join(base, keepGoing ? 'keep-going' : 'stop')
    // Sized in requests, with a think time so that a fast machine is still at it when the target
    // is killed; after that, the refusals use up the rest quickly. Killed once the target has
    // answered (a busy machine may sample it twice before its first answer).
    const answered = (): boolean => {
      const requests = column(out, 'requests')
      return requests.length >= 2 && Number(requests.at(-1)) - Number(column(out, 'errors').at(-1)) > 0
    }
    const run = runCli(['-c', '2', '-d', '0.01', '-r', '1500', '--cmd', `${process.execPath} ${DEMO} --port ${port}`, '--out', out, ...(keepGoing ? ['--keep-going'] : []), `http://127.0.0.1:${port}/flat`], {
      timeoutMs: 150_000,
      onSpawn: () => {
        void waitFor(() => existsSync(join(out, 'samples.csv')) && column(out, 'rss_bytes').length >= 2 && answered(), 60_000, 'two samples, and an answer')
          .then(() => waitFor(() => lookupPortOwner(port), 30_000, 'the target on its port'))
          .then((owner) => process.kill(owner.pid, 'SIGKILL'))
      }
    })
    const r = await run
    t.equal(r.status, keepGoing ? 0 : 5, r.stderr)
    t.match(r.stderr, /target_exited: pid \d+ was killed by SIGKILL/)
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    t.equal(summary.events[0].type, 'target_exited')
    t.ok(summary.errors.refused > 0, 'the load went on and counted the refusals')
    t.match(readFileSync(join(out, 'events.csv'), 'utf8'), /^time,type,pid,detail\n.*,target_exited,\d+,was killed by SIGKILL\n$/)
    t.equal(column(out, 'procs').at(-1), '0')
  }
})

t.test('a new process on the port is picked up as target_restarted', async (t) => {
  const port = await freePort()
  let demo = await startDemo(port)
  const first = demo.pid!
  t.teardown(() => { demo.kill() })
  const out = t.testdir()
  // Runs until the test has seen the new target picked up, then is interrupted.
  let restarted: Promise<unknown> = Promise.resolve()
  const run = runCli(['-c', '1', '-d', '0.01', '-t', '120S', '--port', String(port), '--keep-going', '--out', out, `http://127.0.0.1:${port}/flat`], {
    timeoutMs: 150_000,
    onSpawn: (child) => { restarted = waitForLine(child.stderr!, /target_restarted/, 90_000).finally(() => child.kill('SIGINT')) }
  })
  // The first target must have been found and sampled before it is killed, however slow the start.
  await waitFor(() => existsSync(join(out, 'samples.csv')) && column(out, 'procs').includes('1'), 30_000, 'a row of the first target')
  demo.kill('SIGKILL')
  await waitFor(() => !alive(first), 30_000, 'the first target to die')
  demo = await startDemo(port)
  const r = await run
  await restarted
  t.equal(r.status, 130, r.stderr)
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.same(summary.events.map((e: { type: string }) => e.type), ['target_exited', 'target_restarted'])
  t.equal(summary.events[1].pid, demo.pid)
  t.match(summary.events[1].detail, `replaces pid ${first}`)
})

t.test('kill -9 of memsiege mid-run: every row already written is whole', async (t) => {
  const port = await freePort()
  const demo = await startDemo(port)
  t.teardown(() => { demo.kill() })
  const out = t.testdir()
  const child = spawn(process.execPath, [CLI, '-c', '2', '-t', '30S', '--pid', String(demo.pid), '--out', out, `http://127.0.0.1:${port}/leak`], { stdio: 'ignore' })
  await waitFor(() => existsSync(join(out, 'samples.csv')) && csv(out).rows.length >= 3, 60_000, 'three rows')
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('close', resolve))
  const { header, rows } = csv(out)
  t.ok(rows.length >= 3)
  for (const row of rows) t.equal(row.length, header.length, 'a whole row')
  t.ok(readFileSync(join(out, 'samples.csv'), 'utf8').endsWith('\n'), 'no half row at the end')
})
