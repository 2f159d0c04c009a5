/**
 * Growth limits for CI (`analysis.maxGrowth`, `--max-growth`): `2KB/request`, `50MB/h`,
 * `100 objects/request`, `1 thread/h`. A limit applies to the deciding metrics of its unit
 * (bytes for B/KB/MB/GB, which are 1024s as memory is counted), and is breached when such a
 * metric's verdict is `leak` and its growth rate (Theil–Sen, per request or per hour) is over
 * the limit. A plateau or a flat series never breaches: its growth has stopped or is noise.
 */
import type { Unit } from '../columns/meaning.js'
import { BYTE_UNITS as BYTES } from './size.js'

export interface GrowthLimit {
  /** As written, for messages. */
  text: string
  /** Amount per `per`, in the unit's base (bytes, objects...). */
  amount: number
  unit: Unit
  per: 'request' | 'h'
}

const COUNTS: Record<string, Unit> = {
  object: 'objects',
  objects: 'objects',
  slot: 'slots',
  slots: 'slots',
  page: 'pages',
  pages: 'pages',
  thread: 'threads',
  threads: 'threads',
  '': 'count',
}
const PER: Record<string, { per: 'request' | 'h'; factor: number }> = {
  request: { per: 'request', factor: 1 },
  requests: { per: 'request', factor: 1 },
  req: { per: 'request', factor: 1 },
  r: { per: 'request', factor: 1 },
  h: { per: 'h', factor: 1 },
  hr: { per: 'h', factor: 1 },
  hour: { per: 'h', factor: 1 },
  m: { per: 'h', factor: 60 },
  min: { per: 'h', factor: 60 },
  minute: { per: 'h', factor: 60 },
  s: { per: 'h', factor: 3600 },
  sec: { per: 'h', factor: 3600 },
  second: { per: 'h', factor: 3600 },
  d: { per: 'h', factor: 1 / 24 },
  day: { per: 'h', factor: 1 / 24 },
}

/** Throws an Error saying what is wrong (the caller adds where). */
export function parseGrowthLimit (text: string): GrowthLimit {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*\/\s*(?:1\s*)?([a-z]+)\s*$/i.exec(text)
  if (!m) throw new Error(`bad growth limit ${JSON.stringify(text)}: expected an amount per request or per time, such as 2KB/request or 50MB/h`)
  const value = Number(m[1])
  const unitWord = m[2].toLowerCase()
  const per = PER[m[3].toLowerCase()]
  if (!per) throw new Error(`bad growth limit ${JSON.stringify(text)}: unknown "/${m[3]}" (use /request, /h, /min or /s)`)
  let amount: number
  let unit: Unit
  if (BYTES[unitWord] !== undefined) {
    amount = value * BYTES[unitWord]
    unit = 'bytes'
  } else if (COUNTS[unitWord] !== undefined) {
    amount = value
    unit = COUNTS[unitWord]
  } else {
    throw new Error(`bad growth limit ${JSON.stringify(text)}: unknown unit "${m[2]}" (use B, KB, MB, GB, objects, slots, pages or threads)`)
  }
  return { text: text.trim(), amount: amount * per.factor, unit, per: per.per }
}

/** A string or a list of them, as in the scenario. */
export function parseGrowthLimits (input: string | readonly string[]): GrowthLimit[] {
  return (typeof input === 'string' ? [input] : input).map(parseGrowthLimit)
}
