import { ConfigError } from '../errors.js'
import { repeatedFlag } from './repeated-flags.js'

/** A flag that counts something (users, requests, lines): a whole number of at least 1. */
export function positiveInteger (option: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (Array.isArray(value)) throw repeatedFlag(option, value)
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${option} must be a whole number of at least 1, not "${String(value)}"`)
  return n
}
