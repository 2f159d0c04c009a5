/**
 * The one way memsiege gets the verdict of a results folder — at the end of a run, of a bisect
 * trial, for `report`/`compare` when summary.json has none, and for `memsiege analyze` — so that
 * the same folder with the same settings always gives the same verdict.
 */
import type { AnalysisConfig } from '../scenario/types.js'
import { analyzeRun, type AnalysisOptions } from './analyze-run.js'
import { analysisOptions, type AnalysisFlags } from './options.js'
import type { RunVerdict } from './types.js'
import type { ColumnMeanings } from '../columns/index.js'
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
