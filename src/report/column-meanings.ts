/**
 * What the columns of a results folder mean, read the way the analysis reads them: summary.json's
 * `columns` (as the samplers declared them), the run's `analysis.columns` over them, and for a
 * folder from before summary.json held them, recognition by name. Reports choose what to draw
 * by these roles, not by column names.
 */
import { headerMeanings, readRecorded, type Recognised, type Role } from '../columns/index.js'
import { storedAnalysisConfig, verdictOptions } from '../analysis/verdict-of-dir.js'
import type { JudgedSummary } from '../analysis/types.js'

/** Roles whose columns are a level of memory (or threads): worth reading for a chart. */
export const MEMORY_ROLES: readonly Role[] = ['rss', 'native', 'heap-live', 'old-generation', 'heap-size', 'threads']

export function folderMeanings (header: readonly string[], summary: JudgedSummary): Map<string, Recognised> {
  // Bad `analysis:` settings (a hand-edited summary.json): the analysis then uses the defaults, and so do the charts.
  const declared = verdictOptions({ analysis: storedAnalysisConfig(summary), onBadSettings: () => {} }).columns
  return headerMeanings(header, { recorded: readRecorded(summary.columns), ...(declared ? { declared } : {}) })
}
