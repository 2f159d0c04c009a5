/**
 * Live, runs that decide (`untilDecided`) on a real puma app (test/helpers/live-puma.ts), each
 * from a first length of 20,000 requests (about 25 s at -c 4 on an idle machine, where a run of
 * fixed length is inconclusive) and extended at each doubling while undecided, up to 8×:
 * - a fresh puma on endpoints that keep nothing: RSS climbs while glibc's arenas warm up and
 *   bends, the old generation stays flat: not a leak;
 * - a bounded cache of 4,000 × 4 KiB filling over ~16,000 requests: not a leak, from a first
 *   length of 30,000 requests. A cache still filling at the first look is growth that has held so
 *   far, a leak by every measure a run has (docs/runs-that-decide.md): at 20,000 requests the
 *   fill ends too close to the look for its bend to be seen every time (it was called a native
 *   leak there once in a busy suite).
 * Sized in requests, not seconds: a busy machine makes the run slower, not shorter.
 */
import t from 'tap'
import { livePumaVerdict, NO_CULPRIT, NOT_A_LEAK, livePumaTests } from './helpers/live-puma.js'

// Two fresh pumas, 40,000 to 80,000 requests each: 2 to 4 minutes on a busy 2-core machine.
livePumaTests(900_000, () => {
  t.test('a fresh puma on endpoints that keep nothing: not a leak, decided from a 20,000-request start', async (t) => {
    const v = await livePumaVerdict(t, 'puma-fresh', { urls: 'plain.txt', requests: 20_000, untilDecided: true })
    t.ok(NOT_A_LEAK.includes(v.verdict), `${v.verdict}: ${v.summary}`)
    t.ok(NO_CULPRIT.includes(v.attribution), `attribution: ${v.attribution}`)
  })

  t.test('a bounded cache filling over ~16,000 requests: not a leak, decided from a 30,000-request start', async (t) => {
    const v = await livePumaVerdict(t, 'puma-cache-decided', { urls: 'cache.txt', env: { APP_CACHE: '/api/cache' }, requests: 30_000, untilDecided: true })
    t.ok(NOT_A_LEAK.includes(v.verdict), `${v.verdict}: ${v.summary}`)
    t.ok(NO_CULPRIT.includes(v.attribution), `attribution: ${v.attribution}`)
  })
})
