/**
 * A live run for the analysis tests: memsiege (the built CLI) starts the demo server, sends
 * 30,000 requests to one of its endpoints (4 users, up to 5 ms think time: about 1,300
 * requests/s, 20-25 s), samples it every 100 ms, and the results folder is analysed.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { analyzeRun } from '../../src/analysis/analyze-run.js'
import type { RunVerdict } from '../../src/analysis/types.js'
import type { ExtensionRecord } from '../../src/recorder/extension-record.js'
import { runCli } from './cli.js'
import { freePort, repoRoot } from '../fixtures/sampler-helpers.js'

export const LIVE_REQUESTS = 30_000

/** The demo's cache fills as new keys arrive: 1000 keys (its capacity), each asked 12 times in a row. */
export function cacheUrls (): string {
  return Array.from({ length: 12_000 }, (_, i) => `/cache?key=k${Math.floor(i / 12)}`).join('\n') + '\n'
}

/** A scenario's target block: the demo server, started fresh by memsiege on `port`. */
export function demoTarget (port: number): string[] {
  return [
    'target:',
    `  url: http://127.0.0.1:${port}`,
    `  command: node dist/demo/server.js --port ${port}`,
    `  cwd: ${JSON.stringify(repoRoot)}`,
    '  ready: /stats'
  ]
}

export async function liveDemoVerdict (t: Test, endpoint: 'flat' | 'cache' | 'leak'): Promise<RunVerdict> {
  const port = await freePort()
  const dir = t.testdir({ 'urls.txt': endpoint === 'cache' ? cacheUrls() : `/${endpoint}\n` })
  const { verdict, seconds } = await liveRun(t, dir, `demo-${endpoint}`, [
    ...demoTarget(port),
    'urls: urls.txt',
    'concurrency: 4',
    'delay: 5ms',
    `requests: ${LIVE_REQUESTS}`,
    'sample:',
    '  interval: 100ms',
    '  pssInterval: 5s',
    '  gc: { url: /__memsiege/gc, interval: 100ms }',
  ])
  const heap = verdict.metrics.find((m) => m.metric === 'heap_old_bytes')
  t.comment(`${endpoint}: ${seconds.toFixed(1)} s; ${verdict.verdict}; ${verdict.metrics.map((m) => `${m.metric} ${m.verdict}`).join(', ')}`)
  if (heap) t.comment(`heap_old_bytes: ${heap.reason}`)
  return verdict
}

/**
 * Runs the scenario NAME (its lines after `name:`) in DIR with the built CLI, and checks that it
 * exits 0 and that `memsiege analyze` of its results folder agrees with the run's own verdict.
 */
export async function liveRun (t: Test, dir: string, name: string, lines: string[], timeoutMs = 90_000): Promise<{ verdict: RunVerdict; transactions: number; seconds: number; extension?: ExtensionRecord }> {
  const scenario = join(dir, `${name}.yml`)
  writeFileSync(scenario, [`name: ${name}`, ...lines, ''].join('\n'))
  const out = join(dir, 'results')
  const started = Date.now()
  const run = await runCli(['run', scenario, '--out', out, '-q'], { timeoutMs })
  t.equal(run.status, 0, `memsiege run: ${run.stderr.trim() || 'ok'}`)
  // The run made its own verdict (summary.json); the analysis of the folder must say the same.
  const { verdict, transactions, extension } = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { verdict: RunVerdict; transactions: number; extension?: ExtensionRecord }
  const analysed = analyzeRun(out)
  t.equal(analysed.verdict, verdict.verdict, 'memsiege analyze agrees with the run')
  t.equal(analysed.summary, verdict.summary, 'in the same words')
  return { verdict, transactions, seconds: (Date.now() - started) / 1000, ...(extension ? { extension } : {}) }
}
