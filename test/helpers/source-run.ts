/** A `memsiege run --find-source` on an app memsiege starts: its printed output and summary.json's `source`. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { runCli, type CliResult } from './cli.js'
import type { SourceSummary } from '../../src/source/types.js'

export interface SourceRunOptions {
  command: string
  port: number
  /** The app's own files, written into the test's folder, which is then the command's cwd. */
  files?: Record<string, string>
  env?: Record<string, string>
  urls: string[]
  requests: number
  ready?: string
  /** Think time: keeps a fast app to a rate at which rows (every 0.2 s) see the run's stages. */
  delay?: number
  readyTimeout?: number
  /** More flags for `memsiege run`. */
  flags?: string[]
  /** false: clients that send no cookie back. */
  cookies?: boolean
}

export interface SourceRunResult extends CliResult {
  source?: SourceSummary
  log: string
  /** A file of the results folder, '' when absent. */
  read (name: string): string
}

export async function sourceRun (t: Test, o: SourceRunOptions): Promise<SourceRunResult> {
  const dir = t.testdir(o.files ?? {})
  const scenario = [
    'target:',
    `  command: ${JSON.stringify(o.command)}`,
    ...(o.files ? [`  cwd: ${JSON.stringify(dir)}`] : []),
    `  url: http://127.0.0.1:${o.port}`,
    `  ready: ${o.ready ?? '/'}`,
    `  readyTimeout: ${o.readyTimeout ?? 60}`,
    `  env: ${JSON.stringify({ PORT: String(o.port), ...o.env })}`,
    'urls:',
    ...o.urls.map((u) => `  - ${JSON.stringify(u)}`),
    'concurrency: 2',
    `requests: ${o.requests}`,
    `delay: ${o.delay ?? 0.002}`,
    'sample: { interval: 0.2 }',
    'findSource: true',
    ...(o.cookies === false ? ['cookies: false'] : []),
  ].join('\n')
  writeFileSync(join(dir, 'app.yml'), scenario + '\n')
  const out = join(dir, 'out')
  const r = await runCli(['run', join(dir, 'app.yml'), '--out', out, ...(o.flags ?? [])], { timeoutMs: 180_000 })
  const read = (name: string): string => { try { return readFileSync(join(out, name), 'utf8') } catch { return '' } }
  const summary = JSON.parse(read('summary.json') || '{}') as { source?: SourceSummary }
  return { ...r, source: summary.source, log: read('target.log'), read }
}
