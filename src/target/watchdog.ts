/**
 * Kills a started target's whole process group when memsiege dies, however it dies (kill -9
 * included), so an orphan can't keep the port and answer the next run's `ready` in place of the
 * target that run starts.
 *
 * How: a tiny `sh` in its own session blocks reading a pipe whose other end only memsiege holds.
 * When memsiege's process ends, for any reason, the kernel closes that end; `read` gets EOF and
 * the shell SIGKILLs the target's group. A normal stop disarms it first (SIGKILL to the shell).
 *
 * Why not a parent-death signal (`setpriv --pdeathsig KILL`, prctl PR_SET_PDEATHSIG): it reaches
 * only the direct child, so a shell command's children and puma's workers would outlive memsiege;
 * it is Linux-only; and it fires when the spawning *thread* ends, not the process. Why not a
 * watchdog polling memsiege's pid: pids are reused, and polling costs a wake-up per interval.
 * The pipe is neither: EOF is exact and costs nothing while memsiege runs.
 *
 * Limit: what leaves the group on purpose (a daemon's setsid) is not in it to be killed.
 */
import { spawn, type ChildProcess } from 'node:child_process'

/** `read` fails only at EOF: memsiege is gone. dash's kill takes `-PGID` (no `--`). */
const SCRIPT = 'read -r _ || kill -KILL -"$1" 2>/dev/null'

export class GroupWatchdog {
  readonly #child: ChildProcess

  /** Use `GroupWatchdog.arm`. */
  constructor (child: ChildProcess) {
    this.#child = child
  }

  /** Arms a watchdog for the process group `pgid`. */
  static arm (pgid: number): GroupWatchdog {
    const child = spawn('/bin/sh', ['-c', SCRIPT, 'memsiege-watchdog', String(pgid)], {
      // Its own session: a Ctrl-C or hang-up aimed at memsiege's terminal must not take it first.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore']
    })
    // Neither the shell nor its pipe may keep memsiege's event loop alive.
    child.unref()
    child.stdin!.on('error', () => undefined)
    ;(child.stdin as unknown as { unref?: () => void }).unref?.()
    child.on('error', () => undefined)
    return new GroupWatchdog(child)
  }

  /** The watchdog's own pid (for tests). */
  get pid (): number | undefined {
    return this.#child.pid
  }

  /** The target was stopped by memsiege: the watchdog must not fire later on a reused pgid. */
  disarm (): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL')
    this.#child.stdin?.destroy()
  }
}
