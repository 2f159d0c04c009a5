/**
 * The words of side by side come from the one wording module (analysis/verdict-words.ts): the
 * significance of a difference reads the same in `memsiege compare` of two runs and in the
 * paired comparison of targets loaded together, and the headline names the target that grows.
 */
import t from 'tap'
import { differenceText, pairedSeriesText, sidesHeadlineText, significanceText } from '../src/analysis/verdict-words.js'
import type { SideSeries } from '../src/analysis/paired-growth.js'
import { axisWords, TIME_AXIS } from '../src/analysis/x-axis.js'

const d = { value: -1.02, low: -1.1, high: -0.95, level: 0.95 }
const old: SideSeries = { target: 'old', metric: 'gc.old_objects', unit: 'objects', verdict: 'leak', per_request: 1.02 }
const fixed: SideSeries = { target: 'new', metric: 'gc.old_objects', unit: 'objects', verdict: 'plateau' }

t.test('a difference: significant or not, its interval, and how it was paired', async (t) => {
  t.equal(significanceText(true), 'the difference is significant')
  t.equal(significanceText(false), 'the difference is not significant')
  t.equal(differenceText('A', 'B', { value: -7300, low: -8100, high: -6500, level: 0.95 }, 'bytes'), '(B − A: −7.13 KiB/request, 95% interval −7.91 … −6.35)')
  t.equal(differenceText('old', 'new', d, 'objects', { p: 0.00001, requests: [120, 4000] }), '(new − old: −1.02 objects/request, 95% interval −1.1 … −0.95; paired over requests 120 to 4,000, p < 0.0001)')
  t.equal(differenceText('a', 'b', { value: -2, low: -3, high: -1, level: 0.95 }, 'objects', { p: 0.2, requests: [5, 7200] }, axisWords(TIME_AXIS)), '(b − a: −7.2 k objects/hour, 95% interval −10.8 … −3.6; paired from 5 s to 2 h of watching, p = 0.200)', 'a watch on the time axis: per hour, durations')
})

t.test('one series of two targets, and the headline of each kind', async (t) => {
  t.equal(pairedSeriesText('gc.old_objects', old, fixed, d, true, { p: 0.00001, requests: [0, 4000] }),
    "gc.old_objects: old's grow 1.02 objects/request, new's stop growing; the difference is significant (new − old: −1.02 objects/request, 95% interval −1.1 … −0.95; paired over requests 0 to 4,000, p < 0.0001).")
  const a = { name: 'old', verdict: 'leak' as const }
  const b = { name: 'new', verdict: 'plateau' as const }
  const series: [SideSeries, SideSeries] = [old, fixed]
  t.equal(sidesHeadlineText({ kind: 'one-leaks', a, b, series, more: 'old', less: 'new' }),
    "old leaks and new does not: old's gc.old_objects grow 1.02 objects/request, new's gc.old_objects stop growing; the difference is significant: what differs in new fixes the leak.")
  t.match(sidesHeadlineText({ kind: 'one-leaks', a: b, b: a, series: [fixed, old], more: 'old', less: 'new' }), /what differs in old brings the leak/)
  t.match(sidesHeadlineText({ kind: 'both-leak', a, b: { name: 'new', verdict: 'leak' }, series, more: 'old', less: 'new' }), /^Both leak, old faster: .*slower, not gone/)
  t.match(sidesHeadlineText({ kind: 'grows-faster', a: b, b: { name: 'x', verdict: 'flat' }, series, more: 'new', less: 'x' }), /^new is plateau, x is flat, but new grows faster: .*the difference is significant: a longer run/)
  t.match(sidesHeadlineText({ kind: 'not-significant', a, b, series }), /; the difference is not significant: the change from old to new makes none/)
  t.match(sidesHeadlineText({ kind: 'grows-faster', a: b, b: { name: 'x', verdict: 'flat' }, series, more: 'new', less: 'x' }, axisWords(TIME_AXIS)), /old's gc\.old_objects grow 3,672 objects\/hour, .*a longer watch will tell/, 'on the time axis: per hour, a watch')
  t.equal(sidesHeadlineText({ kind: 'unpaired', a, b }), 'old leaks, new is plateau; no series of theirs could be paired to tell them apart.')
  t.equal(sidesHeadlineText({ kind: 'no-verdict', a, b: { name: 'new' } }), "new can't be set against old: new has no verdict.")
})
