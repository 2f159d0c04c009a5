import t from 'tap'
import { spawn } from 'node:child_process'
import { parseSmapsRollup, parseStat, parseStatus, readSmapsRollup, readStat, readStatus, startTimeToEpochMs } from '../src/target/procfs.js'
import { descendantsOf, processTree } from '../src/target/process-tree.js'
import { PROC_COLUMNS, ProcSampler } from '../src/sampler/proc-sampler.js'
import { SelfSampler } from '../src/sampler/self-sampler.js'
import type { ExitInfo, TargetEvent } from '../src/target/events.js'
import { alive, killGroup, waitFor } from './fixtures/sampler-helpers.js'
import { ConfigError } from '../src/errors.js'

const col = (row: unknown[], name: string) => row[PROC_COLUMNS.indexOf(name as never)]

t.test('parses status, stat and smaps_rollup text', async (t) => {
  const status = parseStatus(
    'Name:\tpuma\nState:\tS (sleeping)\nPPid:\t41\nUid:\t1000\t1000\t1000\t1000\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n' +
      'RssAnon:\t 512 kB\nRssFile:\t 256 kB\nRssShmem:\t 256 kB\nVmSwap:\t 8 kB\nThreads:\t7\n'
  )
  t.same(status, {
    name: 'puma',
    state: 'S',
    ppid: 41,
    uid: 1000,
    hwmBytes: 2097152,
    rssBytes: 1048576,
    rssAnonBytes: 524288,
    rssFileBytes: 262144,
    rssShmemBytes: 262144,
    swapBytes: 8192,
    threads: 7,
  })
  // A zombie's status has no Vm lines: they stay undefined rather than 0.
  t.equal(parseStatus('Name:\tx\nState:\tZ (zombie)\n').rssBytes, undefined)

  const stat = parseStat('1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 25 7 0 0 20 0 3 0 98765 123456789 300 18446744073709551615\n')
  t.match(stat, { pid: 1234, comm: 'my (odd) name', state: 'S', ppid: 1, pgrp: 1234, utime: 25, stime: 7, numThreads: 3, startTime: 98765, vsizeBytes: 123456789, rssPages: 300 })
  t.equal(parseStat('garbage'), undefined)

  const rollup = parseSmapsRollup('55c9-7ffe ---p 00000000 00:00 0 [rollup]\nRss:   1588 kB\nPss:    460 kB\nPss_Anon:  112 kB\nSwap:  0 kB\n')
  t.same(rollup, { Rss: 1588 * 1024, Pss: 460 * 1024, Pss_Anon: 112 * 1024, Swap: 0 })
})

t.test('reads this process and reports a gone one as undefined', async (t) => {
  const status = await readStatus(process.pid)
  t.ok(status!.rssBytes! > 10e6, 'rss')
  t.ok(status!.rssAnonBytes! > 0 && status!.threads! >= 1)
  const stat = await readStat(process.pid)
  t.equal(stat!.pid, process.pid)
  t.equal(stat!.ppid, process.ppid)
  const started = await startTimeToEpochMs(stat!.startTime)
  // Two clocks for the same instant, read together (a busy machine delays both alike): seconds of
  // room for the conversion from clock ticks since boot.
  t.ok(Math.abs(started! - (Date.now() - process.uptime() * 1000)) < 5000, 'start time within 5 s of process.uptime')
  t.ok((await readSmapsRollup(process.pid))!.Pss! > 0)

  const child = spawn('true')
  await new Promise((resolve) => child.once('exit', resolve))
  t.equal(await readStatus(child.pid!), undefined)
  t.equal(await readStat(child.pid!), undefined)
  t.equal(await readSmapsRollup(child.pid!), undefined)
})

t.test('descendantsOf walks the whole tree, breadth first', async (t) => {
  const table = new Map([[1, 0], [10, 1], [11, 10], [12, 10], [13, 11], [20, 1], [99, 98]])
  t.same(descendantsOf(10, table), [11, 12, 13])
  t.same(descendantsOf(13, table), [])
})

t.test('ProcSampler over a process tree: sums, re-discovers, survives death', async (t) => {
  // sh → { sleep, sh → sleep }: four processes, one of them a grandchild.
  const child = spawn('sh', ['-c', "sleep 30 & sh -c 'sleep 30; :' & wait"], { detached: true, stdio: 'ignore' })
  t.teardown(() => killGroup(child))
  const tree = await waitFor(async () => {
    const pids = await processTree(child.pid!)
    return pids.length === 4 && pids
  }, undefined, 'four processes')
  t.equal(tree[0], child.pid)

  const events: TargetEvent[] = []
  const exited = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const sampler = new ProcSampler({ pid: child.pid!, onEvent: (e) => events.push(e), target: { exited } })
  await sampler.start()
  t.same(sampler.columns, PROC_COLUMNS)
  t.equal(sampler.pid, child.pid)

  const row = await sampler.read()
  t.equal(row.length, PROC_COLUMNS.length)
  t.equal(col(row, 'procs'), 4)
  t.equal(col(row, 'threads'), 4)
  const perProcess = await Promise.all(tree.map(readStatus))
  const rssSum = perProcess.reduce((s, p) => s + p!.rssBytes!, 0)
  t.ok(Math.abs((col(row, 'rss_bytes') as number) - rssSum) < rssSum * 0.2, 'rss is the sum over the tree')
  t.equal(col(row, 'hwm_bytes'), Math.max(...perProcess.map((p) => p!.hwmBytes!)), 'hwm is the largest single peak')
  t.ok((col(row, 'pss_bytes') as number) > 0, 'pss read in start()')
  t.ok((col(row, 'pss_bytes') as number) < rssSum, 'pss counts shared pages once')
  t.type(col(row, 'cpu_percent'), 'number')
  t.type(col(row, 'swap_bytes'), 'number')

  // Kill the outer shell's own sleep: the next read sees three processes.
  const stats = await Promise.all(tree.map(readStat))
  const directSleep = stats.find((s) => s!.comm === 'sleep' && s!.ppid === child.pid)!
  process.kill(directSleep.pid, 'SIGKILL')
  await waitFor(async () => col(await sampler.read(), 'procs') === 3, undefined, 'procs 3')

  process.kill(-child.pid!, 'SIGKILL')
  await exited
  const dead = await sampler.read()
  t.equal(col(dead, 'procs'), 0)
  t.same(dead.filter((c, i) => i !== PROC_COLUMNS.indexOf('procs') && c !== undefined), [], 'every other cell empty')
  t.equal(events.length, 1)
  t.match(events[0], { type: 'target_exited', pid: child.pid, exit: { code: null, signal: 'SIGKILL' } })
  t.type((events[0] as { time: number }).time, 'number')
  await sampler.read()
  t.equal(events.length, 1, 'reported once')
  await sampler.stop()
})

t.test('pss repeats between smaps_rollup passes', async (t) => {
  // Grows by 2 MB every 20 ms, up to 80 MB.
  const child = spawn(process.execPath, ['-e', 'const a = []; setInterval(() => a.length < 40 && a.push(Buffer.alloc(2e6, 1)), 20)'], { detached: true, stdio: 'ignore' })
  t.teardown(() => killGroup(child))
  const slow = new ProcSampler({ pid: child.pid!, pssInterval: 30 })
  const fast = new ProcSampler({ pid: child.pid!, pssInterval: 0.1 })
  const off = new ProcSampler({ pid: child.pid!, pssInterval: 0 })
  await Promise.all([slow.start(), fast.start(), off.start()])
  const first = await slow.read()
  const firstFast = await fast.read()
  const pss = (row: Awaited<ReturnType<ProcSampler['read']>>) => col(row, 'pss_bytes') as number
  await waitFor(async () => (col(await off.read(), 'rss_bytes') as number) > (col(first, 'rss_bytes') as number) + 10e6, 30_000, 'rss to grow by 10 MB')
  // Each read of `fast` may start a pass in the background; a later read shows its result.
  const secondFast = await waitFor(async () => { const row = await fast.read(); return pss(row) > pss(firstFast) && row }, 30_000, 'a pss pass to see the growth')
  const [second, offRow] = await Promise.all([slow.read(), off.read()])
  t.ok((col(second, 'rss_bytes') as number) > (col(first, 'rss_bytes') as number) + 10e6, 'rss grew')
  t.equal(col(second, 'pss_bytes'), col(first, 'pss_bytes'), 'pss repeated until the next pass')
  t.ok((col(secondFast, 'pss_bytes') as number) > (col(firstFast, 'pss_bytes') as number), 'a faster interval sees it grow')
  t.equal(col(offRow, 'pss_bytes'), undefined, 'pssInterval 0 turns it off')
  await Promise.all([slow.stop(), fast.stop(), off.stop()])
})

t.test('tree: false samples the root alone; the pidusage path fills what it can', async (t) => {
  const child = spawn('sh', ['-c', 'sleep 30 & wait'], { detached: true, stdio: 'ignore' })
  t.teardown(() => killGroup(child))
  await waitFor(async () => (await processTree(child.pid!)).length === 2, undefined, 'sleep child')
  const single = new ProcSampler({ pid: child.pid!, tree: false })
  await single.start()
  t.equal(col(await single.read(), 'procs'), 1)

  const portable = new ProcSampler({ pid: child.pid!, procfs: false })
  await portable.start()
  const row = await portable.read()
  t.equal(col(row, 'procs'), 2, 'tree from ps')
  t.ok((col(row, 'rss_bytes') as number) > 0)
  t.type(col(row, 'cpu_percent'), 'number')
  t.equal(col(row, 'rss_anon_bytes'), undefined)
  t.equal(col(row, 'pss_bytes'), undefined)
  await single.stop()
  await portable.stop()
})

t.test('a pid that is not running is a ConfigError', async (t) => {
  const child = spawn('true')
  await new Promise((resolve) => child.once('exit', resolve))
  t.notOk(alive(child.pid!))
  await t.rejects(new ProcSampler({ pid: child.pid! }).start(), ConfigError)
  await t.rejects(new ProcSampler({ pid: child.pid!, procfs: false }).start(), ConfigError)
})

t.test('SelfSampler', async (t) => {
  const s = new SelfSampler()
  await s.start()
  t.same(s.columns, ['self_rss_bytes', 'self_heap_used_bytes'])
  const [rss, heap] = (await s.read()) as number[]
  t.ok(rss! > heap! && heap! > 1e6)
  await s.stop()
})

t.test('cpuSeconds: the CPU time the target used since start(), not before; idle adds next to nothing', async (t) => {
  // Burns CPU until SIGUSR2's first arrival has been answered with 300 ms more of it, then idles.
  const script = `let burn = 0
process.on('SIGUSR2', () => { burn = process.cpuUsage().user / 1000 + 300 })
const spin = () => { const end = Date.now() + 20; while (Date.now() < end); }
setInterval(() => { if (burn && process.cpuUsage().user / 1000 < burn) spin(); else if (burn) { burn = 0; process.stdout.write('burnt\\n') } }, 1)
for (let i = 0; i < 1e7; i++);
process.stdout.write('ready\\n')`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], detached: true })
  t.teardown(() => killGroup(child))
  let out = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  await waitFor(() => out.includes('ready'), 30_000, 'ready')
  const sampler = new ProcSampler({ pid: child.pid!, pssInterval: 0 })
  await sampler.start()
  await sampler.read()
  t.ok(sampler.cpuSeconds < 0.1, `the start-up's CPU is not counted (${sampler.cpuSeconds} s)`)
  child.kill('SIGUSR2')
  await waitFor(() => out.includes('burnt'), 30_000, 'the burn')
  await sampler.read()
  const burnt = sampler.cpuSeconds
  t.ok(burnt >= 0.28 && burnt < 1.5, `300 ms burnt: ${burnt} s counted`)
  await sampler.stop()
})
