/**
 * The words of side by side come from the one wording module (analysis/verdict-words.ts): the
 * significance of a difference reads the same in `memsiege compare` of two runs and in the
 * paired comparison of targets loaded together, and the headline names the target that grows.
 */
import t from 'tap'
import { differenceText, pairedSeriesText, sidesHeadlineText, significanceText } from '../src/analysis/verdict-words.js'
import { sidesConclusion, type SideRun, type SideSeries } from '../src/analysis/paired-growth.js'
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
  const growth = { difference: d, p_value: 0.00001, significant: true, points: 40, requests: [0, 4000] as [number, number] }
  const paired = (a: SideRun, b: SideRun, g = growth) => ({ kind: 'paired' as const, a, b, metric: 'gc.old_objects', unit: 'objects' as const, growth: g, conclusion: sidesConclusion(a.verdict!, b.verdict!, g) })
  const oldRun = { name: 'old', verdict: 'leak' as const }
  const fixedRun = { name: 'new', verdict: 'plateau' as const }
  t.equal(sidesHeadlineText(paired(oldRun, fixedRun)),
    "old: leak; new: not a leak (plateau), gc.old_objects 1.02 objects/request less than old's; the difference is significant (new − old: −1.02 objects/request, 95% interval −1.1 … −0.95; paired over requests 0 to 4,000, p < 0.0001): what differs in new fixes the leak.")
  const up = { ...growth, difference: { value: 5325, low: 5100, high: 5500, level: 0.95 } }
  t.equal(sidesHeadlineText({ ...paired({ name: 'a', verdict: 'settling' }, { name: 'b', verdict: 'leak' }, up), metric: 'rss_bytes', unit: 'bytes' }),
    "a: not a leak (settling); b: leak, RSS 5.2 KiB/request more than a's; the difference is significant (b − a: +5.2 KiB/request, 95% interval +4.98 … +5.37; paired over requests 0 to 4,000, p < 0.0001): what differs in b brings the leak.",
    'the headline of issue 24: each side\'s decided verdict, then the paired difference')
  t.match(sidesHeadlineText(paired(oldRun, { name: 'new', verdict: 'leak' })), /^old: leak; new: leak, .* less than old's; .*: what differs in new makes the leak slower, not gone\.$/)
  t.match(sidesHeadlineText(paired({ name: 'new', verdict: 'leak' }, oldRun, up)), /what differs in old makes the leak faster/)
  t.match(sidesHeadlineText(paired({ name: 'x', verdict: 'flat' }, { name: 'y', verdict: 'inconclusive' }, up)), /^x: not a leak \(flat\); y: undecided \(inconclusive\), .*: y grows more, though its own run does not call it a leak: a longer run will tell\.$/)
  t.match(sidesHeadlineText(paired({ name: 'x', verdict: 'leak' }, { name: 'y', verdict: 'flat' }, up)), /: y grows more though x is the one called a leak/)
  const none = { ...growth, significant: false, p_value: 0.4 }
  t.match(sidesHeadlineText(paired(oldRun, fixedRun, none)), /^old: leak; new: not a leak \(plateau\); gc\.old_objects: the difference is not significant \(.*\): what differs in new makes none that this run can tell\.$/)
  t.match(sidesHeadlineText(paired({ name: 'x', verdict: 'flat' }, { name: 'y', verdict: 'inconclusive' }, { ...growth, difference: { value: 2, low: 1, high: 3, level: 0.95 } }), axisWords(TIME_AXIS)), /y: undecided \(inconclusive\), gc\.old_objects 7,200 objects\/hour more than x's; .*a longer watch will tell/, 'on the time axis: per hour, a watch')
  t.equal(sidesHeadlineText({ kind: 'unpaired', a: oldRun, b: fixedRun }), 'old: leak; new: not a leak (plateau); no series of theirs could be paired to tell them apart.')
  t.equal(sidesHeadlineText({ kind: 'no-verdict', a: oldRun, b: { name: 'new' } }), "old: leak; new: no verdict: new can't be set against old without both verdicts.")
})
