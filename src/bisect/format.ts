/** Shares for bisect's lines and page. */
import type { Estimate } from '../analysis/types.js'
import type { Unit } from '../columns/index.js'
import { formatSigned } from '../units/format.js'

/** 82% (78% … 86%): a share of the control's growth with its interval. */
export function percentWithInterval (e: Estimate): string {
  const pct = (v: number): string => `${Math.round(v * 100)}%`.replace(/^-/, '−')
  return `${pct(e.value)} (${pct(e.low)} … ${pct(e.high)})`
}

/** Growth per request, or that there was none: a fall is no growth to put on a scale. */
export function growthText (perRequest: number, unit: Unit | undefined): string {
  return perRequest > 0 ? `${formatSigned(perRequest, unit ?? 'bytes', 3, true)}/request` : 'did not grow'
}
