/**
 * Live: a fresh puma on endpoints that keep nothing (test/helpers/live-puma.ts): RSS climbs while
 * glibc's arenas warm up and bends flat, the old generation stays flat: not a leak. 120,000
 * requests, about the 2 minutes its allocator needs to bend flat.
 */
import t from 'tap'
import { livePumaVerdict, NO_CULPRIT, NOT_A_LEAK, livePumaTests } from './helpers/live-puma.js'

// One fresh puma: 2 to 3 minutes on a busy 2-core machine.
livePumaTests(600_000, () => {
  t.test('a fresh puma on endpoints that keep nothing is not a leak', async (t) => {
    const v = await livePumaVerdict(t, 'puma-fresh', { urls: 'plain.txt', requests: 120_000 })
    t.ok(NOT_A_LEAK.includes(v.verdict), `${v.verdict}: ${v.summary}`)
    t.ok(NO_CULPRIT.includes(v.attribution), `attribution: ${v.attribution}`)
  })
})
