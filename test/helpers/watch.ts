/** For the watch tests: a watch run through the built CLI, and its samples files read back. */
import type { ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, type CliResult } from './cli.js'
import { waitFor } from './wait.js'

export interface RunningWatch {
  child: ChildProcess
  result: Promise<CliResult>
  /** The last whole row of the newest samples file, by column; undefined before the first. */
  lastRow (): Record<string, string> | undefined
  /** Ctrl-C (the normal end of a watch), then its result. */
  stop (): Promise<CliResult>
}

export async function startWatchCli (dir: string, args: string[], timeoutMs = 60_000): Promise<RunningWatch> {
  let child: ChildProcess | undefined
  const result = runCli(['watch', '--out', dir, ...args], { timeoutMs, onSpawn: (c) => { child = c } })
  const lastRow = (): Record<string, string> | undefined => {
    if (!existsSync(dir)) return undefined
    const files = readdirSync(dir).filter((f) => /^samples-\d{8}\.csv$/.test(f)).sort()
    if (files.length === 0) return undefined
    const lines = readFileSync(join(dir, files.at(-1)!), 'utf8').split('\n').filter(Boolean)
    if (lines.length < 2) return undefined
    const header = lines[0].split(',')
    const cells = lines.at(-1)!.split(',')
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))
  }
  return {
    child: child!,
    result,
    lastRow,
    stop: async () => {
      child!.kill('SIGINT')
      return result
    }
  }
}

/** Waits until the watch has written a row, so that what follows happens while it samples. */
export async function sampling (watch: RunningWatch): Promise<void> {
  await waitFor(() => watch.lastRow() !== undefined || watch.child.exitCode !== null, 30_000, 'a first row')
  if (watch.child.exitCode !== null) {
    const r = await watch.result
    throw new Error(`the watch ended early (${r.status}): ${r.stderr}`)
  }
}

export function readSummary (dir: string): Record<string, any> {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
}
