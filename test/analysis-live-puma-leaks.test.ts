/**
 * Live: leaks in a real puma app, and a cache that is none (test/helpers/live-puma.ts):
 * - an object leak reached only through a form-body parameter, sent as X-Method POSTs: leak, objects;
 * - a malloc never freed (Fiddle), one request in ten: leak, native memory;
 * - a thread that never ends, one request in ten: leak, threads;
 * - a bounded cache of 4,000 × 4 KiB filling over ~16,000 requests: plateau or still settling,
 *   in a run that decides from 30,000 requests (a fixed 30,000 could end with RSS still
 *   inconclusive on a busy machine: "about 1,128 more requests should settle it").
 */
import t from 'tap'
import { livePumaVerdict, NO_CULPRIT, livePumaTests } from './helpers/live-puma.js'

// Four fresh pumas, one after the other: 2 to 5 minutes on a busy 2-core machine.
livePumaTests(900_000, () => {
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

  t.test('a bounded cache filling over ~16,000 requests, until decided', async (t) => {
    const v = await livePumaVerdict(t, 'puma-cache', { urls: 'cache.txt', env: { APP_CACHE: '/api/cache' }, untilDecided: true })
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
})
