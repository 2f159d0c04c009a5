/** A run of memsiege on an app that has no probe of its own: the preload probe is injected (target.probe). */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import type { Test } from 'tap'
import { freePort } from '../../src/target/free-port.js'
import { runCli, type CliResult } from './cli.js'
import type { SourceSummary } from '../../src/source/types.js'

export interface ProbeRunResult extends CliResult {
  header: string[]
  rows: Array<Record<string, string>>
  /** The target's stdout and stderr. */
  log: string
  summary: { columns?: Record<string, { role: string; runtime: string }>; source?: SourceSummary }
  /** A file of the results folder, '' when absent. */
  read (name: string): string
}

export interface ProbeRunOptions {
  command: string
  /** The app's own files, written into the test's folder, which is then the command's cwd. */
  files?: Record<string, string>
  port: number
  urls: string[]
  requests: number
  concurrency?: number
  contentType?: string
  ready?: string
  /** More scenario text under target: (two-space indented lines). */
  targetExtra?: string[]
  /** More top-level scenario lines. */
  extra?: string[]
  /** The scenario's sample: mapping (default: rows every 0.5 s). */
  sample?: string
  /** More flags for `memsiege run`. */
  flags?: string[]
}

export async function probeRun (t: Test, o: ProbeRunOptions): Promise<ProbeRunResult> {
  const dir = t.testdir(o.files ?? {})
  const scenario = [
    'target:',
    `  command: ${JSON.stringify(o.command)}`,
    ...(o.files ? [`  cwd: ${JSON.stringify(dir)}`] : []),
    `  url: http://127.0.0.1:${o.port}`,
    `  ready: ${o.ready ?? '/'}`,
    ...(o.targetExtra ?? []),
    ...(o.contentType ? [`contentType: ${o.contentType}`] : []),
    'urls:',
    ...o.urls.map((u) => `  - ${JSON.stringify(u)}`),
    `concurrency: ${o.concurrency ?? 2}`,
    `requests: ${o.requests}`,
    `sample: ${o.sample ?? '{ interval: 0.5 }'}`,
    ...(o.extra ?? []),
  ].join('\n')
  writeFileSync(join(dir, 'app.yml'), scenario + '\n')
  const out = join(dir, 'out')
  const r = await runCli(['run', join(dir, 'app.yml'), '--out', out, ...(o.flags ?? [])], { timeoutMs: 180_000 })
  const read = (name: string): string => { try { return readFileSync(join(out, name), 'utf8') } catch { return '' } }
  const lines = read('samples.csv').trim().split('\n')
  const header = lines[0]?.split(',') ?? []
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i]!, v])))
  return { ...r, header, rows, log: read('target.log'), summary: JSON.parse(read('summary.json') || '{}'), read }
}

/** The pids the probe lines of target.log name, by who said them (`pid` for the first process, `worker N`). */
export function probePids (log: string): Map<string, number> {
  const pids = new Map<string, number>()
  for (const m of log.matchAll(/memsiege probe: listening on \S+ \((?:cluster )?(?:(worker \d+), )?pid (\d+)\)/g)) pids.set(m[1] ?? 'first', Number(m[2]))
  return pids
}

/** A free port whose next one is held (a cluster's worker 1 would take it), until the test ends, by a socket of the test's own. */
export async function portBeforeATakenOne (t: Test, avoid: number[]): Promise<number> {
  for (;;) {
    const base = await freePort(avoid)
    if (avoid.includes(base + 1)) continue
    const holder = createServer()
    const held = await new Promise<boolean>((resolve) => {
      holder.once('error', () => resolve(false))
      holder.listen(base + 1, '127.0.0.1', () => resolve(true))
    })
    if (held) {
      t.teardown(() => new Promise<void>((resolve) => holder.close(() => resolve())))
      return base
    }
  }
}
