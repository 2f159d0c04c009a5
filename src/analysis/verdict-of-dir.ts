/**
 * The one way memsiege gets the verdict of a results folder — at the end of a run, of a bisect
 * trial, for `report`/`compare` when summary.json has none, and for `memsiege analyze` — so that
 * the same folder with the same settings always gives the same verdict.
 */
import { existsSync } from 'node:fs'
import { readRegularFile } from '../files/regular-file.js'
import { join } from 'node:path'
import type { AnalysisConfig, Scenario } from '../scenario/types.js'
import { analyzeRun, type AnalysisOptions } from './analyze-run.js'
import { analysisOptions, type AnalysisFlags } from './options.js'
import type { RunVerdict } from './types.js'
import { readRecorded, type ColumnMeanings } from '../columns/index.js'
import { AnalysisInputError } from '../errors.js'

export interface VerdictSettings {
  /** The scenario's `analysis:` (as in Scenario, or as kept in summary.json's config). */
  analysis?: AnalysisConfig
  /** Command-line flags: each wins over the same setting in `analysis`. */
  flags?: AnalysisFlags
  /**
   * Bad `analysis:` settings (a hand-edited summary.json) are told here and the defaults used
   * instead; without it they throw like bad flags do.
   */
  onBadSettings?: (message: string) => void
  /** What the samplers declared the columns to mean, before summary.json holds it (at the end of a run). */
  recorded?: ColumnMeanings
  /** The target was started for this run, before summary.json says so (at the end of a run). */
  freshProcess?: boolean
  /** A watch's x axis, before summary.json says so (see AnalysisOptions.xAxis). */
  xAxis?: string
  /** Read at most this many rows (see AnalysisOptions.maxRows). */
  maxRows?: number
}

/** What a caller knows of a results folder beyond its files. */
export interface VerdictContext {
  /**
   * The scenario of a run (or watch) under way or ending, before summary.json says what it
   * says: its `analysis:` settings, and whether memsiege started its target. Without it, the
   * folder's summary.json is read for the same facts (`analyze`, `report`).
   */
  scenario?: Pick<Scenario, 'analysis' | 'target'>
  flags?: AnalysisFlags
  /** What the samplers declared the columns to mean (with `scenario`). */
  recorded?: ColumnMeanings
  /** A watch's x axis (with `scenario`). */
  xAxis?: string
  /** summary.json's settings are bad or unreadable: told here, and the defaults used. */
  onBadSettings?: (message: string) => void
}

/**
 * The one way the settings of a verdict are made — for `analyze`, `report`, the end of a run,
 * a watch's `--every`, a bisect trial's early look and a run's decision to go on — so that a
 * look at the samples while the run goes on and the verdict at its end judge alike.
 */
export function verdictSettingsFor (dir: string, context: VerdictContext = {}): VerdictSettings {
  const flags = context.flags ? { flags: context.flags } : {}
  const told = context.onBadSettings ? { onBadSettings: context.onBadSettings } : {}
  if (context.scenario) {
    return {
      analysis: context.scenario.analysis,
      ...flags,
      ...told,
      freshProcess: context.scenario.target.command !== undefined,
      ...(context.recorded ? { recorded: context.recorded } : {}),
      ...(context.xAxis !== undefined ? { xAxis: context.xAxis } : {})
    }
  }
  const summary = storedSummary(join(dir, 'summary.json'), context.onBadSettings)
  if (summary === undefined) return { ...flags, ...told }
  const recorded = readRecorded(summary.columns)
  const command = (summary.config as { target?: { command?: unknown } } | undefined)?.target?.command
  return {
    analysis: storedAnalysisConfig(summary),
    ...flags,
    ...told,
    freshProcess: typeof command === 'string',
    ...(recorded ? { recorded } : {}),
    ...(typeof summary.x_axis === 'string' ? { xAxis: summary.x_axis } : {})
  }
}

/** A folder's summary.json as an object; undefined (told) when it is missing or unreadable. */
function storedSummary (path: string, onBad?: (message: string) => void): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined
  try {
    const summary: unknown = JSON.parse(readRegularFile(path))
    if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) throw new Error('not a JSON object')
    return summary as Record<string, unknown>
  } catch (err) {
    onBad?.((err as Error).message)
    return undefined
  }
}

/** The verdict of `dir` (samples.csv or a watch's daily files, events.csv). Throws AnalysisInputError for a bad folder or bad settings. */
export function verdictOfResultsDir (dir: string, settings: VerdictSettings = {}): RunVerdict {
  return analyzeRun(dir, verdictOptions(settings))
}

/** The analysis options of `settings`; throws AnalysisInputError naming the bad flag or setting. Runs check this before the load. */
export function verdictOptions (settings: VerdictSettings): AnalysisOptions {
  let analysis = settings.analysis
  if (analysis !== undefined && settings.onBadSettings) {
    try {
      analysisOptions(analysis)
    } catch (err) {
      settings.onBadSettings((err as Error).message)
      analysis = undefined
    }
  }
  try {
    return {
      ...analysisOptions(analysis, settings.flags),
      ...(settings.flags?.metrics?.length ? { metricsFromFlag: true } : {}),
      ...(settings.recorded ? { recorded: settings.recorded } : {}),
      ...(settings.freshProcess !== undefined ? { freshProcess: settings.freshProcess } : {}),
      ...(settings.xAxis !== undefined ? { xAxis: settings.xAxis } : {}),
      ...(settings.maxRows !== undefined ? { maxRows: settings.maxRows } : {})
    }
  } catch (err) {
    throw new AnalysisInputError((err as Error).message)
  }
}

/** The `analysis:` settings a results folder's run had, from its summary.json (undefined when it has none). */
export function storedAnalysisConfig (summary: unknown): AnalysisConfig | undefined {
  const config = (summary as { config?: { analysis?: unknown } } | null)?.config
  return typeof config === 'object' && config !== null ? (config as { analysis?: AnalysisConfig }).analysis : undefined
}
