/**
 * The comparison of targets loaded side by side: `memsiege compare`'s table and charts, with the
 * difference in growth taken from the paired floor series (analysis/paired-growth.ts) instead of
 * the two runs' own intervals, and sentences that name the targets and say which one leaks
 * (worded by analysis/verdict-words.ts).
 */
import { pairedGrowth, sidesConclusion, type PairedGrowth, type SideSeries, type SidesHeadline } from '../analysis/paired-growth.js'
import type { MetricVerdict } from '../analysis/types.js'
import { pairedSeriesText, sidesHeadlineText } from '../analysis/verdict-words.js'
import { axisWords, TIME_AXIS, type AxisWords } from '../analysis/x-axis.js'
import { compareRuns, type CompareRunInput, type Comparison, type RunColumn } from './compare.js'
import { mainSegment } from './memory-svg.js'

export interface SidesComparison extends Comparison {
  /** Per series (in `series` order), per target after the first: the paired difference, when the floors allowed one. */
  paired: Array<Array<PairedGrowth | undefined>>
  /** The sentence to act on, first of `sentences`. */
  headline: string
}

export function compareSides (runs: readonly CompareRunInput[]): SidesComparison {
  const c = compareRuns(runs)
  const axis = axisWords(c.time ? TIME_AXIS : undefined)
  const verdictsOf = (metric: string) => runs.map((r) => r.verdict?.metrics.find((m) => m.metric === metric))
  const paired = c.series.map((s) => {
    const verdicts = verdictsOf(s.metric)
    return s.versus.map((v, j) => {
      const [a, b] = [verdicts[0], verdicts[j + 1]]
      const p = a && b ? pairedGrowth(floorOf(a), floorOf(b)) : undefined
      if (p) {
        v.difference = { difference: p.difference, significant: p.significant }
        v.sentence = pairedSentence(s.metric, c.runs[0], a!, c.runs[j + 1], b!, p, axis)
      }
      return p
    })
  })
  const headline = headlineOf(c, paired, runs, axis)
  return { ...c, paired, headline, sentences: [headline, ...c.series.flatMap((s) => s.versus.map((v) => v.sentence))] }
}

function floorOf (m: MetricVerdict): Array<[number, number]> {
  return mainSegment(m.segments)?.floor ?? []
}

function sideSeries (target: RunColumn, m: MetricVerdict, metric?: string): SideSeries {
  return { target: target.name, unit: m.unit, verdict: m.verdict, ...(metric !== undefined ? { metric } : {}), ...(m.per_request ? { per_request: m.per_request.value } : {}) }
}

/** One series' paired difference in words (verdict-words.ts). */
function pairedSentence (metric: string, a: RunColumn, ma: MetricVerdict, b: RunColumn, mb: MetricVerdict, p: PairedGrowth, axis: AxisWords): string {
  return pairedSeriesText(metric, sideSeries(a, ma), sideSeries(b, mb), p.difference, p.significant, { p: p.p_value, requests: p.requests }, axis)
}

/**
 * The sentence to act on, for each target after the first: each side's decided verdict, and the
 * paired difference on the series that tells them apart (one that leaks in either with a
 * significant difference, else one that decides a verdict).
 */
function headlineOf (c: Comparison, paired: Array<Array<PairedGrowth | undefined>>, runs: readonly CompareRunInput[], axis: AxisWords): string {
  const a = c.runs[0]
  return c.runs.slice(1).map((b, j) => sidesHeadlineText(headline(a, b, j + 1), axis)).join(' ')

  function headline (a: RunColumn, b: RunColumn, i: number): SidesHeadline {
    const sides = { a: { name: a.name, verdict: a.verdict }, b: { name: b.name, verdict: b.verdict } }
    if (!a.verdict || !b.verdict) return { kind: 'no-verdict', ...sides }
    const metricsOf = (k: number) => [runs[0], runs[i]].map((r) => r.verdict?.metrics.find((m) => m.metric === c.series[k].metric))
    const score = (k: number): number => {
      const [ma, mb] = metricsOf(k)
      if (!ma || !mb) return -1
      const p = paired[k][i - 1]
      const leaks = ma.verdict === 'leak' || mb.verdict === 'leak'
      const decides = Boolean(ma.decides || mb.decides)
      return (p?.significant ? 4 : 0) + (leaks ? 2 : 0) + (decides ? 1 : 0)
    }
    const best = c.series.map((_, k) => k).reduce((x, k) => (score(k) > score(x) ? k : x), 0)
    const [ma, mb] = metricsOf(best)
    const growth = paired[best]?.[i - 1]
    if (!ma || !mb || !growth) return { kind: 'unpaired', ...sides }
    // The sides' decided verdicts, not the series': a side is a leak only when its run says so.
    return { kind: 'paired', ...sides, metric: c.series[best].metric, unit: ma.unit, growth, conclusion: sidesConclusion(a.verdict, b.verdict, growth) }
  }
}
