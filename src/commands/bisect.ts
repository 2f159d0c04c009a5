/**
 * `memsiege bisect SCENARIO.yml [--trial 3m | --trial-requests 30000] [--json] [--out DIR]` and
 * `memsiege bisect --resume DIR`: finds the endpoints that leak by running trials on parts of the
 * URL list, each against a fresh target (see src/bisect/).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { verdictOptions } from '../analysis/verdict-of-dir.js'
import { baselineGroup, startBisect, trialLabel, type BisectEvent } from '../bisect/bisect.js'
import { twoCulpritBound } from '../bisect/plan.js'
import { growthText } from '../bisect/format.js'
import { formatCount } from '../units/format.js'
import { groupEntries } from '../bisect/groups.js'
import { BISECT_FILE, budgetLabel, readBisectDocument, scaleBudget, type BisectDocument, type TrialBudget } from '../bisect/state.js'
import { createResultsDir } from '../recorder/results-dir.js'
import { progressLine } from '../report/progress-line.js'
import { parseDuration } from '../units/duration.js'
import { loadScenario } from '../scenario/load.js'
import type { Scenario } from '../scenario/types.js'
import { onSignals } from './signals.js'
import { ConfigError } from '../errors.js'

export interface BisectCommandArgs {
  /** The scenario file (absent with --resume). */
  scenario?: string
  /** Budget of a trial as a duration: `3m`, `90s`; a bare number is minutes (as --duration). */
  trial?: string
  /** Budget of a trial in requests. */
  trialRequests?: number
  /** No trial starts, and none is extended, after this much time of trials: `2h`, `30m`. */
  maxTime?: string
  /** The longest a trial may run, as a multiple of its first length (default 4; 1: never extended). */
  maxExtension?: number
  /** Print bisect.json on stdout at the end instead of the text. */
  json?: boolean
  /** The bisect folder; default results/<UTC time>-<name>-bisect/. */
  out?: string
  /** Carry on the bisect in this folder. */
  resume?: string
}

/** When neither the flags, nor bisect.trial, nor the scenario's stop condition give a budget. */
export const DEFAULT_TRIAL: TrialBudget = { kind: 'duration', seconds: 180 }

/** 0 done (leak found or not), 2 bad input, 130/143 interrupted (resumable), 1 failure. */
export async function bisectCommand (args: BisectCommandArgs, warn: (message: string) => void): Promise<number> {
  let scenario: Scenario
  let budget: TrialBudget
  let resume: BisectDocument | undefined
  let dir: string
  let maxTimeS: number | undefined
  try {
    maxTimeS = args.maxTime !== undefined ? positiveDuration('--max-time', args.maxTime) : undefined
    if (args.maxExtension !== undefined && !(Number.isInteger(args.maxExtension) && args.maxExtension >= 1)) throw new ConfigError(`--max-extension: must be a whole number of at least 1, got ${args.maxExtension}`)
    if (args.resume !== undefined) {
      if (args.scenario !== undefined) throw new ConfigError('--resume DIR carries on the bisect in DIR: give no scenario with it')
      for (const [flag, given] of [['--trial', args.trial], ['--trial-requests', args.trialRequests], ['--out', args.out], ['--max-time', args.maxTime], ['--max-extension', args.maxExtension]] as const) {
        if (given !== undefined) throw new ConfigError(`--resume keeps the settings the bisect started with: ${flag} can't be given with it`)
      }
      dir = resolve(args.resume)
      resume = readBisectDocument(dir)
      if (resume.status === 'done') {
        // A finished bisect without its result has nothing to show: saying nothing would look like success.
        if (!resume.result) throw new ConfigError(`--resume: ${join(dir, BISECT_FILE)} says the bisect is done but holds no result${resume.trials.length === 0 ? ' and no trials' : ''}: not a finished bisect; start a new one`)
        return finish(resume, dir, args, 0)
      }
      scenario = loadScenario(resume.scenario, {}, warn)
      if (scenario.concurrency !== resume.concurrency) {
        warn(`${resume.scenario} now says concurrency ${scenario.concurrency}; the bisect carries on at ${resume.concurrency}, as it started`)
        scenario = { ...scenario, concurrency: resume.concurrency }
      }
      budget = resume.budget
    } else {
      if (args.scenario === undefined) throw new ConfigError('bisect: give a scenario file, or --resume DIR')
      scenario = loadScenario(args.scenario, {}, warn)
      refuseSides(scenario, args.scenario)
      budget = trialBudget(scenario, args)
      dir = ''
    }
    checkRestartable(scenario)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`memsiege: ${err.message}\n`)
      return 2
    }
    throw err
  }

  let groups
  try {
    groups = groupEntries(scenario.urls.entries, scenario.bisect?.groups, warn)
    if (resume) sameGroups(resume, groups)
    if (scenario.bisect?.baseline !== undefined) baselineGroup(groups, scenario.bisect.baseline)
    if (!dir && args.out !== undefined && existsSync(join(resolve(args.out), BISECT_FILE))) {
      throw new ConfigError(`--out ${args.out} already holds a bisect: carry it on with --resume ${args.out}, or give another folder`)
    }
    dir ||= createResultsDir(`${scenario.name}-bisect`, args.out)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`memsiege: ${err.message}\n`)
      return 2
    }
    throw err
  }

  try {
    verdictOptions({ analysis: scenario.analysis })
  } catch (err) {
    process.stderr.write(`memsiege: analysis: ${(err as Error).message}\n`)
    return 2
  }
  const live = process.stderr.isTTY === true
  let liveShown = false
  const line = (text: string): void => {
    process.stderr.write(`${liveShown ? '\r\x1b[K' : ''}${text}\n`)
    liveShown = false
  }
  let currentTrial = 0
  const handle = startBisect({
    scenario,
    groups,
    budget,
    dir,
    resume,
    ...(maxTimeS !== undefined ? { maxTimeS } : {}),
    ...(args.maxExtension !== undefined ? { maxExtension: args.maxExtension } : {}),
    warn: (m) => line(`memsiege: warning: ${m}`),
    onEvent: (e) => {
      if (e.type === 'trial-started') currentTrial = e.trial.n
      line(eventLine(e, groups))
    },
    onTrialProgress: live
      ? (p) => {
          process.stderr.write(`\r\x1b[K  #${currentTrial} ${progressLine(p)}`)
          liveShown = true
        }
      : undefined
  })
  let signal: NodeJS.Signals | undefined
  const release = onSignals((first) => {
    signal = first
    handle.interrupt()
  })
  let doc: BisectDocument
  try {
    doc = await handle.done
  } catch (err) {
    line(`memsiege: error: ${(err as Error).message}`)
    line(`memsiege: bisect state kept in ${dir}; after fixing the cause: memsiege bisect --resume ${dir}`)
    return 1
  } finally {
    release()
  }
  if (doc.status === 'interrupted') {
    line(`memsiege: bisect interrupted; carry on with: memsiege bisect --resume ${dir}`)
    if (args.json) process.stdout.write(JSON.stringify(doc, null, 2) + '\n')
    return signal === 'SIGTERM' ? 143 : 130
  }
  return finish(doc, dir, args, 0)
}

function finish (doc: BisectDocument, dir: string, args: BisectCommandArgs, status: number): number {
  if (args.json) {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n')
  } else if (doc.result) {
    const notes = doc.result.notes.map((n) => `note: ${n}\n`).join('')
    process.stdout.write(`${doc.result.message}\n${notes}Results:\t${dir}\n`)
  }
  return status
}

/** One line on stderr per event: what runs, what each trial found, how many are left. */
export function eventLine (e: BisectEvent, groups: Parameters<typeof trialLabel>[0]): string {
  const indices = (names: readonly string[]): number[] => names.map((n) => groups.findIndex((g) => g.name === n))
  switch (e.type) {
    case 'start': {
      const done = e.doc.trials.filter((t) => t.status === 'done').length
      const l = e.doc.limits
      const longest = l.extension > 1 ? ` (extended up to ${budgetLabel(scaleBudget(e.doc.budget, l.extension))} while undecided)` : ''
      const n = e.doc.groups.length
      const cap = `at most ${l.trials} trials (room for two culprits, ${twoCulpritBound(n)}, and one to spare)${l.time_s !== undefined ? ` or ${budgetLabel({ kind: 'duration', seconds: l.time_s })} of trials` : ''}`
      const what = `${n} groups, trials of ${budgetLabel(e.doc.budget)}${longest} at concurrency ${e.doc.concurrency}, ${cap}`
      return e.resumed
        ? `memsiege bisect: resuming ${e.dir}: ${what}, ${formatCount(done, 'trial')} done before`
        : `memsiege bisect: ${what}, into ${e.dir}`
    }
    case 'trial-skipped':
      return `  #${e.trial.n} ${e.trial.role}: ${e.trial.verdict} (done before)`
    case 'trial-started':
      return `  #${e.trial.n} ${e.trial.role}: ${trialLabel(groups, indices(e.trial.groups))}, ${budgetLabel(e.trial.budget)}: running; about ${Math.max(0, e.expectedLeft - 1)} more after it`
    case 'trial-extended':
      return `  #${e.trial.n} ${e.trial.role}: extended to ${budgetLabel(scaleBudget(e.trial.budget, e.factor))}: ${e.reason}`
    case 'restarting':
      return `  #${e.trial.n} restarting the target: ${e.command}`
    case 'trial-done': {
      const t = e.trial
      const growth = t.per_request ? `, ${growthText(t.per_request.value, t.unit)}` : ''
      const ran = t.requests !== undefined ? ` (${formatCount(t.requests, 'request')} in ${(t.elapsed_s ?? 0).toFixed(1)} s${t.extended ? `, extended ${t.extended}×` : ''})` : ''
      return `  #${t.n} ${t.role}: ${t.verdict}${growth}${ran}${e.expectedLeft > 0 ? `; about ${e.expectedLeft} more` : ''}`
    }
    case 'done':
      return `memsiege bisect: done after ${formatCount(e.doc.result?.trials ?? e.doc.trials.length, 'trial')}`
  }
}

function positiveDuration (flag: string, text: string): number {
  let seconds: number
  try {
    seconds = parseDuration(text, { bareUnit: 'm' })
  } catch (err) {
    throw new ConfigError(`${flag}: ${(err as Error).message}`)
  }
  if (!(seconds > 0)) throw new ConfigError(`${flag}: must be more than 0`)
  return seconds
}

/** --trial / --trial-requests, else bisect.trial, else the scenario's own stop condition, else 3 minutes. */
export function trialBudget (scenario: Scenario, args: Pick<BisectCommandArgs, 'trial' | 'trialRequests'>): TrialBudget {
  if (args.trial !== undefined && args.trialRequests !== undefined) throw new ConfigError('give only one of --trial and --trial-requests')
  if (args.trial !== undefined) return { kind: 'duration', seconds: positiveDuration('--trial', args.trial) }
  if (args.trialRequests !== undefined) {
    if (!Number.isInteger(args.trialRequests) || args.trialRequests < 1) throw new ConfigError(`--trial-requests: must be a whole number of at least 1, got ${args.trialRequests}`)
    return { kind: 'requests', count: args.trialRequests }
  }
  if (scenario.bisect?.trial) return scenario.bisect.trial
  const stop = scenario.stop
  const lines = scenario.urls.entries.length
  switch (stop.kind) {
    case 'duration': return { kind: 'duration', seconds: stop.seconds }
    case 'requests': return { kind: 'requests', count: stop.count }
    case 'passes': return { kind: 'requests', count: stop.count * lines * scenario.concurrency }
    case 'repetitions': return { kind: 'requests', count: stop.count * scenario.concurrency }
    case 'forever': return DEFAULT_TRIAL
  }
}

/** A bisect restarts one target per trial: `targets:` (side by side) would run only the first. */
export function refuseSides (scenario: Scenario, file: string): void {
  if (!scenario.sides) return
  const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => /^targets\s*:/.test(l)) + 1
  throw new ConfigError(`${file}${line > 0 ? `:${line}` : ''}: targets: bisect runs one target, afresh for every trial; side by side is not supported: give each target its own scenario (target:) and bisect them one at a time`)
}

/** Every trial needs a fresh target: one memsiege starts, or one a command restarts. */
export function checkRestartable (scenario: Scenario): void {
  if (scenario.target.command !== undefined) return
  if (scenario.target.restart !== undefined && scenario.target.port !== undefined) return
  throw new ConfigError('bisect needs a target it can restart for every trial: target.command (memsiege starts a fresh one per trial), or target.restart with target.port')
}

function sameGroups (doc: BisectDocument, groups: ReadonlyArray<{ name: string; endpoints: string[] }>): void {
  const now = JSON.stringify(groups.map((g) => [g.name, g.endpoints]))
  const then = JSON.stringify(doc.groups.map((g) => [g.name, g.endpoints]))
  if (now !== then) throw new ConfigError(`--resume: the groups of ${doc.scenario} are not the ones this bisect started with (the scenario or its URL list changed); start a new bisect`)
}
