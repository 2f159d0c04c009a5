/** Amounts and rates in words people read: 10.2 KiB, 1,250 objects, 3 threads. */
import type { MetricUnit } from './metrics.js'
import { formatBytes } from '../units.js'

/** Bytes in 1024s, as memory is counted, labelled so (KiB, as the reports do); other units as counts. */
export function formatAmount (value: number, unit: string, digits = 3): string {
  if (!Number.isFinite(value)) return '?'
  if (unit === 'bytes') return formatBytes(value, digits)
  const word = unit === 'count' ? '' : ` ${Math.abs(value) === 1 ? singular(unit) : unit}`
  return `${significant(value, digits)}${word}`
}

export function formatRate (value: number, unit: string, per: 'request' | 'h'): string {
  return `${formatAmount(value, unit)}/${per}`
}

/** `digits` significant digits, without exponent notation, with thousands separators. */
export function significant (value: number, digits = 3): string {
  if (value === 0) return '0'
  const abs = Math.abs(value)
  const decimals = Math.max(0, Math.min(6, digits - 1 - Math.floor(Math.log10(abs))))
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: decimals })
}

function singular (unit: string): string {
  return unit.endsWith('s') ? unit.slice(0, -1) : unit
}

export function isBytes (unit: MetricUnit | string): boolean {
  return unit === 'bytes'
}
