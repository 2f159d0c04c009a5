import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { redactScenarioYaml, redactText, scenarioSecrets } from '../recorder/redact.js'
import { basename } from 'node:path'
import { createEngine, type Engine } from '../engine/engine.js'
import type { Transaction } from '../engine/virtual-user.js'
import type { StepGate } from '../engine/lockstep.js'
import { RunStats } from '../counters/run-stats.js'
import { openResultsDir, resultsPath } from '../recorder/results-dir.js'
import { SamplesCsv } from '../recorder/samples-csv.js'
import { buildSummary, writeSummary } from '../recorder/summary-json.js'
import type { JudgedSummary, RunVerdict } from '../analysis/types.js'
import type { AnalysisFlags } from '../analysis/options.js'
import type { RunProgress } from '../report/progress-line.js'
import type { EventRecord } from '../recorder/events-csv.js'
import type { Scenario } from '../scenario/types.js'
import { IntervalClock } from './interval-clock.js'
import { LOAD_COLUMNS, loadCells } from './load-columns.js'
import { LOAD_MEANINGS, type ColumnMeanings } from '../columns/index.js'
import { openRecordedSession } from './recorded-session.js'
import { LongTimeout } from '../long-timeout.js'
import { unreachable } from './unreachable.js'
import { verdictOfResultsDir, verdictSettingsFor } from '../analysis/verdict-of-dir.js'
import { openRunSource } from './find-source.js'

export interface RunOptions {
  warn?: (message: string) => void
  /** Something happened to the target (it exited, or a new process took its port). */
  onEvent?: (event: EventRecord) => void
  onTransaction?: (transaction: Transaction) => void
  /** Called once a second (or per interval) with the figures so far, for a progress line. */
  onProgress?: (progress: RunProgress) => void
  /** How long in-flight requests may finish after an interruption before they are aborted. */
  graceSeconds?: number
  /** Copy the scenario and the URL list into the results folder as they are, secrets included (to run them again). */
  keepSecrets?: boolean
  /** The verdict's flags over the scenario's `analysis:` (checked by the caller). */
  analysisFlags?: AnalysisFlags
  /** The summary with its verdict, just before summary.json is written: what a caller adds to it. */
  beforeSummary?: (summary: JudgedSummary) => void
  /** Side by side in lockstep: this target's gate (engine/lockstep.ts). */
  gate?: StepGate
  /** Stop early when nothing answers (run/unreachable.ts). */
  stopWhenUnreachable?: boolean
}

export interface RunResult {
  dir: string
  summary: JudgedSummary
  interrupted: boolean
  /** The target exited during the run (and, under target.restartWhen, was not brought back). */
  targetExited: boolean
  /** Why the run stopped before its stop condition: a restart loop. */
  stopped?: string
  /** Why the run stopped early because nothing answered (run/unreachable.ts). */
  unreachable?: string
  /** Why summary.verdict is missing, when it is. */
  noVerdict?: string
  /** summary.json could not be written (a full disk): the error, naming the file. The summary is still here. */
  writeError?: string
}

export interface RunHandle {
  /** The results folder, known as soon as the run starts. */
  readonly dir: string
  readonly done: Promise<RunResult>
  /** First Ctrl-C: no new requests, those in flight get a grace period, then the summary is written. */
  interrupt (): void
  /**
   * Ends the run early as if its stop condition were met (not interrupted). `atLook`: a look at
   * the samples so far decided it (a run that decides, a bisect trial); the samples then end at
   * the row that look read, so that the verdict at the end is the look's, not one a last partial
   * row could tip the other way.
   */
  finish (options?: { atLook?: boolean }): void
  /** The verdict of the samples so far, made as the one at the end will be; writes nothing. Throws when there is none yet. */
  peek (): RunVerdict
}

/**
 * One run: the load engine and the samplers on one clock, samples.csv written as it goes,
 * summary.json at the end — also when the run is interrupted.
 */
export function startRun (scenario: Scenario, options: RunOptions = {}): RunHandle {
  const results = openResultsDir(scenario.name, scenario.out)
  const dir = results.path
  let interrupted = false
  const grace = (options.graceSeconds ?? 2) * 1000
  const warn = options.warn ?? (() => {})
  let onInterrupt = (): void => {}
  let onFinish = (): void => {}
  let endAtLook = false
  /** What the samplers declared the columns to mean, once they are open. */
  let recorded = (): ColumnMeanings | undefined => undefined
  const verdictNow = (): RunVerdict => verdictOfResultsDir(dir, verdictSettingsFor(dir, { scenario, flags: options.analysisFlags, recorded: recorded() }))
  const done = run()

  async function run (): Promise<RunResult> {
    const stats = new RunStats()
    let summary: JudgedSummary
    let noVerdict: string | undefined
    let writeError: string | undefined
    const { session, events, closeEvents } = await openRecordedSession(scenario, dir, warn, options.onEvent).catch((err: unknown) => {
      results.discard()
      throw err
    })
    copyInputs(scenario, dir, options.keepSecrets ?? false)
    const samplers = session.samplers
    recorded = () => Object.assign({}, LOAD_MEANINGS, ...samplers.map((s) => s.meanings)) as ColumnMeanings
    const csv = new SamplesCsv(resultsPath(dir, 'samples.csv'), [...LOAD_COLUMNS, ...samplers.flatMap((s) => s.columns)])
    let lostRows = 0
    /** Why the run stopped before its stop condition (a restart loop). */
    let stopped: string | undefined
    let unanswered: string | undefined
    const startedAt = new Date()
    const t0 = performance.now()
    const source = openRunSource(scenario, session, options.analysisFlags, () => ({ requests: stats.completed, seconds: (performance.now() - t0) / 1000 }), warn)
    let last = t0
    const interval = scenario.sample.interval

    let engine: Engine | undefined
    const writeRow = async (): Promise<void> => {
      // Worker threads hand their figures over first, so that the row counts them.
      await engine?.flush()
      const now = performance.now()
      const figures = stats.takeInterval()
      const intervalS = (now - last) / 1000
      last = now
      const elapsedS = (now - t0) / 1000
      const samples = await Promise.all(samplers.map((s) => s.read()))
      const row = [...loadCells(new Date(), elapsedS, intervalS, stats, figures), ...samples.flat()]
      source?.afterRow({ requests: stats.completed, seconds: elapsedS })
      try {
        csv.write(row)
      } catch (err) {
        // A full disk must not stop the load: the rows already written stay, the summary is still tried.
        if (lostRows++ === 0) warn(`samples.csv: cannot write a row (${(err as Error).message}); rows are being lost`)
      }
      if (stopped === undefined) {
        stopped = await session.afterRow(samples)
        if (stopped !== undefined) onFinish()
      }
      if (options.stopWhenUnreachable && unanswered === undefined) {
        unanswered = unreachable(stats, elapsedS)
        if (unanswered !== undefined) onFinish()
      }
      options.onProgress?.({
        elapsedS,
        remainingS: scenario.stop.kind === 'duration' ? Math.max(0, scenario.stop.seconds - elapsedS) : undefined,
        requests: stats.completed,
        errors: stats.failed,
        rps: intervalS > 0 ? figures.requests / intervalS : 0
      })
    }

    await writeRow()
    const clock = new IntervalClock(interval, writeRow)
    const load = engine = createEngine(scenario, stats, { onTransaction: options.onTransaction, gate: options.gate, warn })
    const deadline = scenario.stop.kind === 'duration' ? new LongTimeout(() => load.halt(), scenario.stop.seconds * 1000) : undefined
    let graceTimer: NodeJS.Timeout | undefined
    onInterrupt = () => {
      interrupted = true
      load.stop()
      graceTimer = setTimeout(() => load.halt(), grace)
    }
    onFinish = () => {
      load.stop()
      graceTimer = setTimeout(() => load.halt(), grace)
    }
    if (interrupted) onInterrupt()
    if (stopped !== undefined) onFinish()
    clock.start()
    try {
      await load.run()
    } finally {
      deadline?.clear()
      clearTimeout(graceTimer)
      await clock.stop()
      const endedAt = new Date()
      const elapsedS = (performance.now() - t0) / 1000
      if (!endAtLook) {
        await Promise.all(samplers.map((s) => s.settle?.()))
        await writeRow()
      }
      csv.close()
      if (lostRows > 0) warn(`samples.csv: ${lostRows} row${lostRows === 1 ? ' was' : 's were'} lost`)
      await source?.finish()
      // Our connections go first: a target shutting down gracefully would wait for them.
      await load.close()
      await Promise.all(samplers.map((s) => s.stop()))
      await session.close()
      closeEvents()
      summary = buildSummary(scenario, stats, { startedAt, endedAt, elapsedS }, dir, interrupted, events)
      if (stopped !== undefined) summary.stopped_because = stopped
      else if (unanswered !== undefined) summary.stopped_because = unanswered
      summary.columns = recorded()
      if (scenario.stubs) summary.stubs = session.stubSummaries()
      try {
        // what summary.json will say, before it is written: the verdict is then the one `analyze` gives
        summary.verdict = verdictNow()
      } catch (err) {
        noVerdict = (err as Error).message
        warn(`no verdict: ${noVerdict}`)
      }
      if (source) summary.source = source.summary(summary.verdict)
      options.beforeSummary?.(summary)
      try {
        writeSummary(resultsPath(dir, 'summary.json'), summary)
      } catch (err) {
        writeError = (err as Error).message
      }
    }
    return { dir, summary, interrupted, targetExited: targetDown(scenario, events), ...(stopped !== undefined ? { stopped } : {}), ...(unanswered !== undefined ? { unreachable: unanswered } : {}), ...(noVerdict !== undefined ? { noVerdict } : {}), ...(writeError !== undefined ? { writeError } : {}) }
  }

  return {
    dir,
    done,
    interrupt () {
      if (interrupted) return
      interrupted = true
      onInterrupt()
    },
    finish (finishing) {
      if (finishing?.atLook) endAtLook = true
      onFinish()
    },
    peek: verdictNow
  }
}

/** Whether the target exited; under a restart policy, whether it stayed down (its last event is an exit). */
export function targetDown (scenario: Scenario, events: readonly EventRecord[]): boolean {
  if (scenario.target.restartWhen) return events.at(-1)?.type === 'target_exited'
  return events.some((e) => e.type === 'target_exited')
}

/** The scenario and its URL list beside the results: secrets redacted, unless asked to keep them. */
function copyInputs (scenario: Scenario, dir: string, keepSecrets: boolean): void {
  const known = scenarioSecrets(scenario)
  if (scenario.file) {
    const copy = resultsPath(dir, basename(scenario.file))
    if (keepSecrets) copyFileSync(scenario.file, copy)
    else writeFileSync(copy, redactScenarioYaml(readFileSync(scenario.file, 'utf8'), known))
  }
  const listName = scenario.urls.file ? basename(scenario.urls.file) : 'urls.txt'
  writeFileSync(resultsPath(dir, listName === basename(scenario.file ?? '') ? 'urls.txt' : listName), keepSecrets ? scenario.urls.text : redactText(scenario.urls.text, known))
}
