/**
 * `memsiege compare`: runs side by side (throughput, latency, and each memory series' growth per
 * request and per hour with their intervals), and a plain sentence per series saying how run B
 * (C, …) grows compared with run A, and whether the difference is significant.
 */
import { normalQuantile } from '../analysis/stats/normal.js'
import type { Estimate, MetricVerdict, RunVerdict, SeriesVerdict } from '../analysis/types.js'
import { ms } from '../units/format.js'
import { mainSegment } from './memory-svg.js'
import type { ReportInput } from './report-input.js'
import { formatDuration, formatEstimate, formatNumber } from '../units/format.js'
import { differenceText, metricLabel, significanceText } from '../analysis/verdict-words.js'
import { axisWords, isTimeAxis, TIME_AXIS, type AxisWords } from '../analysis/x-axis.js'
import type { Unit } from '../columns/meaning.js'

/** Where a run's verdict came from: its summary.json, the analysis run now, or nowhere. */
export type VerdictSource = 'summary' | 'analysis' | 'none'

export interface CompareRunInput {
  input: ReportInput
  verdict?: RunVerdict
  verdictFrom: VerdictSource
  /** Why there is no verdict, when there is none. */
  noVerdictReason?: string
}

export interface RunColumn {
  /** A, B, C … in the order given. */
  label: string
  name: string
  dir: string
  started_at: string
  elapsed_s: number
  requests: number
  rate_per_s: number
  availability_percent: number
  p50_ms: number
  p99_ms: number
  concurrency: number
  verdict?: SeriesVerdict
  verdictFrom: VerdictSource
  noVerdictReason?: string
  interrupted: boolean
  events: number
}

export interface GrowthCell {
  verdict?: SeriesVerdict
  per_request?: Estimate
  per_hour?: Estimate
  /** Segments the series had (a restart starts a new one). */
  segments: number
  /**
   * When the figures are one segment's (the longest; the analysis gave no pooled figure), its
   * 1-based index, if there were several.
   */
  segment?: number
}

export interface SlopeDifference {
  /** B − A, with the normal-approximation interval built from the two intervals. */
  difference: Estimate
  significant: boolean
}

export interface SeriesComparison {
  metric: string
  unit: Unit
  /** The metric decides a run's verdict (in any of the runs), or is RSS: it gets a chart. */
  charted: boolean
  /** For a derived metric (native_bytes): the two columns it is the difference of. */
  derived_from?: string[]
  /** One per run, in the runs' order. */
  cells: GrowthCell[]
  /** B vs A, C vs A …: one per run after the first. */
  versus: Array<{ label: string; difference?: SlopeDifference; sentence: string }>
}

export interface Comparison {
  /** Every run is a watch with no request counter: the x axis is time, rates per hour (analysis/x-axis.ts). */
  time: boolean
  /** Every run is a watch: memsiege sent no requests, so there are no users, rate, availability or latency to show. */
  watch: boolean
  runs: RunColumn[]
  series: SeriesComparison[]
  /** Every sentence, in order. */
  sentences: string[]
}

const LABELS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

export function runLabel (i: number): string {
  return i < LABELS.length ? LABELS[i] : `R${i + 1}`
}

/** The comparison of two or more runs; the first is the baseline the others are compared with. */
export function compareRuns (runs: readonly CompareRunInput[]): Comparison {
  const columns = runs.map((r, i): RunColumn => {
    const s = r.input.summary
    return {
      label: runLabel(i),
      name: s.name,
      dir: r.input.dir,
      started_at: s.started_at,
      elapsed_s: s.elapsed_s,
      requests: s.transactions + s.failed_transactions,
      rate_per_s: s.transaction_rate_per_s,
      availability_percent: s.availability_percent,
      p50_ms: s.latency.p50_ms,
      p99_ms: s.latency.p99_ms,
      concurrency: s.config?.concurrency ?? 0,
      verdict: r.verdict?.verdict,
      verdictFrom: r.verdictFrom,
      noVerdictReason: r.noVerdictReason,
      interrupted: s.interrupted,
      events: (s.events ?? []).length
    }
  })
  const time = runs.every((r) => isTimeAxis(r.input.summary.x_axis))
  const axis = axisWords(time ? TIME_AXIS : undefined)
  const metrics = seriesList(runs)
  const series = metrics.map(({ metric, unit, charted, derived_from }): SeriesComparison => {
    const cells = runs.map((r) => growthCell(r.verdict?.metrics.find((m) => m.metric === metric)))
    const versus = columns.slice(1).map((col, j) => {
      const i = j + 1
      const difference = cells[0].per_request && cells[i].per_request ? slopeDifference(cells[0].per_request, cells[i].per_request) : undefined
      return { label: col.label, difference, sentence: growthSentence(metric, unit, columns[0], cells[0], columns[i], cells[i], difference, axis) }
    })
    return { metric, unit, charted, ...(derived_from ? { derived_from } : {}), cells, versus }
  })
  const watch = runs.every((r) => r.input.summary.x_axis !== undefined)
  return { time, watch, runs: columns, series, sentences: series.flatMap((s) => s.versus.map((v) => v.sentence)) }
}

interface SeriesInfo { metric: string; unit: Unit; charted: boolean; derived_from?: string[] }

/** The series to compare: every metric any verdict has (rss_bytes first), or rss_bytes alone. */
function seriesList (runs: readonly CompareRunInput[]): SeriesInfo[] {
  const seen = new Map<string, SeriesInfo>()
  for (const r of runs) {
    for (const m of r.verdict?.metrics ?? []) {
      const info = seen.get(m.metric) ?? { metric: m.metric, unit: m.unit, charted: m.metric === 'rss_bytes', ...(m.derived_from ? { derived_from: m.derived_from } : {}) }
      if (m.decides) info.charted = true
      seen.set(m.metric, info)
    }
  }
  if (!seen.has('rss_bytes') && runs.some((r) => r.input.series.columns.rss_bytes)) seen.set('rss_bytes', { metric: 'rss_bytes', unit: 'bytes', charted: true })
  // a verdict without `decides` (an older analysis): chart what there is
  if (![...seen.values()].some((s) => s.charted && s.metric !== 'rss_bytes')) for (const s of seen.values()) s.charted = true
  const list = [...seen.values()]
  return list.sort((a, b) => Number(b.metric === 'rss_bytes') - Number(a.metric === 'rss_bytes'))
}

/** A metric's growth: pooled over its segments when the analysis gives that, else its longest segment's. */
function growthCell (m: MetricVerdict | undefined): GrowthCell {
  if (!m) return { segments: 0 }
  if (m.per_request) return { verdict: m.verdict, per_request: m.per_request, per_hour: m.per_hour, segments: m.segments.length }
  const seg = mainSegment(m.segments)
  const index = seg ? m.segments.indexOf(seg) : -1
  return {
    verdict: m.verdict,
    per_request: seg?.per_request,
    per_hour: seg?.per_hour,
    segments: m.segments.length,
    segment: m.segments.length > 1 && index >= 0 ? index + 1 : undefined
  }
}

/** The standard error an interval implies, taken as a normal one (half its width over z). */
export function standardError (e: Estimate): number {
  const z = normalQuantile(0.5 + e.level / 2)
  return (e.high - e.low) / (2 * z)
}

/**
 * B − A with its interval at `level` from the two intervals by the normal approximation
 * (se = √(seA² + seB²)); significant when that interval excludes 0.
 */
export function slopeDifference (a: Estimate, b: Estimate, level = 0.95): SlopeDifference {
  const se = Math.hypot(standardError(a), standardError(b))
  const z = normalQuantile(0.5 + level / 2)
  const value = b.value - a.value
  const difference = { value, low: value - z * se, high: value + z * se, level }
  return { difference, significant: difference.low > 0 || difference.high < 0 }
}

function perX (v: number, unit: Unit, axis: AxisWords): string {
  return (v > 0 ? '+' : '') + axis.rate(v, unit).replace(/^-/, '−')
}

/**
 * "RSS: B grows 71% slower than A (+2.9 KiB/request against +10.2 KiB/request); the difference is
 * significant (B − A: −7.3 KiB/request, 95% interval −8.1 … −6.5)."
 */
export function growthSentence (metric: string, unit: Unit, a: RunColumn, ca: GrowthCell, b: RunColumn, cb: GrowthCell, diff?: SlopeDifference, axis: AxisWords = axisWords(undefined)): string {
  const name = metricLabel(metric)
  const A = a.label
  const B = b.label
  const missing = (col: RunColumn, cell: GrowthCell): string | undefined => {
    if (!col.verdict) return `${col.label} has no verdict${col.noVerdictReason ? ` (${col.noVerdictReason})` : ''}`
    if (!cell.verdict) return `${col.label}'s analysis has no ${name} series`
    if (!cell.per_request) return `${col.label}'s ${name} has no growth estimate (verdict: ${cell.verdict})`
    return undefined
  }
  const why = missing(a, ca) ?? missing(b, cb)
  if (why || !ca.per_request || !cb.per_request || !diff) return `${name}: ${B} can't be compared with ${A}: ${why ?? 'no estimate'}.`
  const va = ca.per_request.value
  const vb = cb.per_request.value
  const figures = `${perX(vb, unit, axis)} against ${perX(va, unit, axis)}`
  let head: string
  if (va > 0 && vb > 0) {
    const r = vb / va
    const pct = Math.round(Math.abs(1 - r) * 100)
    if (pct === 0) head = `${B} grows at about the same rate as ${A}`
    else if (r < 0.05) head = `${B} grows at 1/${Math.round(1 / r)} of ${A}'s rate`
    else if (r < 1) head = `${B} grows ${pct}% slower than ${A}`
    else if (r < 2) head = `${B} grows ${pct}% faster than ${A}`
    else head = `${B} grows ${formatNumber(r, 2)} times as fast as ${A}`
  } else if (vb > 0) {
    head = `${B} grows where ${A} does not`
  } else if (va > 0) {
    head = `${B} does not grow where ${A} does`
  } else {
    head = `neither ${A} nor ${B} grows`
  }
  return `${name}: ${head} (${figures}); ${significanceText(diff.significant)} ${differenceText(A, B, diff.difference, unit, undefined, axis)}.`
}

/** The side-by-side table as text: one column per run. */
export function compareTable (c: Comparison): string {
  const rows: Array<[string, ...string[]]> = []
  const add = (label: string, cell: (r: RunColumn, i: number) => string) => rows.push([label, ...c.runs.map(cell)])
  add('', (r) => r.label)
  add('run', (r) => r.name)
  add('folder', (r) => r.dir)
  add('started', (r) => r.started_at.replace(/\.\d+Z$/, 'Z'))
  add('duration', (r) => formatDuration(r.elapsed_s) + (r.interrupted ? ' (interrupted)' : ''))
  if (!c.watch) {
    add('users', (r) => String(r.concurrency))
    add('requests', (r) => String(r.requests))
    add('rate', (r) => `${r.rate_per_s.toFixed(1)} req/s`)
    add('availability', (r) => `${r.availability_percent.toFixed(2)} %`)
    add('p50 / p99', (r) => `${ms(r.p50_ms)} / ${ms(r.p99_ms)} ms`)
  }
  add('target events', (r) => String(r.events))
  add('verdict', (r) => r.verdict ? `${r.verdict}${r.verdictFrom === 'analysis' ? ' (analysed now)' : ''}` : 'none')
  for (const s of c.series) {
    const name = metricLabel(s.metric)
    add(`${name} verdict`, (_, i) => cellVerdict(s.cells[i]))
    // on time the per-request figure is per second: the per-hour row says it
    if (!c.time) add(`${name} per request`, (_, i) => s.cells[i].per_request ? formatEstimate(s.cells[i].per_request!, s.unit, 'request') : '—')
    add(`${name} per hour`, (_, i) => s.cells[i].per_hour ? formatEstimate(s.cells[i].per_hour!, s.unit, 'h') : '—')
  }
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)))
  return rows.map((r) => r.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd()).join('\n')
}

export function cellVerdict (cell: GrowthCell): string {
  if (!cell.verdict) return '—'
  return cell.segment ? `${cell.verdict} (segment ${cell.segment} of ${cell.segments})` : cell.verdict
}

/** The table, then the sentences: what `memsiege compare` prints. */
export function compareText (c: Comparison): string {
  return `${compareTable(c)}\n\n${c.sentences.join('\n')}\n`
}
