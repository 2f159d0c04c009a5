/**
 * A trial's verdict: the analysis of its results folder (src/analysis/analyze-run.ts) with the
 * scenario's `analysis:` settings, stored in its summary.json under `verdict`, so that every trial
 * folder is a complete, analysed run folder.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeRun } from '../analysis/analyze-run.js'
import { analysisOptions } from '../analysis/options.js'
import type { RunVerdict } from '../analysis/types.js'
import type { AnalysisConfig } from '../scenario/types.js'

/** The analysis for the trials of a scenario; throws on bad `analysis:` settings. */
export function trialAnalyzer (config: AnalysisConfig | undefined): (dir: string) => Promise<RunVerdict> {
  const options = analysisOptions(config)
  return async (dir) => {
    const verdict = analyzeRun(dir, options)
    storeVerdict(dir, verdict)
    return verdict
  }
}

/** summary.json gets `verdict` (rewritten whole: written aside, then renamed). */
export function storeVerdict (dir: string, verdict: RunVerdict): void {
  const path = join(dir, 'summary.json')
  const summary = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  summary.verdict = verdict
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(summary, null, 2) + '\n')
  renameSync(tmp, path)
}
