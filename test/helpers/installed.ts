import { execFileSync } from 'node:child_process'

/** Whether `cmd` is on the PATH: tests of real servers (puma, ruby) skip when it is not. */
export function installed (cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
