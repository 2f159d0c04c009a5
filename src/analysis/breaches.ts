/** Why a run fails CI (exit status 4): --fail-on and analysis.maxGrowth (see thresholds.ts). */
import type { RunVerdict, SeriesVerdict } from './types.js'
import type { RoledVerdict } from './attribution.js'
import type { GrowthLimit } from '../units/growth-limit.js'
import { formatRate } from '../units/format.js'

export function findBreaches (verdict: SeriesVerdict, metrics: readonly RoledVerdict[], options: { failOn?: 'leak' | 'inconclusive'; maxGrowth?: readonly GrowthLimit[] }): RunVerdict['breaches'] {
  const out: string[] = []
  if (options.failOn === 'leak' && verdict === 'leak') out.push('verdict is leak (--fail-on leak)')
  if (options.failOn === 'inconclusive' && (verdict === 'leak' || verdict === 'inconclusive')) out.push(`verdict is ${verdict} (--fail-on inconclusive)`)
  for (const limit of options.maxGrowth ?? []) {
    for (const m of metrics) {
      if (!m.decides || m.unit !== limit.unit || m.verdict !== 'leak') continue
      const rate = limit.per === 'request' ? m.per_request : m.per_hour
      if (rate && rate.value > limit.amount) {
        out.push(`${m.metric} grows ${formatRate(rate.value, m.unit, limit.per)}, over the limit of ${limit.text}`)
      }
    }
  }
  return out
}
