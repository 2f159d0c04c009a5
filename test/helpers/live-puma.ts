/**
 * Live: the verdict on a real puma app (test/fixtures/puma-real: puma 5, Ruby 3.1, glibc malloc,
 * `-t 8:8`, single mode), started fresh by memsiege for each case, its GC endpoint the plain
 * `GC.stat.to_json` people write by hand. Each case is bounded in requests (30,000 unless the
 * case says) and in time (the CLI is killed after its timeout). Rows every 250 ms: at one a
 * second a fast machine would leave only a dozen rows for 30,000 requests.
 */
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import type { RunVerdict } from '../../src/analysis/types.js'
import { liveRun } from './live-demo.js'
import { DEFAULT_MAX_EXTENSION } from '../../src/scenario/types.js'
import { installed } from './installed.js'
import { freePort, repoRoot } from '../fixtures/sampler-helpers.js'

const APP = join(repoRoot, 'test/fixtures/puma-real')
export const NOT_A_LEAK = ['settling', 'plateau', 'flat']
// Objects flat while RSS bends: no leak, or the allocator warming up, named as such.
export const NO_CULPRIT = ['none', 'allocator-warmup']

interface LiveCase {
  urls: 'plain.txt' | 'search.txt' | 'cache.txt'
  env?: Record<string, string>
  requests?: number
  methodOverride?: boolean
  /** `requests` is the first length of a run that decides (--until-decided, up to 8×). */
  untilDecided?: boolean
}

export async function livePumaVerdict (t: Test, name: string, c: LiveCase): Promise<RunVerdict> {
  // The recording stays in .tap/fixtures: a verdict that surprises on some machine can be read again.
  t.saveFixture = true
  const port = await freePort()
  const requests = c.requests ?? 30_000
  const env = { RACK_ENV: 'production', ...c.env }
  const cap = c.untilDecided ? DEFAULT_MAX_EXTENSION : 1
  const { verdict: v, transactions, seconds, extension } = await liveRun(t, t.testdir({}), name, [
    'target:',
    `  url: http://127.0.0.1:${port}`,
    `  command: puma -b tcp://127.0.0.1:${port} -t 8:8 config.ru`,
    `  cwd: ${JSON.stringify(APP)}`,
    `  env: ${JSON.stringify(env)}`,
    '  ready: /gc',
    `urls: ${JSON.stringify(join(APP, 'urls', c.urls))}`,
    'concurrency: 4',
    `requests: ${requests}`,
    ...(c.methodOverride ? ['methodOverride: true'] : []),
    ...(c.untilDecided ? ['untilDecided: true'] : []),
    'sample:',
    '  interval: 250ms',
    '  pssInterval: 10s',
    '  gc: { url: /gc, interval: 250ms }',
  ], Math.max(180_000, requests * cap * 4)) // 250 requests/s at the slowest seen (thousands of threads, busy machine)
  if (extension) {
    t.ok(transactions >= requests && transactions <= requests * cap + 100, `${transactions} requests, ${extension.reached}× the first length`)
    for (const step of extension.steps) t.comment(`extended to ${step.to}×: ${step.reason}`)
  } else {
    t.equal(transactions, requests, 'every request sent')
  }
  t.comment(`${name}: ${seconds.toFixed(1)} s; ${v.verdict} (${v.attribution}); ${v.metrics.map((m) => `${m.metric} ${m.verdict}`).join(', ')}`)
  t.comment(v.summary)
  return v
}

/** A file's live puma tests, defined only where puma and ruby are installed, each file timed out as a whole. */
export function livePumaTests (timeoutMs: number, define: () => void): void {
  if (!installed('puma') || !installed('ruby')) {
    t.plan(0, 'puma (and ruby) not installed: apt-get install puma ruby-rack')
    return
  }
  t.setTimeout(timeoutMs)
  define()
}
