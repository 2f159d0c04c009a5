/** Numbers for bisect's lines and page. */
import { unitScale } from '../units.js'

/** +20.1 KiB, +1.20 k objects: always signed, with a fixed number of decimals so that lines align. */
export function signed (value: number, unit: string): string {
  const s = unitScale(value, unit)
  return `${value < 0 ? '-' : '+'}${num(Math.abs(value) / s.divisor)}${s.suffix ? ` ${s.suffix}` : ''}`
}

function num (v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)
}
