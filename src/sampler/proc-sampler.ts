/**
 * The target's memory and CPU, summed over its process tree (puma's master and workers).
 *
 * Columns (PROC_COLUMNS), every row:
 * - `rss_bytes`, `rss_anon_bytes`, `rss_file_bytes`, `swap_bytes`: sums of VmRSS, RssAnon, RssFile
 *   and VmSwap from /proc/PID/status. The sum double-counts pages shared copy-on-write between
 *   a preloading master and its workers; `pss_bytes` doesn't. RssShmem is rss - anon - file.
 * - `hwm_bytes`: the largest VmHWM (peak RSS) of any one process in the tree, not a sum.
 * - `pss_bytes`: sum of Pss from /proc/PID/smaps_rollup. Reading it walks page tables, so it is
 *   read every `pssInterval` seconds (first in `start()`), in the background; rows in between
 *   REPEAT the last value. Empty before the first pass, when unreadable, and from the target's
 *   exit until the first pass over its successor.
 * - `threads`: sum of Threads; `procs`: live processes in the tree (0 once the target is gone).
 * - `cpu_percent`: sum over the tree of pidusage's CPU% (100 = one core) since the previous read;
 *   a process's first reading counts 0.
 *
 * Not a column: `cpuSeconds`, the CPU time the tree has used since start(), summed over every
 * process seen in it (a worker that exits keeps what it used; one that appears counts from its
 * first reading): a watch's x axis when the app counts no requests. From the threads' schedstat
 * (nanoseconds) where /proc has it, else pidusage's utime + stime (clock ticks).
 *
 * The tree's descendants are re-discovered at most once a second (TREE_RESCAN_MS) and on every
 * read slower than that, so workers that come and go are counted within a second; in between a
 * read samples the tree last found, less the processes gone since. Finding it reads the stat
 * file of every process on the machine, which would otherwise bound fast sampling. Without /proc (macOS, BSD) only `rss_bytes`, `cpu_percent` and `procs`
 * are filled, from pidusage, with the tree from `ps`.
 *
 * Which process that is, and whether it exited or was replaced on its port, is the target watch's
 * (src/target/watch.ts) to say. Target death never throws: the row gets empty cells (and `procs`
 * 0) while the watch reports `target_exited`; with `port`, a new process holding the port is
 * reported as `target_restarted` and sampled.
 */
import pidusage from 'pidusage'
import type { Cell, Sampler } from './types.js'
import { PROC_MEANINGS } from '../columns/index.js'
import { hasProcfs, readCpuMs, readSmapsRollup, readStatus, type ProcStatus } from '../target/procfs.js'
import { processTree } from '../target/process-tree.js'
import type { ExitSource, TargetEvent } from '../target/events.js'
import { TargetWatch, type TargetRoot } from '../target/watch.js'

export const PROC_COLUMNS = [
  'rss_bytes',
  'rss_anon_bytes',
  'rss_file_bytes',
  'swap_bytes',
  'hwm_bytes',
  'pss_bytes',
  'threads',
  'procs',
  'cpu_percent',
] as const

/** How long a found process tree is reused before /proc is scanned again. */
const TREE_RESCAN_MS = 1000

export interface ProcSamplerOptions {
  /** Sample this process (target.pid, or the pid of a started target.command) ... */
  pid?: number
  /** ... or the one listening on this TCP port (target.port). Takes precedence over `pid`. */
  port?: number
  /** Include descendants (target.tree). Default true. */
  tree?: boolean
  /** Seconds between smaps_rollup passes (sample.pssInterval). Default 30; 0 turns PSS off. */
  pssInterval?: number
  /** The process memsiege started, so `target_exited` can carry its exit code. */
  target?: ExitSource
  /** Receives target_exited / target_restarted, synchronously within start()/read(). */
  onEvent?: (event: TargetEvent) => void
  /** For tests: false forces the pidusage-only path used where there is no /proc. */
  procfs?: boolean
}

export class ProcSampler implements Sampler {
  readonly columns: readonly string[] = PROC_COLUMNS
  readonly meanings = PROC_MEANINGS
  readonly #treeOn: boolean
  readonly #pssIntervalMs: number
  readonly #procfs: boolean
  readonly #watch: TargetWatch
  /** The root the PSS figure is about: a new root (or none) drops it. */
  #pssRoot?: TargetRoot
  #pss?: number
  #pssAt = 0
  #pssPass?: Promise<void>
  /** The tree last found, of which root, and when. */
  #tree?: { root: number; pids: number[]; at: number }
  /** Each process's CPU time (ms) at its last reading, and the tree's total since start(). */
  readonly #cpuMs = new Map<number, number>()
  #cpuTotalMs = 0
  #started = false
  /** The CPU time comes from the threads' schedstat (this kernel keeps it), not from pidusage. */
  #sched = false

  constructor (opts: ProcSamplerOptions) {
    if (opts.pid === undefined && opts.port === undefined) throw new TypeError('ProcSampler needs a pid or a port')
    this.#treeOn = opts.tree ?? true
    this.#pssIntervalMs = (opts.pssInterval ?? 30) * 1000
    this.#procfs = opts.procfs ?? hasProcfs()
    this.#watch = new TargetWatch({ pid: opts.pid, port: opts.port, procfs: this.#procfs, target: opts.target, onEvent: opts.onEvent })
  }

  /** The root process now sampled (changes on target_restarted); undefined before start(). */
  get pid (): number | undefined {
    return this.#watch.root?.pid
  }

  /** CPU seconds (user + system) the process tree has used since start(), as of the last read. */
  get cpuSeconds (): number {
    return this.#cpuTotalMs / 1000
  }

  /** Samples `pid`, a process memsiege started in place of the old one, from the next read on (see TargetWatch.adopt). */
  async adopt (pid: number, target: ExitSource | undefined, reason: string): Promise<void> {
    await this.#pssPass
    await this.#watch.adopt(pid, target, reason)
  }

  /** Reports the target's exit (`target_exited`) now if no row has yet: see RestartKeeper.check. */
  async markGone (): Promise<void> {
    await this.#watch.markGone()
  }

  /** Finds the process; throws ConfigError when there is none (the only throwing method). */
  async start (): Promise<void> {
    this.#pssRoot = await this.#watch.find()
    const pids = await this.#pids(this.#pssRoot)
    this.#sched = this.#procfs && (await readCpuMs(this.#pssRoot.pid)) !== undefined
    // Primes pidusage so the first row's CPU is measured over one interval, not since boot; and
    // the CPU time's zero.
    await this.#cpuPercent(pids)
    if (this.#sched) await this.#countSchedTime(pids)
    this.#started = true
    this.#startPssPass(pids)
    await this.#pssPass
  }

  async read (): Promise<Cell[]> {
    try {
      return await this.#readRow()
    } catch {
      return this.#emptyRow()
    }
  }

  async stop (): Promise<void> {
    await this.#pssPass
    // pidusage keeps an open fd per pid in a module-wide history; drop it with the run.
    pidusage.clear()
  }

  async #readRow (): Promise<Cell[]> {
    const root = await this.#watch.current()
    if (root !== this.#pssRoot) {
      // Empty from the target's exit until the first pass over its successor.
      this.#pss = undefined
      this.#pssAt = 0
      this.#pssRoot = root
    }
    if (!root) return this.#emptyRow()
    const pids = await this.#pids(root)
    if (pids.length === 0) {
      await this.#watch.markGone()
      return this.#emptyRow()
    }
    this.#startPssPass(pids)
    return this.#procfs ? this.#procfsRow(pids) : this.#pidusageRow(pids)
  }

  async #procfsRow (pids: number[]): Promise<Cell[]> {
    const [statuses, cpu] = await Promise.all([Promise.all(pids.map(readStatus)), this.#cpuPercent(pids)])
    if (this.#sched) await this.#countSchedTime(pids)
    const live = statuses.filter((s): s is ProcStatus => s !== undefined && s.state !== 'Z' && s.state !== 'X')
    if (live.length === 0) return this.#emptyRow()
    const total = (key: keyof ProcStatus) => sum(live.map((s) => s[key] as number | undefined))
    const hwm = live.reduce<number | undefined>((max, s) => (s.hwmBytes === undefined ? max : Math.max(max ?? 0, s.hwmBytes)), undefined)
    return [
      total('rssBytes'),
      total('rssAnonBytes'),
      total('rssFileBytes'),
      total('swapBytes'),
      hwm,
      this.#pss,
      total('threads'),
      live.length,
      cpu,
    ]
  }

  async #pidusageRow (pids: number[]): Promise<Cell[]> {
    const stats = await this.#usage(pids)
    if (stats) this.#countCpuTime(Object.entries(stats).map(([pid, s]) => [Number(pid), s?.ctime]))
    const live = stats ? Object.values(stats).filter((s) => s !== undefined && s !== null) : []
    if (live.length === 0) return this.#emptyRow()
    const row = this.#emptyRow()
    row[PROC_COLUMNS.indexOf('rss_bytes')] = sum(live.map((s) => s.memory))
    row[PROC_COLUMNS.indexOf('procs')] = live.length
    row[PROC_COLUMNS.indexOf('cpu_percent')] = round2(sum(live.map((s) => s.cpu)))
    return row
  }

  #emptyRow (): Cell[] {
    const row: Cell[] = new Array(PROC_COLUMNS.length).fill(undefined)
    if (this.#watch.gone) row[PROC_COLUMNS.indexOf('procs')] = 0
    return row
  }

  /** The pids to sample; the caller has just checked that the root is alive. */
  async #pids (root: TargetRoot): Promise<number[]> {
    if (!this.#treeOn) return [root.pid]
    const now = performance.now()
    const last = this.#tree
    if (last && last.root === root.pid && now - last.at < TREE_RESCAN_MS) return last.pids
    const pids = await processTree(root.pid, this.#procfs ? 'proc' : 'ps')
    this.#tree = { root: root.pid, pids, at: now }
    return pids
  }

  #startPssPass (pids: number[]): void {
    if (!this.#procfs || this.#pssIntervalMs <= 0 || this.#pssPass) return
    const now = Date.now()
    if (this.#pssAt !== 0 && now - this.#pssAt < this.#pssIntervalMs) return
    this.#pssAt = now
    const root = this.#watch.root
    this.#pssPass = (async () => {
      const rollups = await Promise.all(pids.map(readSmapsRollup))
      // Drop a pass that straddled the target's exit or restart.
      if (this.#watch.root !== root || this.#watch.gone) return
      this.#pss = sum(rollups.map((r) => r?.Pss))
    })()
      .catch(() => undefined)
      .finally(() => {
        this.#pssPass = undefined
      })
  }

  async #cpuPercent (pids: number[]): Promise<number | undefined> {
    const stats = await this.#usage(pids)
    if (!stats) return undefined
    if (!this.#sched) this.#countCpuTime(Object.entries(stats).map(([pid, s]) => [Number(pid), s?.ctime]))
    return round2(sum(Object.values(stats).map((s) => s?.cpu)))
  }

  async #countSchedTime (pids: number[]): Promise<void> {
    const times = await Promise.all(pids.map(readCpuMs))
    this.#countCpuTime(pids.map((pid, i) => [pid, times[i]]))
  }

  /**
   * Adds what each process used since its last reading; before start() ends, readings only set
   * the zero. A reading below the last (a thread that exited took its time out of the sum, or the
   * pid is a new process's) adds nothing.
   */
  #countCpuTime (times: Array<[number, number | undefined]>): void {
    for (const [pid, ms] of times) {
      if (ms === undefined || !Number.isFinite(ms)) continue
      const last = this.#cpuMs.get(pid) ?? (this.#started ? 0 : ms)
      this.#cpuTotalMs += Math.max(0, ms - last)
      this.#cpuMs.set(pid, ms)
    }
  }

  async #usage (pids: number[]): Promise<Record<number, pidusage.Status | undefined> | undefined> {
    if (pids.length === 0) return undefined
    try {
      // pidusage rejects when a lone pid is gone, and leaves a gap for it in a longer list.
      return (await pidusage(pids)) as Record<number, pidusage.Status | undefined>
    } catch {
      return undefined
    }
  }
}

function sum (values: Array<number | undefined>): number | undefined {
  let total: number | undefined
  for (const v of values) if (v !== undefined && Number.isFinite(v)) total = (total ?? 0) + v
  return total
}

function round2 (n: number | undefined): number | undefined {
  return n === undefined ? undefined : Math.round(n * 100) / 100
}
