import type { RunVerdict } from '../analysis/types.js'
import { verdictOfResultsDir, verdictSettingsFor } from '../analysis/verdict-of-dir.js'
import type { VerdictSource } from './compare.js'
import { loadReportInput, readSummary, type ReportInput } from './report-input.js'

export interface VerdictResult {
  verdict?: RunVerdict
  from: VerdictSource
  /** Why there is none. */
  reason?: string
}

/**
 * The run's verdict: from its summary.json, else from the analysis run now (with the run's own
 * `analysis:` settings, as `memsiege analyze` would; not saved), else none, with the reason.
 */
export function ensureVerdict (input: Pick<ReportInput, 'dir' | 'summary'>): VerdictResult {
  if (input.summary.verdict) return { verdict: input.summary.verdict, from: 'summary' }
  try {
    // a hand-edited summary.json with bad settings: the defaults
    const verdict = verdictOfResultsDir(input.dir, verdictSettingsFor(input.dir, { onBadSettings: () => {} }))
    return { verdict, from: 'analysis' }
  } catch (err) {
    return { from: 'none', reason: `the analysis failed: ${(err as Error).message}` }
  }
}

/** A run with its verdict (made now when summary.json has none): the verdict first, so that its metrics' columns are read. */
export async function loadAnalysedRun (dir: string): Promise<{ input: ReportInput } & VerdictResult> {
  const read = readSummary(dir)
  const v = ensureVerdict(read)
  const summary = v.verdict && v.from === 'analysis' ? { ...read.summary, verdict: v.verdict } : read.summary
  return { input: await loadReportInput(read.dir, { summary }), ...v }
}
