/**
 * Side by side: one run per target (each an ordinary run folder under one results folder), with
 * the same URL list, order and concurrency. In lockstep (the default) the engines share a gate
 * (engine/lockstep.ts): request k of a user goes to every target before request k+1 goes to any,
 * so a slow target sets the pace of all, and a sample of either is taken after the same requests
 * give or take one per user. A target that exits is recorded in its events.csv, its run ends, and
 * the others go on alone; when a run ends for any other reason (its duration, a budget) the others
 * are ended too, so that none gets requests the others did not.
 */
import { join } from 'node:path'
import { Lockstep } from '../engine/lockstep.js'
import type { EventRecord } from '../recorder/events-csv.js'
import { createResultsDir } from '../recorder/results-dir.js'
import { writeSidesFile } from '../recorder/sides-folder.js'
import { sideScenario } from '../scenario/sides.js'
import type { Scenario } from '../scenario/types.js'
import type { RunProgress } from '../report/progress-line.js'
import { startRun, type RunHandle, type RunOptions, type RunResult } from './run-scenario.js'
import { Looks, type ExtensionSettings } from './extension.js'
import { peek } from './decided-run.js'
import type { JudgedSummary } from '../analysis/types.js'

export interface SidesOptions extends Omit<RunOptions, 'onEvent' | 'gate' | 'onProgress' | 'beforeSummary'> {
  /** Something happened to one target's process. */
  onEvent?: (target: string, event: EventRecord) => void
  /** One target's figures so far, every interval (for the live line). */
  onProgress?: (target: string, progress: RunProgress) => void
  /** Sides that decide: all looked at together, all extended as long as one is undecided (the stop condition is replaced). */
  extension?: ExtensionSettings
}

/** One target's end: its run's (or watch's) result. */
export interface SideOutcome<R = RunResult> {
  name: string
  /** Absent when the target's run failed as a whole (it never started): then `error` says why. */
  result?: R
  error?: Error
}

export interface SidesResult<R = RunResult> {
  /** The results folder holding one sub-folder per target. */
  dir: string
  sides: Array<SideOutcome<R>>
}

export interface SidesHandle<R = RunResult> {
  readonly dir: string
  readonly done: Promise<SidesResult<R>>
  interrupt (): void
}

export function startSides (given: Scenario, options: SidesOptions = {}): SidesHandle {
  const { extension, ...runOptions } = options
  const looks = extension ? new Looks(extension) : undefined
  const scenario = looks ? { ...given, stop: looks.longest } : given
  const { targets, lockstep } = scenario.sides!
  const dir = createResultsDir(scenario.name, scenario.out)
  writeSidesFile(dir, { targets: targets.map((t) => t.name), mode: lockstep ? 'lockstep' : 'independent' })
  const gates = lockstep
    ? new Lockstep({
      targets: targets.length,
      users: scenario.concurrency,
      entries: scenario.urls.entries.length,
      order: scenario.order,
      requests: scenario.stop.kind === 'requests' ? scenario.stop.count : Infinity
    })
    : undefined
  const handles: RunHandle[] = []
  const ended = new Set<number>()
  const latest: Array<RunProgress | undefined> = targets.map(() => undefined)
  /** In lockstep the sides are looked at together, where the one behind has reached the look. */
  const lookAll = (): void => {
    const going = targets.map((_, i) => i).filter((i) => !ended.has(i))
    const at = going.map((i) => latest[i])
    if (!looks || at.some((p) => p === undefined)) return
    const behind = { requests: Math.min(...at.map((p) => p!.requests)), elapsedS: Math.min(...at.map((p) => p!.elapsedS)) }
    if (!looks.due(behind)) return
    if (!looks.goOn(going.map((i) => ({ label: targets[i]!.name, ...peek(handles[i]!) })), behind)) handles.forEach((h) => h.finish())
  }
  targets.forEach((side, i) => {
    const handle = startRun(sideScenario(scenario, side, join(dir, side.name)), {
      ...runOptions,
      gate: gates?.gate(i),
      onProgress: (p) => {
        options.onProgress?.(side.name, p)
        latest[i] = p
        lookAll()
      },
      ...(looks ? { beforeSummary: (summary: JudgedSummary) => { summary.extension = looks.record(summary.interrupted) } } : {}),
      onEvent: (event) => {
        options.onEvent?.(side.name, event)
        if (event.type !== 'target_exited') return
        // Before its run stops: a target that died must not end the others' steps.
        gates?.drop(i)
        handle.finish()
      }
    })
    handles.push(handle)
  })

  /** A run that ended on its own (not its target's death) ends the others in lockstep: none may run on alone. */
  const endOthers = (i: number, result: RunResult | undefined): void => {
    ended.add(i)
    if (result?.targetExited && !result.interrupted) return
    if (!lockstep && result) return
    handles.forEach((h, j) => { if (!ended.has(j)) h.finish() })
  }
  return allSides(dir, targets.map((t) => t.name), handles, (i, result) => {
    // It never ran (its target did not start): the others must not wait for it at the gate.
    if (!result) gates?.drop(i)
    endOthers(i, result)
  })
}

/**
 * The targets' runs (or watches) as one handle: every target's outcome (one that never started
 * gives its error), `onEnd` as each ends, interrupt() for all.
 */
export function allSides<R> (dir: string, names: readonly string[], handles: ReadonlyArray<{ readonly done: Promise<R>; interrupt (): void }>, onEnd?: (i: number, result: R | undefined) => void): SidesHandle<R> {
  const done = Promise.all(handles.map(async (h, i): Promise<SideOutcome<R>> => {
    try {
      const result = await h.done
      onEnd?.(i, result)
      return { name: names[i], result }
    } catch (err) {
      onEnd?.(i, undefined)
      return { name: names[i], error: err as Error }
    }
  })).then((sides) => ({ dir, sides }))
  return {
    dir,
    done,
    interrupt () {
      for (const h of handles) h.interrupt()
    }
  }
}
