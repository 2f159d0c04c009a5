import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { DEFAULT_CAP_MS, waitFor } from './wait.js'

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

export interface CliResult {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs the built CLI as a user would; killed after `timeoutMs` so that no test can hang. */
export function runCli (args: string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; stdin?: string | Buffer; onSpawn?: (child: ChildProcess) => void; wrap?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // `wrap`: a command the CLI runs under (taskset -c N …).
    const [command, ...rest] = [...(options.wrap ?? []), process.execPath, CLI, ...args]
    const child = spawn(command!, rest, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d: Buffer) => { stdout += d })
    child.stderr!.on('data', (d: Buffer) => { stderr += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000)
    child.on('error', reject)
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      resolve({ status, signal, stdout, stderr })
    })
    if (child.stdin) {
      child.stdin.on('error', () => {})
      child.stdin.end(options.stdin)
    }
    options.onSpawn?.(child)
  })
}

/**
 * The command line run in this process, as dist/cli.js runs it (runCommandLine), its stdout and
 * stderr captured: for files of many short calls, each of which would otherwise pay for a Node
 * process and its module loading. One call at a time (it borrows process.stdout and stderr).
 */
export async function runInProcess (args: string[]): Promise<CliResult> {
  const { runCommandLine } = await import('../../src/commands/parser.js')
  let stdout = ''
  let stderr = ''
  const out = process.stdout.write
  const err = process.stderr.write
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true }) as typeof process.stderr.write
  try {
    const status = await runCommandLine(args)
    return { status, signal: null, stdout, stderr }
  } finally {
    process.stdout.write = out
    process.stderr.write = err
  }
}

/**
 * Waits for `condition` (e.g. requests at the fixture server: the run is under way), then does
 * `action` to the child. On failure the child is killed, so the run ends and the error shows.
 */
export async function afterCondition (child: ChildProcess, condition: () => boolean, what: string, action: () => void | Promise<void>): Promise<void> {
  try {
    await waitFor(condition, DEFAULT_CAP_MS, what)
    await action()
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
}

/** Sends `signal` every 100 ms until the child exits: for behaviour that starts some time after a first signal. */
export function signalUntilExit (child: ChildProcess, signal: NodeJS.Signals, timeoutMs = DEFAULT_CAP_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const every = setInterval(() => child.kill(signal), 100)
    const cap = setTimeout(() => {
      clearInterval(every)
      reject(new Error(`still running ${timeoutMs / 1000} s after the first ${signal}`))
    }, timeoutMs)
    child.once('exit', () => {
      clearInterval(every)
      clearTimeout(cap)
      resolve()
    })
  })
}
