/**
 * The comparison of targets loaded side by side: `memsiege compare`'s table and charts, with the
 * difference in growth taken from the paired floor series (analysis/paired-growth.ts) instead of
 * the two runs' own intervals, and sentences that name the targets and say which one leaks.
 */
import { pairedGrowth, type PairedGrowth } from '../analysis/paired-growth.js'
import type { MetricVerdict } from '../analysis/types.js'
import type { Unit } from '../columns/meaning.js'
import { formatAmount, formatRate } from '../units/format.js'
import { compareRuns, metricName, type CompareRunInput, type Comparison, type RunColumn } from './compare.js'
import { mainSegment } from './memory-svg.js'

export interface SidesComparison extends Comparison {
  /** Per series (in `series` order), per target after the first: the paired difference, when the floors allowed one. */
  paired: Array<Array<PairedGrowth | undefined>>
  /** The sentence to act on, first of `sentences`. */
  headline: string
}

export function compareSides (runs: readonly CompareRunInput[]): SidesComparison {
  const c = compareRuns(runs)
  const verdictsOf = (metric: string) => runs.map((r) => r.verdict?.metrics.find((m) => m.metric === metric))
  const paired = c.series.map((s) => {
    const verdicts = verdictsOf(s.metric)
    return s.versus.map((v, j) => {
      const [a, b] = [verdicts[0], verdicts[j + 1]]
      const p = a && b ? pairedGrowth(floorOf(a), floorOf(b)) : undefined
      if (p) {
        v.difference = { difference: p.difference, significant: p.significant }
        v.sentence = pairedSentence(s.metric, s.unit, c.runs[0], a!, c.runs[j + 1], b!, p)
      }
      return p
    })
  })
  const headline = headlineOf(c, paired, runs)
  return { ...c, paired, headline, sentences: [headline, ...c.series.flatMap((s) => s.versus.map((v) => v.sentence))] }
}

function floorOf (m: MetricVerdict): Array<[number, number]> {
  return mainSegment(m.segments)?.floor ?? []
}

/** What a target's series did, in a few words: "grows 1.0 object/request", "stops growing". */
function doing (m: MetricVerdict, unit: Unit, plural: boolean): string {
  const rate = m.per_request ? formatRate(m.per_request.value, unit, 'request') : undefined
  const s = plural ? '' : 's'
  switch (m.verdict) {
    case 'leak': return `grow${s} ${rate ?? ''}`.trimEnd()
    case 'plateau': return `stop${s} growing`
    case 'settling': return `settle${s}${rate ? ` (${rate} late)` : ''}`
    case 'flat': return `stay${s} flat`
    case 'inconclusive': return `${plural ? 'are' : 'is'} inconclusive${rate ? ` at ${rate}` : ''}`
  }
}

/** Counts read as plurals ("old_objects grow"); bytes as one amount ("RSS grows"). */
function isPlural (unit: Unit): boolean {
  return unit !== 'bytes'
}

/**
 * "gc.stat.old_objects: old grow 1.0 object/request, new stop growing; new − old −1.0 object/request
 * (95% interval −1.1 … −0.9), significant (paired on 4,000 requests, p < 0.001)."
 */
export function pairedSentence (metric: string, unit: Unit, a: RunColumn, ma: MetricVerdict, b: RunColumn, mb: MetricVerdict, p: PairedGrowth): string {
  const plural = isPlural(unit)
  const d = p.difference
  const amount = (v: number) => (v > 0 ? '+' : '') + formatAmount(v, unit).replace(/^-/, '−')
  const interval = `${Math.round(d.level * 100)}% interval ${amount(d.low)} … ${amount(d.high)}`
  const pText = p.p_value < 0.001 ? 'p < 0.001' : `p = ${p.p_value.toFixed(3)}`
  return `${metricName(metric)}: ${a.name}'s ${doing(ma, unit, plural)}, ${b.name}'s ${doing(mb, unit, plural)}; ` +
    `${b.name} − ${a.name}: ${amount(d.value)}/request (${interval}), ${p.significant ? 'a significant difference' : 'not a significant difference'} ` +
    `(paired over requests ${Math.round(p.requests[0]).toLocaleString('en-US')} to ${Math.round(p.requests[1]).toLocaleString('en-US')}, ${pText}).`
}

/**
 * The sentence to act on, for each target after the first: the series that tells them apart
 * (one that leaks in either with a significant difference, else one that decides a verdict), who
 * grows faster, whether that is significant, and what it means for the change between them.
 */
function headlineOf (c: Comparison, paired: Array<Array<PairedGrowth | undefined>>, runs: readonly CompareRunInput[]): string {
  const a = c.runs[0]
  return c.runs.slice(1).map((b, j) => {
    const i = j + 1
    if (!a.verdict || !b.verdict) return `${b.name} can't be set against ${a.name}: ${!a.verdict ? a.name : b.name} has no verdict.`
    const metricsOf = (k: number) => [runs[0], runs[i]].map((r) => r.verdict?.metrics.find((m) => m.metric === c.series[k].metric))
    const score = (k: number): number => {
      const [ma, mb] = metricsOf(k)
      if (!ma || !mb) return -1
      const p = paired[k][j]
      const leaks = ma.verdict === 'leak' || mb.verdict === 'leak'
      const decides = Boolean(ma.decides || mb.decides)
      return (p?.significant ? 4 : 0) + (leaks ? 2 : 0) + (decides ? 1 : 0)
    }
    const best = c.series.map((_, k) => k).reduce((x, k) => (score(k) > score(x) ? k : x), 0)
    const [ma, mb] = metricsOf(best)
    const p = paired[best]?.[j]
    const leaks = (col: RunColumn) => col.verdict === 'leak'
    const verdicts = `${a.name} ${leaks(a) ? 'leaks' : `is ${a.verdict}`}, ${b.name} ${leaks(b) ? 'leaks' : `is ${b.verdict}`}`
    if (!ma || !mb || !p) return `${verdicts}; no series of theirs could be paired to tell them apart.`
    const series = c.series[best]
    const plural = isPlural(series.unit)
    const evidence = `${a.name}'s ${metricName(series.metric)} ${doing(ma, series.unit, plural)}, ${b.name}'s ${doing(mb, series.unit, plural)}`
    if (!p.significant) return `${verdicts}; ${evidence}; the difference is not significant: the change from ${a.name} to ${b.name} makes none that this run can tell.`
    const bGrowsLess = p.difference.value < 0
    const [more, less] = bGrowsLess ? [a, b] : [b, a]
    if (leaks(more) && !leaks(less)) {
      return `${more.name} leaks and ${less.name} does not: ${evidence}; the difference is significant: what differs in ${b.name} ${bGrowsLess ? 'fixes' : 'brings'} the leak.`
    }
    if (leaks(a) && leaks(b)) return `Both leak, ${more.name} faster: ${evidence}; the difference is significant: what differs in ${b.name} makes the leak ${bGrowsLess ? 'slower, not gone' : 'faster'}.`
    return `${verdicts}, but ${more.name} grows faster: ${evidence}; the difference is significant: a longer run will tell whether ${more.name} leaks.`
  }).join(' ')
}
