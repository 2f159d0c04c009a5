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
 * The tree's descendants are re-discovered on every read, so workers that come and go are
 * counted as they are. Without /proc (macOS, BSD) only `rss_bytes`, `cpu_percent` and `procs`
 * are filled, from pidusage, with the tree from `ps`.
 *
 * Target death never throws: the row gets empty cells (and `procs` 0), and `onEvent` receives
 * `target_exited` once. With `port`, every later read (at most once a second) looks for a new
 * process holding the port and, when one appears, reports `target_restarted` and samples it.
 */
import pidusage from 'pidusage'
import { ConfigError } from '../scenario/errors.js'
import type { Cell, Sampler } from './types.js'
import { PROC_MEANINGS } from '../columns/index.js'
import { findPortOwner, lookupPortOwner } from './port-owner.js'
import { hasProcfs, isLive, readSmapsRollup, readStat, readStatus, startTimeToEpochMs, type ProcStatus } from './procfs.js'
import { processTree } from './process-tree.js'
import type { ExitInfo, ExitSource, TargetEvent } from './target-events.js'

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

interface Root {
  pid: number
  /** /proc start time in ticks; undefined without /proc. */
  startTime?: number
}

/** How long to wait for a started target's exit status once it has left /proc. */
const EXIT_STATUS_WAIT_MS = 1000
/** Minimum gap between port scans while the target is gone (each scan reads every fd link). */
const PORT_RESCAN_MS = 1000

export class ProcSampler implements Sampler {
  readonly columns: readonly string[] = PROC_COLUMNS
  readonly meanings = PROC_MEANINGS
  private readonly tree: boolean
  private readonly pssIntervalMs: number
  private readonly procfs: boolean
  private root?: Root
  private gone = false
  private lastPortScan = 0
  private pss?: number
  private pssAt = 0
  private pssPass?: Promise<void>

  constructor(private readonly opts: ProcSamplerOptions) {
    if (opts.pid === undefined && opts.port === undefined) throw new TypeError('ProcSampler needs a pid or a port')
    this.tree = opts.tree ?? true
    this.pssIntervalMs = (opts.pssInterval ?? 30) * 1000
    this.procfs = opts.procfs ?? hasProcfs()
  }

  /** The root process now sampled (changes on target_restarted); undefined before start(). */
  get pid(): number | undefined {
    return this.root?.pid
  }

  /** Finds the process; throws ConfigError when there is none (the only throwing method). */
  async start(): Promise<void> {
    if (this.opts.port !== undefined) {
      if (!this.procfs) throw new ConfigError(`target.port needs Linux /proc; give target.pid instead`)
      const owner = await findPortOwner(this.opts.port)
      this.root = { pid: owner.pid, startTime: owner.startTime }
    } else {
      const pid = this.opts.pid!
      if (this.procfs) {
        const stat = await readStat(pid)
        if (!isLive(stat)) throw new ConfigError(`target.pid: no running process with pid ${pid} that memsiege can see`)
        this.root = { pid, startTime: stat.startTime }
      } else {
        try {
          await pidusage(pid)
        } catch {
          throw new ConfigError(`target.pid: no running process with pid ${pid} that memsiege can see`)
        }
        this.root = { pid }
      }
    }
    const pids = await this.pids()
    // Primes pidusage so the first row's CPU is measured over one interval, not since boot.
    await this.cpuPercent(pids)
    this.startPssPass(pids)
    await this.pssPass
  }

  async read(): Promise<Cell[]> {
    try {
      return await this.readRow()
    } catch {
      return this.emptyRow()
    }
  }

  async stop(): Promise<void> {
    await this.pssPass
    // pidusage keeps an open fd per pid in a module-wide history; drop it with the run.
    pidusage.clear()
  }

  private async readRow(): Promise<Cell[]> {
    if (!this.root) return this.emptyRow()
    if (!this.gone && !(await this.rootAlive(this.root))) await this.markGone()
    if (this.gone && !(await this.lookForRestart())) return this.emptyRow()
    const pids = await this.pids()
    if (pids.length === 0) {
      await this.markGone()
      return this.emptyRow()
    }
    this.startPssPass(pids)
    return this.procfs ? this.procfsRow(pids) : this.pidusageRow(pids)
  }

  private async procfsRow(pids: number[]): Promise<Cell[]> {
    const [statuses, cpu] = await Promise.all([Promise.all(pids.map(readStatus)), this.cpuPercent(pids)])
    const live = statuses.filter((s): s is ProcStatus => s !== undefined && s.state !== 'Z' && s.state !== 'X')
    if (live.length === 0) return this.emptyRow()
    const total = (key: keyof ProcStatus) => sum(live.map((s) => s[key] as number | undefined))
    const hwm = live.reduce<number | undefined>((max, s) => (s.hwmBytes === undefined ? max : Math.max(max ?? 0, s.hwmBytes)), undefined)
    return [
      total('rssBytes'),
      total('rssAnonBytes'),
      total('rssFileBytes'),
      total('swapBytes'),
      hwm,
      this.pss,
      total('threads'),
      live.length,
      cpu,
    ]
  }

  private async pidusageRow(pids: number[]): Promise<Cell[]> {
    const stats = await this.usage(pids)
    const live = stats ? Object.values(stats).filter((s) => s !== undefined && s !== null) : []
    if (live.length === 0) return this.emptyRow()
    const row = this.emptyRow()
    row[PROC_COLUMNS.indexOf('rss_bytes')] = sum(live.map((s) => s.memory))
    row[PROC_COLUMNS.indexOf('procs')] = live.length
    row[PROC_COLUMNS.indexOf('cpu_percent')] = round2(sum(live.map((s) => s.cpu)))
    return row
  }

  private emptyRow(): Cell[] {
    const row: Cell[] = new Array(PROC_COLUMNS.length).fill(undefined)
    if (this.gone) row[PROC_COLUMNS.indexOf('procs')] = 0
    return row
  }

  /** The pids to sample; the caller has just checked that the root is alive. */
  private async pids(): Promise<number[]> {
    const root = this.root!
    if (!this.tree) return [root.pid]
    return processTree(root.pid, this.procfs ? 'proc' : 'ps')
  }

  private async rootAlive(root: Root): Promise<boolean> {
    if (!this.procfs) return (await this.usage([root.pid]))?.[root.pid] !== undefined
    const stat = await readStat(root.pid)
    // A different start time is pid reuse: our process is gone.
    return isLive(stat) && (root.startTime === undefined || stat.startTime === root.startTime)
  }

  private async markGone(): Promise<void> {
    if (this.gone) return
    this.gone = true
    this.pss = undefined
    this.pssAt = 0
    const event: TargetEvent = { type: 'target_exited', time: Date.now(), pid: this.root!.pid }
    if (this.opts.target) {
      const exit = await Promise.race([this.opts.target.exited, delay(EXIT_STATUS_WAIT_MS)])
      if (exit) event.exit = exit as ExitInfo
    }
    this.emit(event)
  }

  /** With `port`: adopts a new process holding the port, if there is one now. */
  private async lookForRestart(): Promise<boolean> {
    if (this.opts.port === undefined) return false
    const now = Date.now()
    if (now - this.lastPortScan < PORT_RESCAN_MS) return false
    this.lastPortScan = now
    const owner = await lookupPortOwner(this.opts.port)
    const old = this.root!
    if (!owner || (owner.pid === old.pid && owner.startTime === old.startTime)) return false
    this.root = { pid: owner.pid, startTime: owner.startTime }
    this.gone = false
    this.emit({
      type: 'target_restarted',
      time: Date.now(),
      pid: owner.pid,
      previousPid: old.pid,
      startTime: await startTimeToEpochMs(owner.startTime),
    })
    return true
  }

  private emit(event: TargetEvent): void {
    try {
      this.opts.onEvent?.(event)
    } catch {
      // a failing listener must not cost a row
    }
  }

  private startPssPass(pids: number[]): void {
    if (!this.procfs || this.pssIntervalMs <= 0 || this.pssPass) return
    const now = Date.now()
    if (this.pssAt !== 0 && now - this.pssAt < this.pssIntervalMs) return
    this.pssAt = now
    const root = this.root
    this.pssPass = (async () => {
      const rollups = await Promise.all(pids.map(readSmapsRollup))
      // Drop a pass that straddled the target's exit or restart.
      if (this.root !== root || this.gone) return
      this.pss = sum(rollups.map((r) => r?.Pss))
    })()
      .catch(() => undefined)
      .finally(() => {
        this.pssPass = undefined
      })
  }

  private async cpuPercent(pids: number[]): Promise<number | undefined> {
    const stats = await this.usage(pids)
    if (!stats) return undefined
    return round2(sum(Object.values(stats).map((s) => s?.cpu)))
  }

  private async usage(pids: number[]): Promise<Record<number, pidusage.Status | undefined> | undefined> {
    if (pids.length === 0) return undefined
    try {
      // pidusage rejects when a lone pid is gone, and leaves a gap for it in a longer list.
      return (await pidusage(pids)) as Record<number, pidusage.Status | undefined>
    } catch {
      return undefined
    }
  }
}

function sum(values: Array<number | undefined>): number | undefined {
  let total: number | undefined
  for (const v of values) if (v !== undefined && Number.isFinite(v)) total = (total ?? 0) + v
  return total
}

function round2(n: number | undefined): number | undefined {
  return n === undefined ? undefined : Math.round(n * 100) / 100
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref())
}
