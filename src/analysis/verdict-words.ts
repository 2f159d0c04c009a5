/**
 * The one place where the analysis's reasons (reasons.ts: kinds and numbers) become words: the
 * reason of each series, the run's summary and hint, breaches, notes, thresholds, floor windows.
 * The analysis computes; this words; the terminal text (verdict-text.ts) and report.html lay
 * the words out. summary.json keeps both, the reasons and their words (`wordVerdict`).
 */
import type { MetricResult, MetricVerdict, RunResult, RunVerdict, SegmentResult, SegmentVerdict, SeriesVerdict, VerdictScale } from './types.js'
import type { FloorMethod } from './floors.js'
import type { Breach, Heading, HintKind, MissingColumn, Note, Rise, RunReason, SeriesReason, SettlingPart, Threshold } from './reasons.js'
import type { Estimate } from './types.js'
import type { SidesHeadline, SideSeries } from './paired-growth.js'
import type { Unit } from '../columns/index.js'
import { formatAmount, formatCount, formatNumber, formatRate, unitScale } from '../units/format.js'
import { axisWords, type AxisWords } from './x-axis.js'

/** What each hint says, and the step it suggests. */
const HINTS: Record<HintKind, { what: string; next?: string }> = {
  'object-leak': { what: 'The runtime heap grows: objects are being kept.', next: 'compare two heap dumps taken some thousands of requests apart: Ruby ObjectSpace.dump_all (after ObjectSpace.trace_object_allocations_start) read with heapy; Node two heap snapshots (v8.writeHeapSnapshot() or --inspect) compared in Chrome DevTools; Go pprof heap profiles (go tool pprof -base).' },
  'native-or-fragmentation': { what: 'Memory outside the runtime heap grows at a steady rate while the heap stays flat: a native leak (a C extension, Buffers, a native library, memory malloc\'d and never freed).', next: 'find the allocations with heaptrack (heaptrack -p PID); running with jemalloc (LD_PRELOAD=libjemalloc.so.2) or MALLOC_ARENA_MAX=2 rules out fragmentation.' },
  'allocator-warmup': { what: 'Memory outside the runtime heap grows more and more slowly while the heap stays flat: the allocator warming up (glibc malloc gives threads their own arenas, which grow and fragment until the working set fits), not a leak.', next: 'if the level matters, run with MALLOC_ARENA_MAX=2 or jemalloc (LD_PRELOAD=libjemalloc.so.2), which usually settle sooner and lower; run longer to see it level off.' },
  'thread-leak': { what: 'Threads are created and never end.', next: 'list them over time (/proc/PID/task, or the runtime\'s thread dump) and find what starts them.' },
  'rss-only': { what: 'RSS grows, but without the app\'s GC statistics memsiege can\'t tell retained objects from native memory: add the probe (sample.gc) and run again.' },
  'named-metric': { what: 'A metric named in analysis.metrics grows; it says nothing about where.' },
}

/** The hint in full: what the growth points at, then "Next, …". */
export function hintText (kind: HintKind): string {
  const h = HINTS[kind]
  return h.next ? `${h.what} Next, ${h.next}` : h.what
}

/** A trend test's p for a sentence: "< 0.0001", "0.032". */
export function formatP (p: number): string {
  if (p < 0.0001) return '< 0.0001'
  return p < 0.01 ? p.toFixed(4) : p.toFixed(3)
}

/** "p < 0.0001", "p = 0.032". */
export function pText (p: number): string {
  const text = formatP(p)
  return `p ${text.startsWith('<') ? '' : '= '}${text}`
}

/** "(about 12,000 more requests would settle it)" after a reason; on the time axis "(about 2 h more of watching …)". */
export function moreRequestsText (n: number, axis: AxisWords = axisWords(undefined)): string {
  return `(about ${axis.more(n)} would settle it)`
}

/** How the floors were taken: "lowest of every 4 readings", "lowest reading between major GCs". */
export function floorWindowText (w: FloorMethod): string {
  if (w.kind === 'major-gc') return w.size === 1 ? 'lowest reading between major GCs' : `lowest reading per ${w.size} major GCs`
  return w.size === 1 ? 'every reading' : `lowest of every ${w.size} readings`
}

/** How the growth that counts was set: "5% of RSS at the start, 61.2 MiB", "at least 1 MiB". */
export function thresholdText (t: Threshold): string {
  const b = t.basis
  const pct = (f: number) => `${+(f * 100).toFixed(2)}%`
  switch (b.kind) {
    case 'rss-share': return `${pct(b.fraction)} of RSS at the start, ${formatAmount(b.level, 'bytes')}`
    case 'level-share': return `${pct(b.fraction)} of its level at the start, ${formatAmount(b.level, b.unit)}`
    case 'minimum': return `at least ${formatAmount(t.value, b.unit)}`
  }
}

/** "no_such_col (did you mean rss_bytes?), other": names asked for that are no column. */
export function missingColumnsText (missing: readonly MissingColumn[]): string {
  return missing.map((m) => m.did_you_mean ? `${m.name} (did you mean ${m.did_you_mean}?)` : m.name).join(', ')
}

/** Columns listed by name in a message; the rest are counted. */
const LISTED = 12

/** "rss_bytes, threads, … (40 in all)": the columns one may name. */
export function columnsText (columns: readonly string[]): string {
  const shown = columns.slice(0, LISTED).join(', ')
  return columns.length > LISTED ? `${shown}, … (${columns.length} in all, see the first line of samples.csv)` : shown
}

/** Why one series got its verdict, in words. */
export function seriesReasonText (r: SeriesReason, axis: AxisWords = axisWords(undefined)): string {
  const amount = (v: number) => formatAmount(v, r.unit)
  const rate = (v: number) => axis.rate(v, r.unit)
  // The bounds of a rate's interval, in the unit the rate is worded in.
  const bound = (v: number) => amount(axis.rateValue(v))
  const over = (growth: number, requests: number) => `${amount(growth)} over ${axis.span(requests)}`
  // An interval whose upper end is a fall says the series did not grow, not "at most −57 KiB".
  const upTo = (v: number) => v > 0 ? `at most ${amount(v)}` : 'it did not grow even at the interval\'s upper end'
  const matters = (t: Threshold) => `the ${amount(t.value)} that would matter (${thresholdText(t)})`
  const lateRate = (late: Estimate) => `${rate(late.value)} late (CI ${bound(late.low)} to ${bound(late.high)})`
  const grows = (rise: Rise) => {
    const e = rise.per_request
    return `grows ${rate(e.value)} (${Math.round(e.level * 100)}% CI ${bound(e.low)} to ${bound(e.high)}), ${over(rise.growth, rise.requests)} (${pText(rise.p)})`
  }
  switch (r.kind) {
    case 'too-few-floors': return `too little to go on: ${formatCount(r.floors, 'floor')} (at least ${r.needed} are needed)`
    case 'no-requests': return `too little to go on: no request was answered while the ${r.floors} floors were taken`
    case 'too-few-readings-to-clear': return `no growth that matters so far (${upTo(r.at_most)}), but ${r.readings} readings are too few to clear it (${r.needed} are needed)`
    case 'flat': return `${r.shrinks ? `shrinks by ${amount(-r.growth)}` : `changes by ${amount(r.growth)}`} over ${axis.span(r.requests)}; ${upTo(r.at_most)}, under ${matters(r.threshold)}`
    case 'no-trend': return `no significant trend (${pText(r.p)}), but the interval allows growth of up to ${amount(r.at_most)}, over ${matters(r.threshold)}`
    case 'too-few-floors-for-shape': return `${grows(r.rise)}; too few floors to tell whether it stops`
    case 'too-few-readings-for-shape': return `${grows(r.rise)}; ${r.readings} readings are too few to tell whether it stops`
    case 'stopped': {
      const stopped = `grew, then stopped: ${rate(r.early)} early, ${lateRate(r.late)}; ${over(r.growth, r.requests)}`
      if (r.no_trend !== undefined) return `${stopped}; no significant trend over the whole run (${pText(r.no_trend)}): a rise, then a level, is no straight line, but the first third grew and the last third's rate would not matter`
      return r.creep !== undefined ? `${stopped}; the late creep would add ${amount(r.creep)} over ${axis.again} again` : stopped
    }
    case 'under-threshold': return `grows (${pText(r.p)}) by ${over(r.growth, r.requests)}: under ${matters(r.threshold)}, but the interval reaches ${amount(r.at_most)}`
    case 'no-major-gc': return `${grows(r.rise)}, but no major GC ran while it did: the growth may be garbage that the next one frees`
    case 'holding': {
      const held = r.early !== undefined ? `, after a warm-up: ${rate(r.early)} early, then holding` : ', and holding'
      return `${grows(r.rise)}${held}: ${rate(r.late)} in the last third`
    }
    case 'holding-within-intervals': return `${grows(r.rise)}, and holding within the intervals: ${rate(r.early)} early, ${rate(r.late)} in the last third`
    case 'fresh-outside-open': return `${grows(r.rise)}: ${rate(r.early)} early, ${rate(r.late)} in the last third; in a process started for the run, memory outside the heap can creep like that while the allocator warms up, and only a rate that significantly holds is a leak, which the run can't tell yet`
    case 'settling': {
      const ci = `CI ${bound(r.early.low)} to ${bound(r.early.high)}`
      const early = r.since_start !== undefined ? `in the process's first ${axis.span(r.since_start)} (${ci}, the warm-up left out)` : `early (${ci})`
      const slowed = `${rate(r.early.value)} ${early}, ${lateRate(r.late)}`
      return `grew ${over(r.growth, r.requests)}, but slower and slower: ${slowed}${r.heading ? `; ${headingText(r.heading, r.unit)}` : ''}`
    }
    case 'shape-open': return `${grows(r.rise)}; still growing at the end (${lateRate(r.late)}), but whether that rate holds (a leak) or keeps falling (a warm-up) the run can't tell yet`
    case 'late-unclear': return `${grows(r.rise)}; the late slope (${lateRate(r.late)}) can't tell whether it stops`
  }
}

/** "if it keeps slowing as it has, it levels off at about 75 MiB (95% CI 72 MiB to 90 MiB)". */
function headingText (h: Heading, unit: Unit): string {
  const amount = (v: number) => formatAmount(v, unit)
  return `if it keeps slowing as it has, it levels off at about ${amount(h.value)} (${Math.round(h.level * 100)}% CI ${amount(h.low)} to ${h.high !== undefined ? amount(h.high) : 'no upper bound yet'})`
}

/** "rss_anon_bytes grew 54 MiB over 230,000 requests, slower and slower: 260 B/request early, 27 B/request late; heading for 75 MiB (...) after about 150,000 more requests" */
function settlingText (p: SettlingPart, axis: AxisWords): string {
  const amount = (v: number) => formatAmount(v, p.unit)
  const rate = (v: number) => axis.rate(v, p.unit)
  let text = `${p.metric}${p.growth !== undefined ? ` grew ${amount(p.growth)} over ${axis.span(p.requests)}` : ' grew'}`
  if (p.early === undefined || !p.late) return text
  const bound = (v: number) => amount(axis.rateValue(v))
  const early = p.since_start !== undefined ? `in the process's first ${axis.span(p.since_start)}` : 'early'
  text += `, slower and slower: ${rate(p.early)} ${early}, ${rate(p.late.value)} late (${Math.round(p.late.level * 100)}% CI ${bound(p.late.low)} to ${bound(p.late.high)})`
  if (p.heading) {
    text += `; ${headingText(p.heading, p.unit)}`
    if (p.more_requests !== undefined) text += ` after about ${axis.more(p.more_requests)}, which would tell`
  }
  return text
}

/** The run's summary: the verdict and its evidence, then the scale it stands on. */
export function summaryText (reason: RunReason, hint: HintKind | undefined, verdict: SeriesVerdict, scale?: VerdictScale, axis: AxisWords = axisWords(undefined)): string {
  const text = reasonSentence(reason, hint, axis)
  if (!scale) return text
  // After a sentence about several series, "at that rate" would be any of theirs: name it.
  const named = reasonMetrics(reason)
  const which = named.length === 1 && named[0] === scale.metric ? undefined : scale.metric
  return `${text} ${scaleText(scale, verdict, axis, which)}`
}

/** The series the reason's sentence speaks of, in its order. */
function reasonMetrics (r: RunReason): string[] {
  switch (r.kind) {
    case 'leak': return [r.metric, ...r.also]
    case 'settling':
    case 'plateau': return r.parts.map((p) => p.metric)
    case 'flat': return [...r.metrics]
    case 'inconclusive': return r.open.map((o) => o.metric)
    default: return []
  }
}

function reasonSentence (r: RunReason, hint: HintKind | undefined, axis: AxisWords): string {
  switch (r.kind) {
    case 'no-metrics': return 'Inconclusive: samples.csv has none of the memory columns memsiege judges (was a target sampled? give target.port, target.pid or target.command).'
    case 'no-rows': return 'Inconclusive: too little to analyse (fewer than 2 rows with the target alive).'
    case 'columns-missing': return `Inconclusive: none of the columns asked for is in samples.csv: ${missingColumnsText(r.missing)}. Its columns: ${columnsText(r.columns)}.`
    case 'leak': {
      const size = r.per_request !== undefined ? axis.rate(r.per_request, r.unit) : ''
      const also = r.also.length ? `; so ${r.also.length > 1 ? 'do' : 'does'} ${r.also.join(' and ')}` : ''
      return `Leak: ${r.metric} grows ${size}, and the rate held to the end${also}. ${hint ? HINTS[hint].what : ''}`
    }
    case 'settling': return `Still settling, not a leak: ${r.parts.map((p) => settlingText(p, axis)).join('; ')}. Only a rate that holds is a leak.`
    case 'plateau': {
      const parts = r.parts.map((p) => p.growth !== undefined ? `${p.metric} grew by ${formatAmount(p.growth, p.unit)}` : `${p.metric} grew`)
      return `No leak: ${parts.join(', ')} and then stopped (a cache or pool filling up, or a warm-up longer than the one left out); the rest stayed flat.`
    }
    case 'flat': return `No leak: ${r.metrics.join(', ')} stayed flat over the analysed ${axis.stretch}.`
    case 'inconclusive': {
      const why = r.open.map((o) => `${o.metric}: ${o.why ? seriesReasonText(o.why, axis) : ''}`).join('; ')
      return `Inconclusive: ${why}.${r.more_requests > 0 ? ` About ${axis.more(r.more_requests)} should settle it.` : ''}`
    }
  }
}

/**
 * The verdict on a scale a person knows: per hour and per day at the run's request rate (on the
 * time axis, per hour and per day of the clock); and whether a fresh process explains it.
 */
export function scaleText (s: VerdictScale, verdict: SeriesVerdict, axis: AxisWords = axisWords(undefined), metric?: string): string {
  const amount = (v: number) => formatAmount(v, s.unit)
  const at = axis.pace(s.requests_per_hour)
  const traffic = axis.day
  let text: string
  // A fall is no rate to scale up to an hour or a day.
  if (s.per_hour <= 0 && (verdict === 'leak' || verdict === 'inconclusive' || verdict === 'flat')) return `It did not grow over this run${at.replace(',', '')}.`
  switch (verdict) {
    case 'leak':
    case 'inconclusive':
      text = `At ${metric !== undefined ? `the rate of ${metric}` : 'that rate'}${at}: ${amount(s.per_hour)}/h, ${amount(s.per_day)} ${traffic}.`
      break
    case 'settling':
      text = `${metric !== undefined ? `The late rate of ${metric}` : 'Its late rate'}${at}, is ${amount(s.per_hour)}/h (${amount(s.per_day)} a day if it held), but it is still falling.`
      break
    case 'plateau':
      text = `${metric !== undefined ? `${metric} now` : 'Now'}${at}: ${amount(s.per_hour)}/h (${amount(s.per_day)} a day).`
      break
    case 'flat':
      text = `At most ${amount(s.per_hour)}/h${metric !== undefined ? ` for ${metric}` : ''}${at.replace(',', '')} (${amount(s.per_day)} a day).`
      break
  }
  if (!s.fresh_process) return text
  const first = s.requests !== undefined ? `its first ${axis.span(s.requests)}` : axis.time ? 'its first minutes' : `its first ${axis.stretch}`
  switch (verdict) {
    case 'leak':
      return `${text} The target was started for this run, but a fresh process's warm-up slows down, and this rate held.`
    case 'settling':
      return `${text} The target was started for this run: ${first}, still inside a fresh process's warm-up.`
    case 'plateau':
      return `${text} The target was started for this run: ${first}, and its warm-up is over.`
    default:
      return text
  }
}

/** Why the run exits 4, in words. */
export function breachText (b: Breach): string {
  if (b.kind === 'fail-on') return `verdict is ${b.verdict} (--fail-on ${b.fail_on})`
  return `${b.metric} grows ${formatRate(b.rate, b.unit, b.per)}, over the limit of ${b.limit}`
}

/** A note on what was analysed, in words. */
export function noteText (n: Note): string {
  switch (n.kind) {
    case 'columns-missing': return `not in samples.csv, so not analysed: ${missingColumnsText(n.missing)}`
    case 'rows-skipped': return `${formatCount(n.rows, 'row')} cut short or without a number of requests or seconds, left out`
    case 'restarted': return `the target restarted: ${n.rows.length} segments, each analysed apart (rows ${n.rows.map(([from, to]) => `${from}–${to - 1}`).join(', ')})`
    case 'daily-files': return `${n.files.length} daily samples files, read as one: ${n.files.join(', ')}`
    case 'x-axis': return `x axis: ${n.x_axis}`
  }
}

function wordSegment ({ threshold, ...s }: SegmentResult, axis: AxisWords): SegmentVerdict {
  return {
    ...s,
    reason: seriesReasonText(s.why, axis),
    ...(threshold ? { threshold: { ...threshold, why: thresholdText(threshold) } } : {}),
    ...(s.floor_window ? { floor_method: floorWindowText(s.floor_window) } : {}),
  }
}

function wordMetric (m: MetricResult, axis: AxisWords): MetricVerdict {
  return { ...m, segments: m.segments.map((s) => wordSegment(s, axis)), ...(m.why ? { reason: seriesReasonText(m.why, axis) } : {}) }
}

/** The verdict with its words beside its reasons: what summary.json stores and everything prints. */
export function wordVerdict (v: RunResult): RunVerdict {
  const { verdict, attribution, scale, metrics, why, ...rest } = v
  const notes = why.notes.map(noteText)
  const axis = axisWords(v.x_axis)
  return {
    verdict,
    summary: summaryText(why.summary, why.hint, verdict, scale, axis),
    attribution,
    hint: why.hint ? hintText(why.hint) : '',
    ...(scale ? { scale } : {}),
    metrics: metrics.map((m) => wordMetric(m, axis)),
    breaches: why.breaches.map(breachText),
    ...(notes.length ? { notes } : {}),
    ...rest,
    why,
  }
}

/** Whether a difference between two targets (or runs) stands out from the noise: the one phrasing of it. */
export function significanceText (isSignificant: boolean): string {
  return `the difference is ${isSignificant ? 'significant' : 'not significant'}`
}

/** How a difference between two targets was tested: the paired trend test's p and the stretch of the x axis it covered. */
export interface PairedTest {
  p: number
  requests: readonly [number, number]
}

/**
 * "(B − A: −7.3 KiB/request, 95% interval −8.1 … −6.5)", with "; paired over requests 0 to 4,000,
 * p < 0.0001" when the targets were loaded side by side and their series paired; on the time axis
 * of a watch, per hour and "paired from 5 s to 8 h of watching".
 */
export function differenceText (a: string, b: string, d: Estimate, unit: Unit, paired?: PairedTest, axis: AxisWords = axisWords(undefined)): string {
  const [value, low, high] = [d.value, d.low, d.high].map((v) => axis.rateValue(v))
  const s = unitScale(Math.max(Math.abs(low), Math.abs(high)), unit)
  const f = (v: number) => (v > 0 ? '+' : v < 0 ? '−' : '') + formatNumber(Math.abs(v) / s.divisor)
  const per = axis.time ? 'hour' : 'request'
  const interval = `${b} − ${a}: ${f(value)}${s.suffix ? ` ${s.suffix}` : ''}/${per}, ${Math.round(d.level * 100)}% interval ${f(low)} … ${f(high)}`
  if (!paired) return `(${interval})`
  const [from, to] = paired.requests
  const over = axis.time ? `from ${axis.span(from)} to ${axis.span(to)} of watching` : `over requests ${Math.round(from).toLocaleString('en-US')} to ${Math.round(to).toLocaleString('en-US')}`
  return `(${interval}; paired ${over}, ${pText(paired.p)})`
}

/** Counts read as plurals ("old_objects grow"); bytes as one amount ("RSS grows"). */
function isPlural (unit: Unit): boolean {
  return unit !== 'bytes'
}

/** A series' label in a sentence: "RSS", "gc.stat.heap_live_slots". */
export function metricLabel (metric: string): string {
  return metric === 'rss_bytes' ? 'RSS' : metric === 'pss_bytes' ? 'PSS' : metric
}

/** What one target's series did, in a few words: "a's RSS grows 1.0 KiB/request", "b's old_objects stop growing". */
export function sideSeriesText (s: SideSeries, axis: AxisWords = axisWords(undefined)): string {
  const rate = s.per_request !== undefined ? axis.rate(s.per_request, s.unit) : undefined
  const plural = isPlural(s.unit)
  const e = plural ? '' : 's'
  const doing = ((): string => {
    switch (s.verdict) {
      case 'leak': return `grow${e} ${rate ?? ''}`.trimEnd()
      case 'plateau': return `stop${e} growing`
      case 'settling': return `settle${e}${rate ? ` (${rate} late)` : ''}`
      case 'flat': return `stay${e} flat`
      case 'inconclusive': return `${plural ? 'are' : 'is'} inconclusive${rate ? ` at ${rate}` : ''}`
    }
  })()
  return `${s.target}'s ${s.metric === undefined ? '' : `${metricLabel(s.metric)} `}${doing}`
}

/**
 * One series of two targets side by side: "gc.old_objects: a's grow 1.0 object/request, b's stop
 * growing; the difference is significant (b − a: −1.0 object/request, 95% interval −1.1 … −0.9;
 * paired over requests 0 to 4,000, p < 0.0001)."
 */
export function pairedSeriesText (metric: string, a: SideSeries, b: SideSeries, d: Estimate, isSignificant: boolean, paired: PairedTest, axis: AxisWords = axisWords(undefined)): string {
  const doing = (s: SideSeries) => sideSeriesText({ ...s, metric: undefined }, axis)
  return `${metricLabel(metric)}: ${doing(a)}, ${doing(b)}; ${significanceText(isSignificant)} ${differenceText(a.target, b.target, d, a.unit, paired, axis)}.`
}

/** A side's decided verdict in the headline: "leak", "not a leak (settling)", "undecided (inconclusive)". */
export function sideVerdictText (verdict: SeriesVerdict | undefined): string {
  if (verdict === undefined) return 'no verdict'
  if (verdict === 'leak') return 'leak'
  return verdict === 'inconclusive' ? 'undecided (inconclusive)' : `not a leak (${verdict})`
}

/**
 * The sentence to act on when two targets ran side by side: each side's decided verdict, then the
 * paired difference on the series that tells them apart, then what the two say together. "a: not
 * a leak (settling); b: leak, RSS 5.2 KiB/request more than a's; the difference is significant
 * (b − a: …): what differs in b brings the leak."
 */
export function sidesHeadlineText (h: SidesHeadline, axis: AxisWords = axisWords(undefined)): string {
  const { a, b } = h
  const verdicts = `${a.name}: ${sideVerdictText(a.verdict)}; ${b.name}: ${sideVerdictText(b.verdict)}`
  if (h.kind === 'no-verdict') return `${verdicts}: ${b.name} can't be set against ${a.name} without both verdicts.`
  if (h.kind === 'unpaired') return `${verdicts}; no series of theirs could be paired to tell them apart.`
  const { growth, unit, conclusion } = h
  const name = metricLabel(h.metric)
  const difference = differenceText(a.name, b.name, growth.difference, unit, { p: growth.p_value, requests: growth.requests }, axis)
  const run = axis.time ? 'watch' : 'run'
  if (conclusion === 'none') return `${verdicts}; ${name}: ${significanceText(false)} ${difference}: what differs in ${b.name} makes none that this ${run} can tell.`
  const more = growth.difference.value > 0
  const by = `${name} ${axis.rate(Math.abs(growth.difference.value), unit)} ${more ? 'more' : 'less'} than ${a.name}'s; ${significanceText(true)} ${difference}`
  const [grower, other] = more ? [b.name, a.name] : [a.name, b.name]
  const said = ((): string => {
    switch (conclusion) {
      case 'brings': return `what differs in ${b.name} brings the leak`
      case 'fixes': return `what differs in ${b.name} fixes the leak`
      case 'faster': return `what differs in ${b.name} makes the leak faster`
      case 'slower': return `what differs in ${b.name} makes the leak slower, not gone`
      case 'grows-more': return `${grower} grows more, though its own ${run} does not call it a leak: a longer ${run} will tell`
      case 'disagree': return `${grower} grows more though ${other} is the one called a leak: a longer ${run} will tell`
    }
  })()
  return `${verdicts}, ${by}: ${said}.`
}
