/**
 * A target memsiege starts itself (target.command): spawn it with its output in target.log, wait
 * until its `ready` URL answers 2xx, and stop it (SIGTERM to its process group, SIGKILL after a
 * grace period).
 *
 * The child leads a new process group (and session) so one signal reaches everything it started
 * (puma's workers, both ends of a shell pipeline). The flip side: Ctrl-C in memsiege's terminal
 * no longer reaches it, so the caller must call stop() on SIGINT; for a plain process exit or an
 * uncaught exception, an 'exit' hook here SIGKILLs the group of any target whose leader still runs.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { Client } from 'undici'
import { ConfigError } from '../scenario/errors.js'
import { hasProcfs, isLive, parseStat } from './procfs.js'
import { describeExit, type ExitInfo, type ExitSource } from './target-events.js'

export interface StartTargetOptions {
  command: string
  /** Working directory (target.cwd); default memsiege's. */
  cwd?: string
  /** Added to memsiege's own environment (target.env). */
  env?: Record<string, string>
  /** The child's stdout and stderr go here, appended (trials may restart the target). */
  logFile: string
  /** Absolute URL polled until it answers 2xx (resolve target.ready against target.url first). */
  ready?: string
  /** Seconds to wait for `ready` (target.readyTimeout). Default 30. */
  readyTimeout?: number
  /** Accept any TLS certificate on `ready` (target.insecure). */
  insecure?: boolean
  /** Seconds between SIGTERM and SIGKILL when giving up on `ready`. Default 5. */
  stopGrace?: number
}

/** The target stopped before it was ready, or never got ready. `message` includes the log tail. */
export class TargetStartError extends Error {
  constructor(
    message: string,
    readonly logFile: string,
    readonly logTail: string[],
    readonly exit?: ExitInfo,
  ) {
    super(message + formatTail(logFile, logTail))
    this.name = 'TargetStartError'
  }
}

/** Lines of target.log quoted in a TargetStartError. */
export const LOG_TAIL_LINES = 20

const running = new Set<TargetProcess>()
let exitHookInstalled = false

export class TargetProcess implements ExitSource {
  readonly pid: number
  /** Resolves when the child (the group leader) has exited and been reaped. */
  readonly exited: Promise<ExitInfo>
  private exitInfo?: ExitInfo

  constructor(
    child: ChildProcess,
    readonly command: string,
    readonly logFile: string,
  ) {
    this.pid = child.pid!
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal }
        resolve(this.exitInfo)
      })
    })
    running.add(this)
    installExitHook()
  }

  /** How the child ended; undefined while it runs. */
  get exit(): ExitInfo | undefined {
    return this.exitInfo
  }

  /**
   * SIGTERM to the whole group, then SIGKILL to whatever is left after `graceSeconds`. Waits for
   * the rest of the group too, not only the leader: a puma master may exit before its workers.
   * Returns the leader's exit status. Safe to call after the target died, and more than once.
   */
  async stop(graceSeconds = 10): Promise<ExitInfo> {
    const deadline = Date.now() + graceSeconds * 1000
    this.signalGroup('SIGTERM')
    // Cheap while the leader runs; a /proc scan per turn once only its group is left.
    while (Date.now() < deadline && (this.exitInfo === undefined || this.groupAlive())) await delay(this.exitInfo ? 100 : 25)
    if (this.exitInfo === undefined || this.groupAlive()) this.signalGroup('SIGKILL')
    const exit = await this.exited
    running.delete(this)
    return exit
  }

  /** Sends `signal` to the process group (0 only checks it exists); false when the group is gone. */
  signalGroup(signal: NodeJS.Signals | 0): boolean {
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
  private groupAlive(): boolean {
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
 * Starts `command` and waits for `ready`. Rejects with ConfigError when the program can't be run,
 * and with TargetStartError when it exits before it is ready or isn't ready in time (then it is
 * stopped first). Without `ready`, resolves as soon as the process has started.
 */
export async function startTarget(opts: StartTargetOptions): Promise<TargetProcess> {
  if (opts.cwd !== undefined && !isDirectory(opts.cwd)) throw new ConfigError(`target.cwd: no such directory: ${opts.cwd}`)
  const argv = parseCommand(opts.command)
  const [file, args] = argv ? [argv[0]!, argv.slice(1)] : ['/bin/sh', ['-c', opts.command]]
  const logFd = openSync(opts.logFile, 'a')
  let child: ChildProcess
  try {
    child = spawn(file, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
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
  const target = new TargetProcess(child, opts.command, opts.logFile)
  if (!opts.ready) return target

  const timeout = opts.readyTimeout ?? 30
  const outcome = await waitForReady(opts.ready, timeout * 1000, target.exited, opts.insecure ?? false)
  if (outcome.ready) return target
  if (outcome.exit) {
    throw new TargetStartError(
      `target command ${describeExit(outcome.exit)} before it was ready (${opts.ready})`,
      opts.logFile,
      await tailLines(opts.logFile, LOG_TAIL_LINES),
      outcome.exit,
    )
  }
  await target.stop(opts.stopGrace ?? 5)
  throw new TargetStartError(
    `target not ready after ${timeout} s: GET ${opts.ready} ${outcome.last ?? 'never answered'}`,
    opts.logFile,
    await tailLines(opts.logFile, LOG_TAIL_LINES),
  )
}

/** Characters that mean shell syntax anywhere in a command line. */
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]{}\n]/
/** Special at the start of a word only: comments and home directories. */
const SHELL_WORD_START = /(^|\s)[#~]/

/**
 * The command's words when it is a plain command line (run without a shell, so the target is
 * our direct child and gets our signals); undefined when it needs /bin/sh: quotes, pipes,
 * redirections, globs, variables, `VAR=value cmd`.
 */
export function parseCommand(command: string): string[] | undefined {
  if (SHELL_SYNTAX.test(command) || SHELL_WORD_START.test(command)) return undefined
  const words = command.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0 || words[0]!.includes('=')) return undefined
  return words
}

type ReadyOutcome = { ready: true; exit?: undefined } | { ready: false; exit?: ExitInfo; last?: string }

/** Polls `url` until 2xx, the process exits, or `timeoutMs` passes; `last` says what it got. */
export async function waitForReady(url: string, timeoutMs: number, exited: Promise<ExitInfo>, insecure = false): Promise<ReadyOutcome> {
  const target = new URL(url)
  const client = new Client(target.origin, {
    connect: { rejectUnauthorized: !insecure, timeout: 2000 },
    headersTimeout: 2000,
    bodyTimeout: 2000,
  })
  const deadline = Date.now() + timeoutMs
  let exit: ExitInfo | undefined
  void exited.then((e) => (exit = e))
  let last: string | undefined
  let pause = 50
  try {
    while (exit === undefined && Date.now() < deadline) {
      const abort = AbortSignal.timeout(Math.max(1, Math.min(2000, deadline - Date.now())))
      try {
        const res = await Promise.race([
          client.request({ path: target.pathname + target.search, method: 'GET', signal: abort }),
          exited,
        ])
        if ('statusCode' in res) {
          await res.body.dump()
          if (res.statusCode >= 200 && res.statusCode < 300) return { ready: true }
          last = `answered ${res.statusCode}`
        }
      } catch (err) {
        last = `failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`
      }
      if (exit !== undefined) break
      await Promise.race([delay(Math.min(pause, Math.max(0, deadline - Date.now()))), exited])
      pause = Math.min(pause * 2, 500)
    }
    if (exit === undefined) exit = await Promise.race([exited, delay(0)])
    return { ready: false, exit, last }
  } finally {
    client.destroy().catch(() => undefined)
  }
}

/** The last `n` lines of a text file (reads at most its last 64 KiB); [] when unreadable. */
export async function tailLines(file: string, n: number): Promise<string[]> {
  try {
    const fh = await open(file, 'r')
    try {
      const { size } = await fh.stat()
      const length = Math.min(size, 64 * 1024)
      const buf = Buffer.alloc(length)
      await fh.read(buf, 0, length, size - length)
      const lines = buf.toString('utf8').split('\n')
      if (lines.at(-1) === '') lines.pop()
      if (length < size) lines.shift() // probably cut mid-line
      return lines.slice(-n)
    } finally {
      await fh.close()
    }
  } catch {
    return []
  }
}

function formatTail(logFile: string, lines: string[]): string {
  if (lines.length === 0) return `\n(${logFile} is empty)`
  return `\nlast ${lines.length} lines of ${logFile}:\n` + lines.map((l) => `  | ${l}`).join('\n')
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    // Only groups whose leader we know runs: once it has exited, its pid could lead someone else's.
    for (const target of running) if (target.exit === undefined) target.signalGroup('SIGKILL')
  })
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms))
}
