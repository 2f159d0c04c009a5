/** Numbers for bisect's lines and page. */
import type { Estimate } from '../analysis/types.js'
import { unitScale } from '../units.js'

/** +20.1 KiB, +1.20 k objects: always signed, with a fixed number of decimals so that lines align. */
export function signed (value: number, unit: string): string {
  const s = unitScale(value, unit)
  return `${value < 0 ? '-' : '+'}${num(Math.abs(value) / s.divisor)}${s.suffix ? ` ${s.suffix}` : ''}`
}

function num (v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)
}

/** +35.1 KiB [+33.0 KiB, +37.2 KiB]: a growth with its interval. */
export function withInterval (e: Estimate, unit: string): string {
  return `${signed(e.value, unit)} [${signed(e.low, unit)}, ${signed(e.high, unit)}]`
}

/** 97% [90%, 104%]: a share with its interval. */
export function percentWithInterval (e: Estimate): string {
  const pct = (v: number): string => `${Math.round(v * 100)}%`
  return `${pct(e.value)} [${pct(e.low)}, ${pct(e.high)}]`
}
