import { execFileSync } from 'node:child_process'

/** Whether `cmd` is on PATH: live tests skip, saying what to install, when it isn't. */
export function installed (cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
