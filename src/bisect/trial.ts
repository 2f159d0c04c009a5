/**
 * One bisect trial: the scenario cut down to some groups' lines, with the trial's budget as its
 * stop condition, run as a normal run (its own results folder) against a fresh target, then
 * analysed.
 */
import type { RunVerdict } from '../analysis/types.js'
import { startRun, type RunHandle, type RunResult } from '../run/run-scenario.js'
import type { RunProgress } from '../report/progress-line.js'
import type { EventRecord } from '../recorder/events-csv.js'
import type { Scenario } from '../scenario/types.js'
import type { EndpointGroup } from './groups.js'
import type { TrialBudget } from './state.js'

/** The scenario of one trial: the lines of `indices`' groups, in list order, and the budget as the stop condition. */
export function trialScenario (scenario: Scenario, groups: readonly EndpointGroup[], indices: readonly number[], budget: TrialBudget, dir: string, name: string): Scenario {
  const keep = new Set(indices.flatMap((i) => groups[i]!.entries))
  const entries = scenario.urls.entries.filter((_, i) => keep.has(i))
  const header = [
    `# memsiege bisect: ${name}`,
    `# groups: ${indices.map((i) => groups[i]!.name).join(', ')}`,
    `# ${entries.length} of the ${scenario.urls.entries.length} lines of ${scenario.urls.file ?? scenario.file ?? 'the list'}, as resolved`
  ]
  const text = [...header, ...entries.map(entryLine)].join('\n') + '\n'
  return {
    ...scenario,
    name,
    urls: { text, entries },
    stop: budget.kind === 'duration' ? { kind: 'duration', seconds: budget.seconds } : { kind: 'requests', count: budget.count },
    out: dir
  }
}

/** An entry as a URL-list line, for the record (bodies that aren't printable text are summarised). */
function entryLine (e: Scenario['urls']['entries'][number]): string {
  if (e.method === 'GET' && e.body === undefined) return e.url
  const body = e.body === undefined || e.body.length === 0
    ? ''
    : /^[\x20-\x7e\t]*$/.test(e.body.toString('latin1')) ? ` ${e.body.toString('latin1')}` : ` # <${e.body.length} bytes>`
  return `${e.url} ${e.method}${body}`
}

export interface TrialResult {
  run: RunResult
  /** Undefined when the run was interrupted (a partial run decides nothing). */
  verdict?: RunVerdict
  /** The length reached, as a multiple of the first (1 when the first length decided). */
  extended: number
  /**
   * The verdict of the look that ended the trial before its longest length, when one did: the
   * run's own verdict, over the few samples taken after it, may have moved back across the line.
   */
  decidedBy?: RunVerdict
}

export interface TrialHandle {
  readonly dir: string
  readonly done: Promise<TrialResult>
  interrupt (): void
}

/** Trials as long as they need: an undecided trial runs on, to these multiples of its first length. */
export interface TrialExtension {
  budget: TrialBudget
  /** Ascending, first 1: where the verdict is looked at (e.g. 1, 2, 4); the run is sized for the last. */
  factors: number[]
  /** The verdict of the samples so far, without writing anything. */
  peek: (dir: string) => RunVerdict
  /** Whether a verdict leaves the trial undecided, so that it runs on; default: inconclusive. */
  undecided?: (verdict: RunVerdict) => boolean
  /** True when no more time may be spent (a time limit): the trial ends at the next look. */
  timeUp?: () => boolean
  /** The trial runs on to `factor` × its first length, because of `verdict`. */
  onExtend?: (factor: number, verdict: RunVerdict) => void
}

export interface TrialRunOptions {
  warn: (message: string) => void
  onProgress?: (progress: RunProgress) => void
  onEvent?: (event: EventRecord) => void
  extension?: TrialExtension
}

const isInconclusive = (verdict: RunVerdict): boolean => verdict.verdict === 'inconclusive'

/**
 * Starts the trial's run (the run starts and stops target.command itself); its verdict is the
 * run's own, made with the scenario's `analysis:` settings. Rejects when there is none. With an
 * extension, the scenario's stop condition must be the longest length: at each shorter one the
 * samples so far are analysed, and the run ends there unless still inconclusive.
 */
export function startTrial (scenario: Scenario, options: TrialRunOptions): TrialHandle {
  const ext = options.extension
  let look = 0
  let extended = 1
  let finishing = false
  let decidedBy: RunVerdict | undefined
  const handle: RunHandle = startRun(scenario, {
    warn: options.warn,
    onEvent: options.onEvent,
    analysis: { analysis: scenario.analysis },
    onProgress: (p) => {
      options.onProgress?.(p)
      if (!ext || finishing) return
      const at = ext.budget.kind === 'requests' ? p.requests / ext.budget.count : p.elapsedS / ext.budget.seconds
      if (look >= ext.factors.length - 1 || at < ext.factors[look]!) return
      extended = ext.factors[look]!
      let verdict: RunVerdict | undefined
      try {
        verdict = ext.peek(handle.dir)
      } catch {
        verdict = undefined
      }
      look++
      if (verdict && (ext.undecided ?? isInconclusive)(verdict) && !ext.timeUp?.()) {
        ext.onExtend?.(ext.factors[look]!, verdict)
        return
      }
      finishing = true
      if (verdict && !ext.timeUp?.()) decidedBy = verdict
      handle.finish()
    }
  })
  const done = handle.done.then((run) => {
    if (!finishing && ext) extended = ext.factors.at(-1)!
    if (run.writeError) throw new Error(run.writeError)
    if (run.interrupted) return { run, extended }
    if (!run.summary.verdict) throw new Error(`no verdict: ${run.noVerdict ?? 'the analysis failed'}`)
    return { run, verdict: run.summary.verdict, extended, ...(decidedBy ? { decidedBy } : {}) }
  })
  return { dir: handle.dir, done, interrupt: () => handle.interrupt() }
}
