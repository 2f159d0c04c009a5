/**
 * The one way memsiege gets the verdict of a results folder — at the end of a run, of a bisect
 * trial, for `report`/`compare` when summary.json has none, and for `memsiege analyze` — so that
 * the same folder with the same settings always gives the same verdict.
 */
import { join } from 'node:path'
import type { AnalysisConfig } from '../scenario/types.js'
import { AnalysisInputError, analyzeRun, type AnalysisOptions } from './analyze-run.js'
import { analysisOptions, type AnalysisFlags } from './options.js'
import type { RunVerdict } from './types.js'
import { chooseMetrics } from './metrics.js'
import { columnsText, missingMetricsText } from './metric-names.js'
import { readSamplesHeader } from './samples-reader.js'

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
}

/** The verdict of `dir` (samples.csv, events.csv). Throws AnalysisInputError for a bad folder or bad settings. */
export function verdictOfResultsDir (dir: string, settings: VerdictSettings = {}): RunVerdict {
  const options = verdictOptions(settings)
  if (settings.flags?.metrics?.length) checkMetricFlags(dir, settings.flags.metrics)
  return analyzeRun(dir, options)
}

/** `--metrics` naming no column of this run is a typo to point at; the same names in a scenario only make a note (a run whose GC endpoint failed lacks them). */
function checkMetricFlags (dir: string, requested: readonly string[]): void {
  const samplesPath = join(dir, 'samples.csv')
  let header: string[]
  try {
    header = readSamplesHeader(samplesPath)
  } catch {
    return // analyzeRun says what is wrong with the folder
  }
  const { missing } = chooseMetrics(header, requested)
  if (missing.length) throw new AnalysisInputError(`--metrics: not a column of ${samplesPath}: ${missingMetricsText(missing, header)}; its columns: ${columnsText(header)}`)
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
    return analysisOptions(analysis, settings.flags)
  } catch (err) {
    throw new AnalysisInputError((err as Error).message)
  }
}

/** The `analysis:` settings a results folder's run had, from its summary.json (undefined when it has none). */
export function storedAnalysisConfig (summary: unknown): AnalysisConfig | undefined {
  const config = (summary as { config?: { analysis?: unknown } } | null)?.config
  return typeof config === 'object' && config !== null ? (config as { analysis?: AnalysisConfig }).analysis : undefined
}
