/** Why a run fails CI (exit status 4): --fail-on and analysis.maxGrowth (see thresholds.ts). */
import type { SeriesVerdict } from './types.js'
import type { Breach } from './reasons.js'
import type { RoledVerdict } from './attribution.js'
import type { GrowthLimit } from '../units/growth-limit.js'

export function findBreaches (verdict: SeriesVerdict, metrics: readonly RoledVerdict[], options: { failOn?: 'leak' | 'inconclusive'; maxGrowth?: readonly GrowthLimit[] }): Breach[] {
  const out: Breach[] = []
  if (options.failOn === 'leak' && verdict === 'leak') out.push({ kind: 'fail-on', verdict, fail_on: 'leak' })
  if (options.failOn === 'inconclusive' && (verdict === 'leak' || verdict === 'inconclusive')) out.push({ kind: 'fail-on', verdict, fail_on: 'inconclusive' })
  for (const limit of options.maxGrowth ?? []) {
    for (const m of metrics) {
      if (!m.decides || m.unit !== limit.unit || m.verdict !== 'leak') continue
      const rate = limit.per === 'request' ? m.per_request : m.per_hour
      if (rate && rate.value > limit.amount) {
        out.push({ kind: 'max-growth', metric: m.metric, unit: m.unit, rate: rate.value, per: limit.per, limit: limit.text })
      }
    }
  }
  return out
}
