/** Shares for bisect's lines and page. */
import type { Estimate } from '../analysis/types.js'

/** 82% (78% … 86%): a share of the control's growth with its interval. */
export function percentWithInterval (e: Estimate): string {
  const pct = (v: number): string => `${Math.round(v * 100)}%`.replace(/^-/, '−')
  return `${pct(e.value)} (${pct(e.low)} … ${pct(e.high)})`
}
