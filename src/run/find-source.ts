/**
 * `--find-source` in a run: the recorder on the target session's probe, on the schedule of the
 * verdict's warm-up, and what summary.json says at the end (the sites, or why there are none).
 */
import type { RunVerdict } from '../analysis/types.js'
import { verdictOptions } from '../analysis/verdict-of-dir.js'
import type { AnalysisFlags } from '../analysis/options.js'
import { ConfigError } from '../errors.js'
import type { TargetSession } from './target-session.js'
import type { Scenario } from '../scenario/types.js'
import { sourceSchedule, type RunPosition } from '../source/schedule.js'
import { SourceRecorder, type SourceSnapshots } from '../source/source-recorder.js'
import { sourceSummary } from '../source/source-summary.js'
import type { SourceSummary } from '../source/types.js'

export interface RunSource {
  afterRow (at: RunPosition): void
  /** Takes the last snapshot: before the target stops. */
  finish (): Promise<void>
  summary (verdict: RunVerdict | undefined): SourceSummary
}

/** Before anything starts: a run `--find-source` cannot serve is bad input. */
export function checkFindSource (scenario: Scenario, flags: AnalysisFlags): void {
  if (!scenario.findSource) return
  const { target, sample } = scenario
  if (sample.gc === undefined && (target.command === undefined || target.probe === 'none')) {
    throw new ConfigError("--find-source (findSource) needs memsiege's probe in the target: start it with target.command (--cmd) and leave target.probe on, or point sample.gc.url at the probe the app mounts")
  }
  sourceSchedule(scenario, verdictOptions({ analysis: scenario.analysis, flags }).warmup)
}

/** `now`: where the run is (requests completed, seconds elapsed). */
export function openRunSource (scenario: Scenario, session: TargetSession, flags: AnalysisFlags | undefined, now: () => RunPosition, warn: (message: string) => void): RunSource | undefined {
  if (!scenario.findSource) return undefined
  const probe = session.probe
  const recorder = probe && new SourceRecorder(probe.url, sourceSchedule(scenario, verdictOptions({ analysis: scenario.analysis, ...(flags ? { flags } : {}) }).warmup), process.env.MEMSIEGE_PROBE_TOKEN || undefined, now)
  let taken: SourceSnapshots | string = 'no probe answered in the target (see the warnings above), so no allocation site was recorded'
  return {
    afterRow: (at) => recorder?.afterRow(at),
    finish: async () => {
      if (recorder) taken = await recorder.finish()
      if (typeof taken === 'string') warn(`--find-source: ${taken}`)
    },
    summary: (verdict) => sourceSummary(taken, typeof taken === 'string' ? probe?.runtime : taken.runtime ?? probe?.runtime, verdict),
  }
}
