/**
 * The verdict on a scale a person knows. "66.5 B/request" says little; "230 MiB an hour, 5.4 GiB
 * over a day of traffic at this rate" says whether to care, and "the target was started for this
 * run" says whether a fresh process's warm-up can explain it.
 *
 * The rate is the one the verdict stands on: the whole run's slope for a leak or an open
 * question, the last third's for growth that is settling or has stopped (what it does now), the
 * interval's upper end for a flat series (at most this much).
 */
import type { MetricResult, SeriesVerdict, VerdictScale } from './types.js'

export function verdictScale (lead: MetricResult, verdict: SeriesVerdict, freshProcess: boolean | undefined, requests?: number): VerdictScale | undefined {
  const rph = lead.requests_per_hour
  if (!(rph !== undefined && rph > 0) || !lead.per_request) return undefined
  const perRequest = verdict === 'settling' || verdict === 'plateau'
    ? lead.shape?.late.value ?? lead.per_request.value
    : verdict === 'flat'
      ? Math.max(0, lead.per_request.high)
      : lead.per_request.value
  const perHour = perRequest * rph
  return {
    metric: lead.metric,
    unit: lead.unit,
    requests_per_hour: rph,
    per_hour: perHour,
    per_day: perHour * 24,
    ...(requests !== undefined ? { requests } : {}),
    ...(freshProcess !== undefined ? { fresh_process: freshProcess } : {}),
  }
}
