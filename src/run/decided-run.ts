/**
 * A run that decides (`run --until-decided`, a bisect trial): one run sized for its longest
 * length, looked at on the way (extension.ts), ended at the first look that decides. Its
 * summary.json says how far it went and why.
 */
import type { Scenario } from '../scenario/types.js'
import { Looks, type ExtensionSettings, type Looked } from './extension.js'
import type { ExtensionRecord } from '../recorder/extension-record.js'
import { startRun, type RunHandle, type RunOptions, type RunResult } from './run-scenario.js'

export interface DecidedRunResult {
  run: RunResult
  extension: ExtensionRecord
}

export interface DecidedRunHandle {
  readonly dir: string
  readonly done: Promise<DecidedRunResult>
  interrupt (): void
}

/** `scenario`'s stop condition is replaced by the longest length of `extension`. */
export function startDecidedRun (scenario: Scenario, options: RunOptions & { extension: ExtensionSettings }): DecidedRunHandle {
  const { extension, ...runOptions } = options
  const looks = new Looks(extension)
  let record: ExtensionRecord | undefined
  const handle: RunHandle = startRun({ ...scenario, stop: looks.longest }, {
    ...runOptions,
    onProgress: (p) => {
      options.onProgress?.(p)
      if (!looks.due(p)) return
      if (!looks.goOn([peek(handle)], p)) handle.finish({ atLook: true })
    },
    beforeSummary: (summary) => {
      record = looks.record(summary.interrupted)
      summary.extension = record
      options.beforeSummary?.(summary)
    }
  })
  const done = handle.done.then((run) => ({ run, extension: record ?? looks.record(run.interrupted) }))
  return { dir: handle.dir, done, interrupt: () => handle.interrupt() }
}

/** The verdict so far, or why there is none yet (the samples can't be analysed yet). */
export function peek (handle: Pick<RunHandle, 'peek'>): Pick<Looked, 'verdict' | 'error'> {
  try {
    return { verdict: handle.peek() }
  } catch (err) {
    return { error: (err as Error).message }
  }
}
