/**
 * Which process is the target right now: found by pid or by the port it listens on, watched for
 * its exit (`target_exited`, once) and, with a port, for a new process taking the port
 * (`target_restarted`). The samplers ask it for the root process before every row.
 *
 * Events go to `onEvent` synchronously from inside the find()/current() call that noticed them, so
 * an event always precedes the row in which its effect (empty cells, a new pid) shows.
 */
import pidusage from 'pidusage'
import type { ExitInfo, ExitSource, TargetEvent } from './events.js'
import { findPortOwner, lookupPortOwner } from './port-owner.js'
import { isLive, readStat, startTimeToEpochMs } from './procfs.js'
import { ConfigError } from '../errors.js'

export interface TargetRoot {
  pid: number
  /** /proc start time in ticks; undefined without /proc. */
  startTime?: number
}

export interface WatchOptions {
  /** This process (target.pid, or the pid of a started target.command) ... */
  pid?: number
  /** ... or the one listening on this TCP port (target.port). Takes precedence over `pid`. */
  port?: number
  /** Whether /proc can be read; without it, liveness comes from pidusage (ps). */
  procfs: boolean
  /** The process memsiege started, so `target_exited` can carry its exit code. */
  target?: ExitSource
  onEvent?: (event: TargetEvent) => void
}

/** How long to wait for a started target's exit status once it has left /proc. */
const EXIT_STATUS_WAIT_MS = 1000
/** Minimum gap between port scans while the target is gone (each scan reads every fd link). */
const PORT_RESCAN_MS = 1000

export class TargetWatch {
  #rootNow?: TargetRoot
  #goneNow = false
  #lastPortScan = 0
  #opts: WatchOptions

  constructor (opts: WatchOptions) {
    this.#opts = { ...opts }
    if (opts.pid === undefined && opts.port === undefined) throw new TypeError('TargetWatch needs a pid or a port')
  }

  /** The root process (changes on target_restarted); undefined before find(). */
  get root (): TargetRoot | undefined {
    return this.#rootNow
  }

  /** True from the target's exit until a new process takes its port. */
  get gone (): boolean {
    return this.#goneNow
  }

  /** Finds the process; throws ConfigError when there is none. */
  async find (): Promise<TargetRoot> {
    const { pid, port, procfs } = this.#opts
    if (port !== undefined) {
      if (!procfs) throw new ConfigError('target.port needs Linux /proc; give target.pid instead')
      const owner = await findPortOwner(port)
      this.#rootNow = { pid: owner.pid, startTime: owner.startTime }
    } else if (procfs) {
      const stat = await readStat(pid!)
      if (!isLive(stat)) throw new ConfigError(`target.pid: no running process with pid ${pid} that memsiege can see`)
      this.#rootNow = { pid: pid!, startTime: stat.startTime }
    } else {
      if (!(await pidusageAlive(pid!))) throw new ConfigError(`target.pid: no running process with pid ${pid} that memsiege can see`)
      this.#rootNow = { pid: pid! }
    }
    return this.#rootNow
  }

  /**
   * The root to sample now, or undefined while there is none: reports the target's exit when it
   * is newly gone and, with a port, adopts a new process holding it (at most one scan a second).
   */
  async current (): Promise<TargetRoot | undefined> {
    if (!this.#rootNow) return undefined
    if (!this.#goneNow && !(await this.#alive(this.#rootNow))) await this.markGone()
    if (this.#goneNow && !(await this.#lookForRestart())) return undefined
    return this.#rootNow
  }

  /** The root is gone (also when its tree turned out empty): reports `target_exited` once. */
  async markGone (): Promise<void> {
    if (this.#goneNow) return
    this.#goneNow = true
    const event: TargetEvent = { type: 'target_exited', time: Date.now(), pid: this.#rootNow!.pid }
    if (this.#opts.target) {
      const exit = await Promise.race([this.#opts.target.exited, delay(EXIT_STATUS_WAIT_MS)])
      if (exit) event.exit = exit as ExitInfo
    }
    this.#emit(event)
  }

  /**
   * A new process memsiege started in place of the old one (a restart by policy): sampled from
   * now on, reported as `target_restarted` with `reason`.
   */
  async adopt (pid: number, target: ExitSource | undefined, reason: string): Promise<void> {
    const old = this.#rootNow
    const stat = this.#opts.procfs ? await readStat(pid) : undefined
    this.#rootNow = { pid, ...(stat?.startTime !== undefined ? { startTime: stat.startTime } : {}) }
    this.#opts.target = target
    this.#goneNow = false
    this.#emit({
      type: 'target_restarted',
      time: Date.now(),
      pid,
      previousPid: old?.pid ?? pid,
      ...(stat?.startTime !== undefined ? { startTime: await startTimeToEpochMs(stat.startTime) } : {}),
      reason
    })
  }

  async #alive (root: TargetRoot): Promise<boolean> {
    if (!this.#opts.procfs) return pidusageAlive(root.pid)
    const stat = await readStat(root.pid)
    // A different start time is pid reuse: our process is gone.
    return isLive(stat) && (root.startTime === undefined || stat.startTime === root.startTime)
  }

  /** With a port: adopts a new process holding the port, if there is one now. */
  async #lookForRestart (): Promise<boolean> {
    if (this.#opts.port === undefined) return false
    const now = Date.now()
    if (now - this.#lastPortScan < PORT_RESCAN_MS) return false
    this.#lastPortScan = now
    const owner = await lookupPortOwner(this.#opts.port)
    const old = this.#rootNow!
    if (!owner || (owner.pid === old.pid && owner.startTime === old.startTime)) return false
    this.#rootNow = { pid: owner.pid, startTime: owner.startTime }
    this.#goneNow = false
    this.#emit({
      type: 'target_restarted',
      time: Date.now(),
      pid: owner.pid,
      previousPid: old.pid,
      startTime: await startTimeToEpochMs(owner.startTime)
    })
    return true
  }

  #emit (event: TargetEvent): void {
    try {
      this.#opts.onEvent?.(event)
    } catch {
      // a failing listener must not cost a row
    }
  }
}

/** Without /proc: pidusage (ps) rejects for a pid that is gone. */
async function pidusageAlive (pid: number): Promise<boolean> {
  try {
    return (await pidusage(pid)) !== undefined
  } catch {
    return false
  }
}

function delay (ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref())
}
