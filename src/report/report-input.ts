import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { JudgedSummary } from '../analysis/types.js'
import type { EventRecord } from '../recorder/events-csv.js'
import { samplesFiles } from '../analysis/samples-reader.js'
import { readSamplesBounded } from '../analysis/bounded-samples.js'
import { summaryProblem } from '../recorder/summary-check.js'
import { NotResultsFolderError } from '../errors.js'
import { notRegularFile, readRegularFile } from '../files/regular-file.js'
import { folderMeanings, MEMORY_ROLES } from './column-meanings.js'

/** samples.csv in memory, column by column: empty cells are null. */
export interface SeriesData {
  /** The first row's `time` (ISO 8601), when known: where elapsed_s counts from. */
  start_time?: string
  elapsed_s: number[]
  requests: number[]
  /** Every other numeric column of samples.csv by its header name (rss_bytes, rps, p99_ms, gc.*…). */
  columns: Record<string, Array<number | null>>
  /**
   * Rows in the files, when a long recording was read in buckets (at most REPORT_MAX_ROWS rows
   * kept: each bucket's lowest and highest of every series a chart may draw).
   */
  rows_read?: number
}

/** Everything a report or a comparison is made from: one run's results folder, read. */
export interface ReportInput {
  /** The results folder, absolute. */
  dir: string
  summary: JudgedSummary
  series: SeriesData
  events: EventRecord[]
}

export interface LoadOptions {
  /** The samples.csv columns to read (elapsed_s and requests always are); default reportColumns. */
  columns?: (header: readonly string[], summary: ReportInput['summary']) => readonly string[]
  /** Use this summary instead of reading summary.json's (the folder is still checked). */
  summary?: ReportInput['summary']
}

/**
 * The columns a report reads: every column memsiege itself writes (load, /proc, self), the GC
 * columns whose role is a level of memory or threads (not the whole of GC.stat), and whatever the
 * verdict or the run's `analysis.metrics` names. A day at 1 Hz is 86,400 rows: reading 90
 * columns would cost ~200 MB.
 */
export function reportColumns (header: readonly string[], summary: ReportInput['summary']): string[] {
  const named = new Set<string>()
  for (const m of summary.verdict?.metrics ?? []) {
    named.add(m.metric)
    for (const c of m.derived_from ?? []) named.add(c)
  }
  const analysis = (summary.config as { analysis?: { metrics?: string[] } } | undefined)?.analysis
  for (const c of analysis?.metrics ?? []) named.add(c)
  const meanings = folderMeanings(header, summary)
  return header.filter((c) => c !== 'time' && (!c.startsWith('gc.') || MEMORY_ROLES.includes(meanings.get(c)!.role) || named.has(c)))
}

/** summary.json of a results folder (which must also hold samples.csv); throws NotResultsFolderError. */
export function readSummary (dir: string): { dir: string; summary: ReportInput['summary'] } {
  const abs = resolve(dir)
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new NotResultsFolderError(abs, 'no such folder')
  const summaryPath = join(abs, 'summary.json')
  if (!existsSync(summaryPath)) throw new NotResultsFolderError(abs, 'no summary.json')
  if (samplesFiles(abs).length === 0) throw new NotResultsFolderError(abs, 'no samples.csv')
  let text: string
  try {
    text = readRegularFile(summaryPath)
  } catch (err) {
    throw new NotResultsFolderError(abs, `can't be read (${(err as Error).message})`, summaryPath)
  }
  if (text.trim() === '') throw new NotResultsFolderError(abs, 'empty (the run ended before writing it?)', summaryPath)
  // Not read here (the events are summary.json's), but `analyze` reads it: both refuse the same folders.
  const eventsPath = join(abs, 'events.csv')
  const events = notRegularFile(eventsPath)
  if (events) throw new NotResultsFolderError(abs, `can't be read (${events}, not a file)`, eventsPath)
  let summary: unknown
  try {
    summary = JSON.parse(text)
  } catch (err) {
    throw new NotResultsFolderError(abs, `not JSON (${(err as Error).message})`, summaryPath)
  }
  const problem = summaryProblem(summary)
  if (problem) throw new NotResultsFolderError(abs, `not a whole memsiege summary: ${problem}`, summaryPath)
  return { dir: abs, summary: summary as ReportInput['summary'] }
}

/**
 * Reads a results folder: summary.json (with its verdict, when analysed) and samples.csv.
 * `options.summary` replaces the file's (a verdict made since, for instance).
 */
export async function loadReportInput (dir: string, options: LoadOptions = {}): Promise<ReportInput> {
  const read = readSummary(dir)
  const abs = read.dir
  const summary = options.summary ?? read.summary
  let series: SeriesData
  try {
    series = readSeries(samplesFiles(abs), (header) => (options.columns ?? reportColumns)(header, summary), (header) => chartedSeries(header, summary))
  } catch (err) {
    throw new NotResultsFolderError(abs, `samples.csv can't be read (${(err as Error).message})`)
  }
  return { dir: abs, summary, series, events: summary.events ?? [] }
}

/**
 * Rows a report reads at most: its charts draw 5,000 points, and a watch rewrites its report for
 * days, so memsiege's memory must not grow with the rows (analysis/bounded-samples.ts).
 */
export const REPORT_MAX_ROWS = 10_000

/**
 * samples.csv (or a watch's daily files) through the analysis's reader: the columns `pick` names
 * (all but time by default), empty cells as null. Beyond `maxRows` rows, each bucket of rows keeps
 * the lowest and highest of the `charted` series (and of every column when none are named).
 */
export function readSeries (samplesPaths: readonly string[], pick: (header: string[]) => readonly string[] = (h) => h.filter((c) => c !== 'time'), charted?: (header: string[]) => ReadonlyArray<readonly string[]>, maxRows = REPORT_MAX_ROWS): SeriesData {
  const table = readSamplesBounded(samplesPaths, (header) => ['elapsed_s', 'requests', ...pick(header)], (header) => ({
    lowest: [],
    highest: charted ? charted(header) : pick(header).map((c) => [c])
  }), maxRows)
  for (const needed of ['elapsed_s', 'requests']) {
    if (!table.columns.has(needed)) throw new Error(`no "${needed}" column`)
  }
  const columns: SeriesData['columns'] = {}
  for (const [name, values] of table.columns) {
    if (name === 'elapsed_s' || name === 'requests') continue
    columns[name] = Array.from(values, (v) => (Number.isNaN(v) ? null : v))
  }
  return {
    ...(table.startTime ? { start_time: table.startTime } : {}),
    elapsed_s: Array.from(table.columns.get('elapsed_s')!),
    requests: Array.from(table.columns.get('requests')!),
    columns,
    ...(table.bucket > 1 ? { rows_read: table.rowsRead } : {})
  }
}

/**
 * The series a report's charts may draw: RSS, the load's rate and p99, the verdict's metrics (a
 * derived one as its difference) and the GC columns of memory levels (the second axis's candidates).
 */
export function chartedSeries (header: readonly string[], summary: ReportInput['summary']): Array<readonly string[]> {
  const out = new Map<string, readonly string[]>()
  for (const c of ['rss_bytes', 'rps', 'p99_ms']) out.set(c, [c])
  for (const m of summary.verdict?.metrics ?? []) out.set(m.metric, m.derived_from?.length ? m.derived_from : [m.metric])
  const meanings = folderMeanings(header, summary)
  for (const c of header) if (c.startsWith('gc.') && MEMORY_ROLES.includes(meanings.get(c)!.role)) out.set(c, [c])
  return [...out.values()]
}

/** An event placed on the run's clocks. */
export interface TimelineEvent extends EventRecord {
  elapsed_s: number
  requests: number
}

/** The events, placed at seconds since the load started (from started_at) and at the requests done by then. */
export function eventsOnTimeline (input: ReportInput): TimelineEvent[] {
  // elapsed_s counts from the first row, taken when the load started (started_at, to the ms)
  const first = input.series.start_time ? Date.parse(input.series.start_time) - 1000 * (input.series.elapsed_s[0] ?? 0) : NaN
  const t0 = Number.isFinite(first) ? first : Date.parse(input.summary.started_at)
  const last = input.series.elapsed_s.at(-1) ?? 0
  return input.events.map((e) => {
    const at = Date.parse(e.time)
    const elapsed = Number.isFinite(at) && Number.isFinite(t0) ? Math.min(Math.max(0, (at - t0) / 1000), last) : 0
    return { ...e, elapsed_s: elapsed, requests: interpolate(input.series.elapsed_s, input.series.requests, elapsed) }
  })
}

/** Seconds since the start at which `requests` requests had completed (linear between rows). */
export function elapsedAtRequests (series: SeriesData, requests: number): number {
  return interpolate(series.requests, series.elapsed_s, requests)
}

/** y at x on the polyline (xs ascending, possibly with flat stretches: the first x reaching it wins). */
export function interpolate (xs: readonly number[], ys: readonly number[], x: number): number {
  const n = Math.min(xs.length, ys.length)
  if (n === 0) return 0
  if (x <= xs[0]) return ys[0]
  if (x >= xs[n - 1]) {
    let i = n - 1
    while (i > 0 && xs[i - 1] >= x) i--
    return ys[i]
  }
  let lo = 0
  let hi = n - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (xs[mid] < x) lo = mid
    else hi = mid
  }
  const span = xs[hi] - xs[lo]
  return span > 0 ? ys[lo] + (ys[hi] - ys[lo]) * (x - xs[lo]) / span : ys[hi]
}
