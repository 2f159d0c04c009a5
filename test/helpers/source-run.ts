/** A `memsiege run --find-source` on an app memsiege starts (probe-run.ts): its output and summary.json's `source`. */
import type { Test } from 'tap'
import { probeRun, type ProbeRunOptions, type ProbeRunResult } from './probe-run.js'
import type { SourceSummary } from '../../src/source/types.js'

export interface SourceRunOptions extends Omit<ProbeRunOptions, 'targetExtra' | 'extra' | 'concurrency'> {
  env?: Record<string, string>
  /** Think time: keeps a fast app to a rate at which rows (every 0.2 s) see the run's stages. */
  delay?: number
  /** false: clients that send no cookie back. */
  cookies?: boolean
}

export type SourceRunResult = ProbeRunResult & { source?: SourceSummary }

/** Two users; the app's PORT in its environment. */
export async function sourceRun (t: Test, o: SourceRunOptions): Promise<SourceRunResult> {
  const r = await probeRun(t, {
    ...o,
    targetExtra: ['  readyTimeout: 60', `  env: ${JSON.stringify({ PORT: String(o.port), ...o.env })}`],
    extra: [`delay: ${o.delay ?? 0.002}`, 'findSource: true', ...(o.cookies === false ? ['cookies: false'] : [])],
    sample: o.sample ?? '{ interval: 0.2 }',
  })
  return { ...r, source: r.summary.source }
}
