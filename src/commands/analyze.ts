/**
 * `memsiege analyze RUN_DIR [--json] [--fail-on leak|inconclusive]`: the leak verdict on a
 * results folder, with the settings the run had (summary.json's config.analysis), which
 * flags override.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { AnalysisFlags } from '../analysis/options.js'
import { storedAnalysisConfig, verdictOfResultsDir } from '../analysis/verdict-of-dir.js'
import { verdictText } from '../analysis/verdict-text.js'
import type { AnalysisConfig } from '../scenario/types.js'
import { AnalysisInputError } from '../errors.js'
import { readRegularFile } from '../regular-file.js'

/** The verdict breached --fail-on or a growth limit. */
export const EXIT_BREACH = 4
/** Bad input: no such folder, no samples.csv, a bad flag. */
export const EXIT_BAD_INPUT = 2

export interface AnalyzeArgs extends Omit<AnalysisFlags, 'failOn'> {
  dir: string
  json: boolean
  failOn?: string
}

export async function analyzeCommand (args: AnalyzeArgs, warn: (message: string) => void): Promise<number> {
  const summaryPath = join(args.dir, 'summary.json')
  let verdict
  try {
    verdict = verdictOfResultsDir(args.dir, {
      analysis: storedConfig(summaryPath, warn),
      flags: args,
      onBadSettings: (message) => warn(`${summaryPath}: analysis settings ignored: ${message}`)
    })
  } catch (err) {
    if (!(err instanceof AnalysisInputError)) throw err
    process.stderr.write(`memsiege: ${err.message}\n`)
    return EXIT_BAD_INPUT
  }
  process.stdout.write(args.json ? JSON.stringify(verdict, null, 2) + '\n' : verdictText(verdict))
  return verdict.breaches.length > 0 ? EXIT_BREACH : 0
}

/** The run's `analysis:` settings from its summary.json, when it has one that can be read. */
function storedConfig (path: string, warn: (message: string) => void): AnalysisConfig | undefined {
  if (!existsSync(path)) return undefined
  try {
    const summary: unknown = JSON.parse(readRegularFile(path))
    if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) throw new Error('not a JSON object')
    return storedAnalysisConfig(summary)
  } catch (err) {
    warn(`${path}: analysis settings ignored: ${(err as Error).message}`)
    return undefined
  }
}
