/**
 * AnalysisOptions from the scenario's `analysis:` (as kept in Scenario and in summary.json's
 * config) and from command-line flags. Flags win over the scenario.
 */
import type { AnalysisConfig } from '../scenario/types.js'
import type { AnalysisOptions } from './analyze-run.js'
import { parseWarmup } from '../units/warmup.js'
import { parseGrowthLimit } from '../units/growth-limit.js'
import { isRole, ROLES } from '../columns/index.js'

export interface AnalysisFlags {
  warmup?: string
  metrics?: string[]
  maxGrowth?: string[]
  failOn?: string
}

/** Throws an Error naming the bad value (a flag, or a hand-edited summary.json). */
export function analysisOptions (config: AnalysisConfig | undefined, flags: AnalysisFlags = {}): AnalysisOptions {
  const out: AnalysisOptions = {}
  const warmup = flags.warmup ?? config?.warmup
  if (warmup !== undefined) out.warmup = parseWarmup(typeof warmup === 'string' && /^\d+$/.test(warmup.trim()) ? Number(warmup) : warmup)
  const metrics = flags.metrics?.length ? flags.metrics : config?.metrics
  if (metrics?.length) out.metrics = [...metrics]
  if (config?.columns) {
    for (const [column, role] of Object.entries(config.columns)) {
      if (!isRole(role)) throw new Error(`analysis.columns.${column}: expected one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`)
    }
    out.columns = { ...config.columns }
  }
  const limits = flags.maxGrowth?.length ? flags.maxGrowth : config?.maxGrowth
  if (limits?.length) out.maxGrowth = limits.map(parseGrowthLimit)
  const failOn = flags.failOn ?? config?.failOn
  if (failOn !== undefined) {
    if (failOn !== 'leak' && failOn !== 'inconclusive') throw new Error(`--fail-on: expected leak or inconclusive, got ${JSON.stringify(failOn)}`)
    out.failOn = failOn
  }
  return out
}
