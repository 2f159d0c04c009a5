/**
 * `memsiege watch`: the target under its own traffic, sampled on one clock as in a run, with no
 * load from memsiege. Rows go to one samples file per day; every `everyS` the folder is analysed
 * and summary.json and report.html are rewritten whole; at the end (`forS`, interrupt(), or a
 * restart loop) the summary and the verdict are written as a run's are.
 */
import type { JudgedSummary } from '../analysis/types.js'
import { verdictOfResultsDir, verdictSettingsFor } from '../analysis/verdict-of-dir.js'
import type { AnalysisFlags } from '../analysis/options.js'
import { LOAD_MEANINGS, type ColumnMeanings } from '../columns/index.js'
import { RunStats } from '../counters/run-stats.js'
import type { EventRecord } from '../recorder/events-csv.js'
import { openResultsDir, resultsPath } from '../recorder/results-dir.js'
import { buildSummary, writeSummary } from '../recorder/summary-json.js'
import { writeReport } from '../report/write-report.js'
import { IntervalClock } from '../run/interval-clock.js'
import { targetDown } from '../run/run-scenario.js'
import { openRecordedSession } from '../run/recorded-session.js'
import { PROC_COLUMNS, ProcSampler } from '../sampler/proc-sampler.js'
import type { Scenario } from '../scenario/types.js'
import { LongTimeout } from '../long-timeout.js'
import { Alerts, type AlertChange, type AlertSettings } from './alerts.js'
import { DailySamplesCsv } from './daily-samples.js'
import { requestCounter, type CounterSpec } from './request-counter.js'

/** A watch's own columns before the samplers': the load's clock columns, the request count from the app's counter. */
export const WATCH_COLUMNS = ['time', 'elapsed_s', 'requests', 'rps'] as const

/**
 * Rows the periodic verdict reads at most (analysis/bounded-samples.ts): memsiege's own memory
 * stays flat over days of --every; a shorter watch is analysed row for row. The verdict at the end
 * reads every row, as `memsiege analyze` does.
 */
export const PERIODIC_MAX_ROWS = 10_000

export interface WatchOptions {
  counter: CounterSpec
  /** Side by side: without a request counter the x axis is the clock the targets share, not each one's CPU time. */
  onClock?: boolean
  /** Watch this many seconds; undefined: until interrupt(). */
  forS?: number
  /** Re-analyse and rewrite summary.json and report.html this often (seconds). */
  everyS?: number
  /** Write report.html at the end. */
  report?: boolean
  alerts?: AlertSettings
  /** The verdict's flags over the scenario's `analysis:` (checked by the caller). */
  analysisFlags?: AnalysisFlags
  warn?: (message: string) => void
  onEvent?: (event: EventRecord) => void
  onAlert?: (change: AlertChange) => void
  /** Tests only: the day a row's file is named after (default: the row's own time). */
  fileDay?: (now: Date) => Date
}

export interface WatchResult {
  dir: string
  summary: JudgedSummary
  /** The target was gone at the end. */
  targetDown: boolean
  /** Why the watch stopped before its time: a restart loop. */
  stopped?: string
  noVerdict?: string
  /** summary.json could not be written: the error, naming the file. */
  writeError?: string
}

export interface WatchHandle {
  readonly dir: string
  /** Resolves once the target is found and sampled; rejects, as `done` does, when it can't be. */
  readonly started: Promise<void>
  readonly done: Promise<WatchResult>
  /** Ctrl-C: the normal end of a watch without --for; the summary and the verdict are written. */
  interrupt (): void
}

export function startWatch (scenario: Scenario, options: WatchOptions): WatchHandle {
  const results = openResultsDir(scenario.name, scenario.out)
  const dir = results.path
  const warn = options.warn ?? (() => {})
  let end = (): void => {}
  let interrupted = false
  const ended = new Promise<void>((resolve) => { end = resolve })
  let setStarted = (): void => {}
  const started = new Promise<void>((resolve) => { setStarted = resolve })

  async function run (): Promise<WatchResult> {
    // The app's counter before the target starts: a counter that can't be made is bad input.
    const given = options.counter.kind === 'time' ? undefined : requestCounter(options.counter, scenario.target.insecure)
    const { session, events, closeEvents } = await openRecordedSession(scenario, dir, warn, options.onEvent).catch((err: unknown) => {
      results.discard()
      throw err
    })
    const { samplers } = session
    const proc = samplers.find((s): s is ProcSampler => s instanceof ProcSampler)
    // Without the app's count, its work: the target's CPU time, unless the targets are paired on the clock they share.
    const counter = given ?? requestCounter(proc && !options.onClock ? { kind: 'cpu', of: proc } : options.counter, scenario.target.insecure)
    try {
      await counter.start()
    } catch (err) {
      await counter.close()
      await session.close()
      results.discard()
      throw err
    }
    setStarted()
    /** The `requests` column counts requests (the app's counter), not seconds or CPU time: it has a rate. */
    const counted = options.counter.kind !== 'time'
    const columns = [...WATCH_COLUMNS, ...samplers.flatMap((s) => s.columns)]
    const meanings: ColumnMeanings = Object.assign(Object.fromEntries(WATCH_COLUMNS.map((c) => [c, LOAD_MEANINGS[c]])), ...samplers.map((s) => s.meanings))
    const csv = new DailySamplesCsv(dir, columns)
    const alerts = new Alerts(options.alerts ?? { leak: false }, dir, resultsPath(dir, 'alerts.log'))
    const tell = (change: AlertChange | undefined): void => { if (change) options.onAlert?.(change) }
    const rssCell = proc && samplers[0] === proc ? PROC_COLUMNS.indexOf('rss_bytes') : -1
    const verdictSettings = verdictSettingsFor(dir, { scenario, flags: options.analysisFlags, recorded: meanings, xAxis: counter.xAxis })
    // What the summary says the stop was: --for, not the watch scenario's "until interrupted".
    const watched: Scenario = options.forS !== undefined ? { ...scenario, stop: { kind: 'duration', seconds: options.forS } } : scenario
    const startedAt = new Date()
    const t0 = performance.now()
    let last = t0
    let lastRequests: number | undefined
    let lostRows = 0
    let stopped: string | undefined

    const writeRow = async (): Promise<void> => {
      const now = performance.now()
      const intervalS = (now - last) / 1000
      last = now
      const elapsedS = round((now - t0) / 1000, 3)
      // The samples first: the CPU-time counter reads what the process sampler has just read.
      const samples = await Promise.all(samplers.map((s) => s.read()))
      const requests = await counter.read(elapsedS)
      const rps = counted && requests !== undefined && lastRequests !== undefined && intervalS > 0 ? round((requests - lastRequests) / intervalS, 1) : undefined
      if (requests !== undefined) lastRequests = requests
      const time = new Date()
      try {
        csv.write([time.toISOString(), elapsedS, requests, rps, ...samples.flat()], options.fileDay?.(time) ?? time)
      } catch (err) {
        if (lostRows++ === 0) warn(`${csv.name ?? 'samples'}: cannot write a row (${(err as Error).message}); rows are being lost`)
      }
      const rss = rssCell >= 0 ? samples[0][rssCell] : undefined
      tell(alerts.rss(typeof rss === 'number' ? rss : undefined))
      if (stopped === undefined) {
        stopped = await session.afterRow(samples)
        if (stopped !== undefined) end()
      }
    }

    const summaryNow = (final: boolean): JudgedSummary => {
      const endedAt = new Date()
      const summary: JudgedSummary = buildSummary(watched, new RunStats(), { startedAt, endedAt, elapsedS: (performance.now() - t0) / 1000 }, dir, final && interrupted, events)
      summary.columns = meanings
      summary.x_axis = counter.xAxis
      if (!final) summary.in_progress = true
      if (stopped !== undefined) summary.stopped_because = stopped
      return summary
    }
    const judge = (summary: JudgedSummary, final: boolean): string | undefined => {
      try {
        summary.verdict = verdictOfResultsDir(dir, final ? verdictSettings : { ...verdictSettings, maxRows: PERIODIC_MAX_ROWS })
        tell(alerts.verdict(summary.verdict))
        return undefined
      } catch (err) {
        return (err as Error).message
      }
    }
    const refresh = async (): Promise<void> => {
      const summary = summaryNow(false)
      judge(summary, false)
      try {
        writeSummary(resultsPath(dir, 'summary.json'), summary)
        await writeReport(dir, { writtenAt: new Date(), everyS: options.everyS! })
      } catch (err) {
        warn(`the periodic report: ${(err as Error).message}`)
      }
    }

    await writeRow()
    const clock = new IntervalClock(scenario.sample.interval, writeRow)
    const refresher = options.everyS ? new IntervalClock(options.everyS, refresh) : undefined
    const deadline = options.forS !== undefined ? new LongTimeout(end, options.forS * 1000) : undefined
    clock.start()
    refresher?.start()
    await ended
    deadline?.clear()
    await refresher?.stop()
    await clock.stop()
    await writeRow()
    csv.close()
    if (lostRows > 0) warn(`${lostRows} row${lostRows === 1 ? ' was' : 's were'} lost`)
    await Promise.all(samplers.map((s) => s.stop()))
    await session.close()
    await counter.close()
    closeEvents()
    const summary = summaryNow(true)
    const noVerdict = judge(summary, true)
    if (noVerdict !== undefined) warn(`no verdict: ${noVerdict}`)
    let writeError: string | undefined
    try {
      writeSummary(resultsPath(dir, 'summary.json'), summary)
      if (options.everyS || options.report) await writeReport(dir)
    } catch (err) {
      writeError = (err as Error).message
    }
    await alerts.settle()
    return {
      dir,
      summary,
      targetDown: targetDown(scenario, events),
      ...(stopped !== undefined ? { stopped } : {}),
      ...(noVerdict !== undefined ? { noVerdict } : {}),
      ...(writeError !== undefined ? { writeError } : {})
    }
  }

  const done = run()
  return {
    dir,
    // A failed start rejects `done`; `started` rejects with it, without a second unhandled rejection.
    started: Promise.race([started, done.then(() => {})]),
    done,
    interrupt () {
      interrupted = true
      end()
    }
  }
}

function round (value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
