/**
 * Live, a run that decides (`untilDecided`) on a real puma app (test/helpers/live-puma.ts), from
 * a first length of 20,000 requests (where a run of fixed length is inconclusive), extended at
 * each doubling while undecided, up to 8×: a fresh puma on endpoints that keep nothing, whose RSS
 * climbs while glibc's arenas warm up and bends while the old generation stays flat, is not a leak.
 * (The bounded cache decided from 30,000 requests is in analysis-live-puma-leaks.test.ts. A cache
 * still filling at the first look is growth that has held so far, a leak by every measure a run
 * has (docs/runs-that-decide.md): from 20,000 requests its fill ends too close to the look for the
 * bend to show every time; a busy suite once called it a native leak there.)
 * Sized in requests, not seconds: a busy machine makes the run slower, not shorter.
 */
import t from 'tap'
import { livePumaVerdict, NO_CULPRIT, NOT_A_LEAK, livePumaTests } from './helpers/live-puma.js'

// A fresh puma, 40,000 to 80,000 requests: 1 to 2 minutes on a busy 2-core machine.
livePumaTests(900_000, () => {
  t.test('a fresh puma on endpoints that keep nothing: not a leak, decided from a 20,000-request start', async (t) => {
    const v = await livePumaVerdict(t, 'puma-fresh', { urls: 'plain.txt', requests: 20_000, untilDecided: true })
    t.ok(NOT_A_LEAK.includes(v.verdict), `${v.verdict}: ${v.summary}`)
    t.ok(NO_CULPRIT.includes(v.attribution), `attribution: ${v.attribution}`)
  })
})
