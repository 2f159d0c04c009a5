/**
 * Live: the verdict on a real puma app (test/fixtures/puma-real: puma 5, Ruby 3.1, glibc malloc,
 * `-t 8:8`, single mode), started fresh by memsiege for each case, its GC endpoint the plain
 * `GC.stat.to_json` people write by hand. Each case is bounded in requests (30,000; the
 * fresh-process case 120,000, about the 2 minutes its allocator needs to bend flat) and in time
 * (the CLI is killed after its timeout). Rows every 250 ms: at one a second a fast machine would
 * leave only a dozen rows for 30,000 requests.
 *
 * - a fresh process on endpoints that keep nothing: RSS climbs while glibc's arenas warm up and
 *   bends flat, the old generation stays flat: not a leak;
 * - an object leak reached only through a form-body parameter, sent as X-Method POSTs: leak, objects;
 * - a malloc never freed (Fiddle), one request in ten: leak, native memory;
 * - a thread that never ends, one request in ten: leak, threads;
 * - a bounded cache of 4,000 × 4 KiB filling over ~16,000 requests: plateau or still settling.
 */
import t from 'tap'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { RunVerdict } from '../src/analysis/types.js'
import { liveRun } from './helpers/live-demo.js'
import { installed } from './helpers/installed.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'

const APP = join(repoRoot, 'test/fixtures/puma-real')
const NOT_A_LEAK = ['settling', 'plateau', 'flat']
// Objects flat while RSS bends: no leak, or the allocator warming up, named as such.
const NO_CULPRIT = ['none', 'allocator-warmup']

interface LiveCase {
  urls: 'plain.txt' | 'search.txt' | 'cache.txt'
  env?: Record<string, string>
  requests?: number
  methodOverride?: boolean
}

async function livePumaVerdict (t: Test, name: string, c: LiveCase): Promise<RunVerdict> {
  // The recording stays in .tap/fixtures: a verdict that surprises on some machine can be read again.
  t.saveFixture = true
  const port = await freePort()
  const requests = c.requests ?? 30_000
  const env = { RACK_ENV: 'production', ...c.env }
  const { verdict: v, transactions, seconds } = await liveRun(t, t.testdir({}), name, [
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
    'sample:',
    '  interval: 250ms',
    '  pssInterval: 10s',
    '  gc: { url: /gc, interval: 250ms }',
  ], Math.max(180_000, requests * 4)) // 250 requests/s at the slowest seen (thousands of threads, busy machine)
  t.equal(transactions, requests, 'every request sent')
  t.comment(`${name}: ${seconds.toFixed(1)} s; ${v.verdict} (${v.attribution}); ${v.metrics.map((m) => `${m.metric} ${m.verdict}`).join(', ')}`)
  t.comment(v.summary)
  return v
}

if (!installed('puma') || !installed('ruby')) {
  t.plan(0, 'puma (and ruby) not installed: apt-get install puma ruby-rack')
} else {
  // Five fresh pumas, one after the other: 4 to 8 minutes on a busy 2-core machine.
  t.setTimeout(1_200_000)

  t.test('a fresh puma on endpoints that keep nothing is not a leak', async (t) => {
    const v = await livePumaVerdict(t, 'puma-fresh', { urls: 'plain.txt', requests: 120_000 })
    t.ok(NOT_A_LEAK.includes(v.verdict), `${v.verdict}: ${v.summary}`)
    t.ok(NO_CULPRIT.includes(v.attribution), `attribution: ${v.attribution}`)
  })

  t.test('an object leak reached only through a form-body parameter (X-Method POSTs)', async (t) => {
    const v = await livePumaVerdict(t, 'puma-body-leak', { urls: 'search.txt', env: { APP_BODY_LEAK: '/api/search' }, methodOverride: true })
    t.equal(v.verdict, 'leak', v.summary)
    t.equal(v.attribution, 'object-leak')
  })

  t.test('a malloc never freed, one request in ten', async (t) => {
    const v = await livePumaVerdict(t, 'puma-native-leak', { urls: 'plain.txt', env: { APP_NATIVE_LEAK: '/api/e3' } })
    t.equal(v.verdict, 'leak', v.summary)
    t.equal(v.attribution, 'native-or-fragmentation')
  })

  t.test('a thread that never ends, one request in ten', async (t) => {
    // 10,000 requests: a thousand threads already say it, and each one slows puma down further.
    const v = await livePumaVerdict(t, 'puma-thread-leak', { urls: 'plain.txt', env: { APP_THREAD_LEAK: '/api/e9' }, requests: 10_000 })
    t.equal(v.verdict, 'leak', v.summary)
    t.equal(v.attribution, 'thread-leak')
  })

  t.test('a bounded cache filling over ~16,000 requests', async (t) => {
    const v = await livePumaVerdict(t, 'puma-cache', { urls: 'cache.txt', env: { APP_CACHE: '/api/cache' } })
    t.not(v.verdict, 'leak', v.summary)
    const rss = v.metrics.find((m) => m.metric === 'rss_anon_bytes')?.verdict
    t.ok(['settling', 'plateau'].includes(rss ?? ''), `rss_anon_bytes: ${rss}`)
    // The old generation's floors come from old_objects_limit (exact at each major GC): the
    // cache's rise, then its level, even with only ~15 major GCs in 30,000 requests (one floor
    // each: the two halves of the run judged on 5 to 7 floors each).
    t.ok(['settling', 'plateau'].includes(v.verdict), `${v.verdict}: ${v.summary}`)
    const old = v.metrics.find((m) => m.metric === 'gc.old_objects')?.verdict
    t.ok(['plateau', 'flat'].includes(old ?? ''), `gc.old_objects: ${old}`)
    t.ok(NO_CULPRIT.includes(v.attribution), `attribution: ${v.attribution}`)
  })
}
