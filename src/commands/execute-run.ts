import type { Scenario } from '../scenario/types.js'
import type { JudgedSummary } from '../analysis/types.js'
import { startRun, type RunOptions, type RunResult } from '../run/run-scenario.js'
import { startDecidedRun } from '../run/decided-run.js'
import type { ExtensionSettings } from '../run/extension.js'
import { applyDecideFlags, decideExtension } from './decide-flags.js'
import type { DecideFlags } from './decide-options.js'
import { summaryText } from '../report/summary-text.js'
import { verboseLine } from '../report/verbose-line.js'
import { progressLine } from '../report/progress-line.js'
import { onSignals } from './signals.js'
import { reportCommand } from './report.js'
import type { AnalysisFlags } from '../analysis/options.js'
import { verdictOptions } from '../analysis/verdict-of-dir.js'
import { verdictText } from '../analysis/verdict-text.js'
import { EXIT_BREACH } from './analyze.js'
import { ConfigError } from '../errors.js'
import { applyEngineFlags, type EngineFlags } from './engine-flags.js'
import { checkFindSource } from '../run/find-source.js'
import { sourceText } from '../source/source-text.js'

export interface OutputOptions extends AnalysisFlags, EngineFlags, DecideFlags {
  /** Print the summary document as JSON instead of the text block. */
  json: boolean
  /** siege -v: one line per request on stdout. */
  verbose: boolean
  /** siege -q: print nothing. */
  quiet: boolean
  /** Exit 0 even when the target exited during the run. */
  keepGoing: boolean
  /** Write report.html and memory.svg into the results folder at the end. */
  report: boolean
  /** Copy the scenario and the URL list into the results folder with their secrets (to run them again). */
  keepSecrets?: boolean
  /** --find-source: over the scenario's findSource. */
  findSource?: boolean
}

/** A run-time failure: here, summary.json could not be written. */
export const EXIT_FAILURE = 1

/** No request of the run got a successful answer: the figures and the verdict say nothing about the target. */
export const EXIT_NO_SUCCESS = 3

/** The run finished, but the target exited during it (without --keep-going). */
export const EXIT_TARGET_EXITED = 5

/** Runs a scenario the way both `memsiege run` and siege's flags do, and returns the exit status. */
export async function executeRun (given: Scenario, output: OutputOptions, warn: (message: string) => void): Promise<number> {
  const engined = applyEngineFlags(given, output)
  const scenario = applyDecideFlags(output.findSource ? { ...engined, findSource: true } : engined, output)
  const analysisFlags = verdictFlags(scenario, output)
  checkFindSource(scenario, analysisFlags)
  const live = process.stderr.isTTY && !output.quiet
  const handle = startEitherRun(scenario, decideExtension(scenario, sayOnStderr(output, live)), {
    analysisFlags,
    keepSecrets: output.keepSecrets,
    stopWhenUnreachable: true,
    warn,
    onEvent: (e) => process.stderr.write(`${live ? '\r\x1b[K' : ''}memsiege: ${e.type}: pid ${e.pid} ${e.detail}\n`),
    onTransaction: output.verbose && !output.quiet ? (t) => process.stdout.write(verboseLine(t) + '\n') : undefined,
    onProgress: live ? (p) => process.stderr.write(`\r\x1b[K${progressLine(p)}`) : undefined
  })
  let signal: NodeJS.Signals | undefined
  const release = onSignals((first) => {
    signal = first
    handle.interrupt()
  })
  let targetExited = false
  let breached = false
  let lost = false
  let failure: string | undefined
  try {
    const result = await handle.done
    const { summary } = result
    // A restart loop leaves the target down (or flapping): the run's figures end there.
    targetExited = result.targetExited || result.stopped !== undefined
    breached = (summary.verdict?.breaches.length ?? 0) > 0
    failure = noSuccess(summary)
    if (live) process.stderr.write('\r\x1b[K')
    if (output.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n')
    else if (!output.quiet) process.stdout.write(summaryText(summary) + (summary.verdict ? verdictText(summary.verdict) : '') + (summary.source ? sourceText(summary.source) : ''))
    // The figures above are all that is left of the run's summary: say so after them, naming the file.
    if (result.writeError) {
      process.stderr.write(`memsiege: error: ${result.writeError}\n`)
      lost = true
    } else if (output.report) await writeRunReport(summary.results_dir, output, warn)
    if (result.unreachable) process.stderr.write(`memsiege: ${result.unreachable}\n`)
    else if (failure && !signal) process.stderr.write(`memsiege: ${failure}\n`)
    if (result.stopped) process.stderr.write(`memsiege: ${result.stopped}\n`)
  } finally {
    release()
  }
  if (lost) return EXIT_FAILURE
  if (signal === 'SIGINT') return 130
  if (signal === 'SIGTERM') return 143
  if (targetExited && !output.keepGoing) return EXIT_TARGET_EXITED
  if (failure) return EXIT_NO_SUCCESS
  return breached ? EXIT_BREACH : 0
}

/** The verdict's flags, checked with the scenario's settings before any load. */
export function verdictFlags (scenario: Scenario, output: AnalysisFlags): AnalysisFlags {
  const { warmup, metrics, maxGrowth, failOn } = output
  const flags: AnalysisFlags = { warmup, metrics, maxGrowth, failOn }
  try {
    verdictOptions({ analysis: scenario.analysis, flags })
  } catch (err) {
    throw new ConfigError((err as Error).message)
  }
  return flags
}

/** A run that decides (the scenario's `decide`), else a run of the stop condition's length. */
function startEitherRun (scenario: Scenario, extension: ExtensionSettings | undefined, options: RunOptions): { dir: string; done: Promise<RunResult>; interrupt (): void } {
  if (!extension) return startRun(scenario, options)
  const handle = startDecidedRun(scenario, { ...options, extension })
  return { dir: handle.dir, done: handle.done.then((r) => r.run), interrupt: () => handle.interrupt() }
}

/** Why no request succeeded, in one line; undefined when one did. */
export function noSuccess (s: JudgedSummary): string | undefined {
  if (s.successful_transactions > 0) return undefined
  const errors = Object.entries(s.errors).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`)
  const statuses = Object.entries(s.status_codes).map(([code, n]) => `${n} × ${code}`)
  const happened = [...errors, ...statuses]
  if (s.in_flight_at_end > 0) happened.push(`${s.in_flight_at_end} still waiting for an answer at the end`)
  return `no request succeeded${happened.length > 0 ? `: ${happened.join(', ')}` : ': none was sent'}; the figures and the verdict say nothing about the target`
}

/** A line on stderr under the live progress line (nothing with -q). */
export function sayOnStderr (output: Pick<OutputOptions, 'quiet'>, live: boolean): (line: string) => void {
  return (line) => { if (!output.quiet) process.stderr.write(`${live ? '\r\x1b[K' : ''}memsiege: ${line}\n`) }
}

/** A report that can't be written is worth a warning, never the run's exit status. */
export async function writeRunReport (dir: string, output: OutputOptions, warn: (message: string) => void): Promise<void> {
  const log = output.quiet ? () => {} : output.json ? (line: string) => { process.stderr.write(line + '\n') } : undefined
  try {
    await reportCommand({ dir, log })
  } catch (err) {
    warn(`report: ${(err as Error).message}`)
  }
}
