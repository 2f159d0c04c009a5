/**
 * The verdict on a scale a person knows. "66.5 B/request" says little; "230 MiB an hour, 5.4 GiB
 * over a day of traffic at this rate" says whether to care, and "the target was started for this
 * run" says whether a fresh process's warm-up can explain it.
 *
 * The rate is the one the verdict stands on: the whole run's slope for a leak or an open
 * question, the last third's for growth that is settling or has stopped (what it does now), the
 * interval's upper end for a flat series (at most this much).
 */
import type { MetricVerdict, SeriesVerdict, VerdictScale } from './types.js'
import { formatAmount, significant } from '../units/format.js'

export function verdictScale (lead: MetricVerdict, verdict: SeriesVerdict, freshProcess: boolean | undefined): VerdictScale | undefined {
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
    ...(freshProcess !== undefined ? { fresh_process: freshProcess } : {}),
  }
}

/** One or two sentences for the verdict's summary. */
export function scaleSentence (s: VerdictScale, verdict: SeriesVerdict, requests: number | undefined): string {
  const amount = (v: number) => formatAmount(v, s.unit)
  const at = `at this run's ${significant(s.requests_per_hour / 3600, 3)} requests/s`
  let text: string
  switch (verdict) {
    case 'leak':
    case 'inconclusive':
      text = `At that rate, ${at}: ${amount(s.per_hour)}/h, ${amount(s.per_day)} over a day of traffic at that rate.`
      break
    case 'settling':
      text = `Its late rate, ${at}, is ${amount(s.per_hour)}/h (${amount(s.per_day)} a day if it held), but it is still falling.`
      break
    case 'plateau':
      text = `Now, ${at}: ${amount(s.per_hour)}/h (${amount(s.per_day)} a day).`
      break
    case 'flat':
      text = `At most ${amount(s.per_hour)}/h ${at} (${amount(s.per_day)} a day).`
      break
  }
  if (!s.fresh_process) return text
  const first = requests !== undefined ? `its first ${Math.round(requests).toLocaleString('en-US')} requests` : 'its first requests'
  switch (verdict) {
    case 'leak':
      return `${text} The target was started for this run, but a fresh process's warm-up slows down, and this rate held.`
    case 'settling':
      return `${text} The target was started for this run: ${first}, still inside a fresh process's warm-up.`
    case 'plateau':
      return `${text} The target was started for this run: ${first}, and its warm-up is over.`
    default:
      return text
  }
}
