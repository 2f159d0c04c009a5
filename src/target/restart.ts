/**
 * target.restart: a target memsiege did not start (a service manager runs it) is restarted by a
 * command, then found again by its port. Ready means a new process holds the port (another pid
 * or start time than before) and `url` answers by ready.ts's `serving` rule.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { describeExit } from './events.js'
import { lookupPortOwner } from './port-owner.js'
import { hasProcfs } from './procfs.js'
import { delay, ReadyProbe } from './ready.js'

export interface RestartOptions {
  /** A URL the load will ask for (target.url): asked until the new process answers it. */
  url: string
  insecure?: boolean
  cwd?: string
  /** The command's output, appended. */
  logFile: string
  timeoutS: number
  isCancelled?: () => boolean
}

/**
 * Runs `command` through the shell, then waits until `port` is held by a new process that
 * answers `url`. Throws with a one-line reason on a failed command or a timeout.
 */
export async function restartTarget (command: string, port: number, options: RestartOptions): Promise<void> {
  const procfs = hasProcfs()
  const before = procfs ? await lookupPortOwner(port) : undefined
  const fd = openSync(options.logFile, 'a')
  let code: number | null
  let signal: NodeJS.Signals | null
  try {
    const child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, stdio: ['ignore', fd, fd] })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutS * 1000)
    ;[code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (c, sig) => resolve([c, sig]))
    }).finally(() => clearTimeout(timer))
  } finally {
    closeSync(fd)
  }
  if (code !== 0) throw new Error(`target.restart ${signal ? describeExit({ code, signal }) : `exited with status ${code}`}: ${command} (its output is in ${options.logFile})`)
  const deadline = Date.now() + options.timeoutS * 1000
  const probe = new ReadyProbe(options.url, options.insecure ?? false, 'serving')
  try {
    for (;;) {
      if (options.isCancelled?.()) return
      const owner = procfs ? await lookupPortOwner(port) : undefined
      // Without /proc (macOS) the new process can't be told from the old one: the answer must do.
      const fresh = !procfs || (owner && (!before || owner.pid !== before.pid || owner.startTime !== before.startTime))
      if (fresh && await probe.check(Math.max(1, deadline - Date.now()))) return
      if (Date.now() > deadline) {
        if (fresh) throw new Error(`after target.restart, GET ${options.url} ${probe.last ?? 'never answered'} after ${options.timeoutS} s`)
        throw new Error(owner
          ? `after target.restart, port ${port} is still held by the same process (pid ${owner.pid}) after ${options.timeoutS} s: the command did not restart it`
          : `after target.restart, nothing listens on port ${port} after ${options.timeoutS} s`)
      }
      await delay(100)
    }
  } finally {
    probe.close()
  }
}
