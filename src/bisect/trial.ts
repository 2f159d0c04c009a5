/**
 * One bisect trial: the scenario cut down to some groups' lines, with the trial's budget as its
 * stop condition, run as a normal run (its own results folder) against a fresh target, then
 * analysed.
 */
import type { RunVerdict } from '../analysis/types.js'
import type { RunResult } from '../run/run-scenario.js'
import { startDecidedRun } from '../run/decided-run.js'
import type { ExtensionSettings } from '../run/extension.js'
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
}

export interface TrialHandle {
  readonly dir: string
  readonly done: Promise<TrialResult>
  interrupt (): void
}

export interface TrialRunOptions {
  warn: (message: string) => void
  onProgress?: (progress: RunProgress) => void
  onEvent?: (event: EventRecord) => void
  /** Where an undecided trial is looked at again (src/run/extension.ts). */
  extension: ExtensionSettings
}

/**
 * Starts the trial's run (the run starts and stops target.command itself), sized for its
 * longest length and ended at the first look that decides; its verdict is the run's own, made
 * with the scenario's `analysis:` settings. Rejects when there is none.
 */
export function startTrial (scenario: Scenario, options: TrialRunOptions): TrialHandle {
  const handle = startDecidedRun(scenario, { warn: options.warn, onEvent: options.onEvent, onProgress: options.onProgress, extension: options.extension })
  const done = handle.done.then(({ run, extension }) => {
    const extended = extension.reached
    if (run.writeError) throw new Error(run.writeError)
    if (run.interrupted) return { run, extended }
    if (!run.summary.verdict) throw new Error(`no verdict: ${run.noVerdict ?? 'the analysis failed'}`)
    return { run, verdict: run.summary.verdict, extended }
  })
  return { dir: handle.dir, done, interrupt: () => handle.interrupt() }
}
