/**
 * A target memsiege starts itself (target.command): check its port is free, spawn it with its
 * output in target.log, wait until its `ready` URL answers 2xx (see ready.ts) and check that what
 * answers is the process it started (port-check.ts); stop it (SIGTERM to its process group,
 * SIGKILL after a grace period) or restart it.
 *
 * The child leads a new process group (and session) so one signal reaches everything it started
 * (puma's workers, both ends of a shell pipeline). The flip side: Ctrl-C in memsiege's terminal
 * no longer reaches it, so the caller must call stop() on SIGINT; for a plain process exit or an
 * uncaught exception, an 'exit' hook here SIGKILLs the group of any target whose leader still
 * runs; and when memsiege is killed outright (SIGKILL, OOM killer), the group's watchdog kills it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { parseCommand } from './command-line.js'
import { describeExit, type ExitInfo, type ExitSource } from './events.js'
import { LOG_TAIL_LINES, tailLines } from './log-tail.js'
import { ensurePortFree, foreignAnswerer, type TargetAddress } from './port-check.js'
import { hasProcfs, isLive, parseStat } from './procfs.js'
import { delay, waitForReady } from './ready.js'
import { GroupWatchdog } from './watchdog.js'
import { TargetStartError, ConfigError } from '../errors.js'

/** How to start a target: target.command and its settings, with `ready` and `url` made absolute. */
export interface TargetSpec {
  command: string
  /** Working directory (target.cwd); default memsiege's. */
  cwd?: string
  /** Added to memsiege's own environment (target.env). */
  env?: Record<string, string>
  /** The child's stdout and stderr go here, appended (trials may restart the target). */
  logFile: string
  /** Absolute URL polled until it answers 2xx (resolve target.ready against target.url first). */
  ready?: string
  /** Where the load will ask (target.url, else the list's first URL): without `ready`, its port must be free before the command starts. */
  address?: TargetAddress
  /** Seconds to wait for `ready` (target.readyTimeout). Default 30. */
  readyTimeout?: number
  /** Accept any TLS certificate on `ready` (target.insecure). */
  insecure?: boolean
  /** Seconds between SIGTERM and SIGKILL when giving up on `ready`. Default 5. */
  stopGrace?: number
}

const running = new Set<TargetProcess>()
let exitHookInstalled = false

export class TargetProcess implements ExitSource {
  readonly pid: number
  /** Resolves when the child (the group leader) has exited and been reaped. */
  readonly exited: Promise<ExitInfo>
  private exitInfo?: ExitInfo
  private readonly watchdog: GroupWatchdog

  constructor (
    child: ChildProcess,
    readonly spec: TargetSpec
  ) {
    this.pid = child.pid!
    this.watchdog = GroupWatchdog.arm(this.pid)
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal }
        resolve(this.exitInfo)
      })
    })
    running.add(this)
    installExitHook()
  }

  get command (): string {
    return this.spec.command
  }

  get logFile (): string {
    return this.spec.logFile
  }

  /** How the child ended; undefined while it runs. */
  get exit (): ExitInfo | undefined {
    return this.exitInfo
  }

  /** The watchdog's pid, for tests. */
  get watchdogPid (): number | undefined {
    return this.watchdog.pid
  }

  /**
   * SIGTERM to the whole group, then SIGKILL to whatever is left after `graceSeconds`. Waits for
   * the rest of the group too, not only the leader: a puma master may exit before its workers.
   * Returns the leader's exit status. Safe to call after the target died, and more than once.
   */
  async stop (graceSeconds = 10): Promise<ExitInfo> {
    const deadline = Date.now() + graceSeconds * 1000
    this.signalGroup('SIGTERM')
    // Cheap while the leader runs; a /proc scan per turn once only its group is left.
    while (Date.now() < deadline && (this.exitInfo === undefined || this.groupAlive())) await delay(this.exitInfo ? 100 : 25)
    if (this.exitInfo === undefined || this.groupAlive()) this.signalGroup('SIGKILL')
    const exit = await this.exited
    this.watchdog.disarm()
    running.delete(this)
    return exit
  }

  /** Stops this target and starts a new one from the same spec (a new process, a new pid). */
  async restart (graceSeconds?: number): Promise<TargetProcess> {
    await this.stop(graceSeconds)
    return startTarget(this.spec)
  }

  /** Sends `signal` to the process group (0 only checks it exists); false when the group is gone. */
  signalGroup (signal: NodeJS.Signals | 0): boolean {
    try {
      process.kill(-this.pid, signal)
      return true
    } catch {
      return false
    }
  }

  /**
   * Whether any member of the group still runs. Zombies don't count: orphans wait for PID 1 to
   * reap them, which in a container may never happen.
   */
  private groupAlive (): boolean {
    if (!this.signalGroup(0)) return false
    if (!hasProcfs()) return true
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue
      let stat
      try {
        stat = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'))
      } catch {
        continue
      }
      if (stat && stat.pgrp === this.pid && isLive(stat)) return true
    }
    return false
  }
}

/**
 * Starts `command` and waits for `ready`. Rejects with ConfigError when the program can't be run
 * or its port is already taken, and with TargetStartError when it exits before it is ready, isn't
 * ready in time, or another process answers on its port (then it is stopped first). Without
 * `ready`, resolves as soon as the process has started.
 */
export async function startTarget (spec: TargetSpec): Promise<TargetProcess> {
  if (spec.cwd !== undefined && !isDirectory(spec.cwd)) throw new ConfigError(`target.cwd: no such directory: ${spec.cwd}`)
  const address = addressOf(spec)
  if (address) await ensurePortFree(address)
  const argv = parseCommand(spec.command)
  const [file, args] = argv ? [argv[0]!, argv.slice(1)] : ['/bin/sh', ['-c', spec.command]]
  const logFd = openSync(spec.logFile, 'a')
  let child: ChildProcess
  try {
    child = spawn(file, args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', logFd, logFd],
      detached: true,
    })
  } finally {
    // The child has its own copy; ours would only keep the file open.
    closeSync(logFd)
  }
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined))
    child.once('error', (err) => resolve(err))
  })
  if (spawned) {
    const code = (spawned as NodeJS.ErrnoException).code ?? spawned.message
    throw new ConfigError(`target.command: cannot run ${JSON.stringify(file)}: ${code}`)
  }
  const target = new TargetProcess(child, spec)
  if (!spec.ready) return target

  const timeout = spec.readyTimeout ?? 30
  const outcome = await waitForReady(spec.ready, timeout * 1000, target.exited, spec.insecure ?? false)
  if (outcome.ready) {
    const foreign = await foreignAnswerer({ url: spec.ready, key: 'target.ready' }, target.pid)
    if (foreign === undefined) return target
    await target.stop(spec.stopGrace ?? 5)
    throw new TargetStartError(foreign, spec.logFile, await tailLines(spec.logFile, LOG_TAIL_LINES), target.exit)
  }
  if (outcome.exit) {
    throw new TargetStartError(
      `target command ${describeExit(outcome.exit)} before it was ready (${spec.ready})`,
      spec.logFile,
      await tailLines(spec.logFile, LOG_TAIL_LINES),
      outcome.exit
    )
  }
  await target.stop(spec.stopGrace ?? 5)
  throw new TargetStartError(
    `target not ready after ${timeout} s: GET ${spec.ready} ${outcome.last ?? 'never answered'}`,
    spec.logFile,
    await tailLines(spec.logFile, LOG_TAIL_LINES)
  )
}

/** The URL the target will be asked for, whose port must be free before it starts. */
function addressOf (spec: TargetSpec): TargetAddress | undefined {
  if (spec.ready) return { url: spec.ready, key: 'target.ready' }
  return spec.address
}

function isDirectory (path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function installExitHook (): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    // Only groups whose leader we know runs: once it has exited, its pid could lead someone else's.
    for (const target of running) if (target.exit === undefined) target.signalGroup('SIGKILL')
  })
}
