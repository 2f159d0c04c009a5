/** --methods, --status, --include/--exclude, --since/--until: which recorded requests are kept. */
import { parseDateOption } from './dates.js'
import { ConfigError } from '../errors.js'

export interface FilterOptions {
  /** `GET,DELETE`; repeatable. */
  methods?: string | string[]
  /** `2xx`, `200`, `200-299`, comma-separated; repeatable. */
  status?: string | string[]
  /** Regexes matched against the URL as recorded; a request is kept when any matches. */
  include?: string | string[]
  /** A request is dropped when any matches. */
  exclude?: string | string[]
  since?: string
  until?: string
}

export interface RequestFilter {
  readonly active: boolean
  readonly needsStatus: boolean
  readonly needsTime: boolean
  /** Why a request is dropped, or undefined when it is kept. */
  reject (method: string, url: string, status: number, time: number): FilterReason | undefined
}

export type FilterReason = 'method' | 'status' | 'time' | 'url'

export function compileFilter (options: FilterOptions): RequestFilter {
  const methods = listOf(options.methods).map((m) => {
    const method = m.toUpperCase()
    if (!/^[A-Z][A-Z0-9_-]*$/.test(method)) throw new ConfigError(`--methods: "${m}" is not a method name`)
    return method
  })
  const methodSet = methods.length > 0 ? new Set(methods) : undefined
  const statusTable = statusLookup(listOf(options.status))
  const include = listOf(options.include, false).map((source) => regex('--include', source))
  const exclude = listOf(options.exclude, false).map((source) => regex('--exclude', source))
  const since = options.since === undefined ? undefined : parseDateOption('--since', options.since)
  const until = options.until === undefined ? undefined : parseDateOption('--until', options.until)
  if (since !== undefined && until !== undefined && until <= since) {
    throw new ConfigError(`--until ${options.until} is not after --since ${options.since}`)
  }
  const needsTime = since !== undefined || until !== undefined
  return {
    active: methodSet !== undefined || statusTable !== undefined || include.length > 0 || exclude.length > 0 || needsTime,
    needsStatus: statusTable !== undefined,
    needsTime,
    reject (method, url, status, time) {
      if (methodSet !== undefined && !methodSet.has(method)) return 'method'
      if (statusTable !== undefined && !(status >= 0 && status < statusTable.length && statusTable[status] === 1)) return 'status'
      if (needsTime) {
        if (Number.isNaN(time)) return 'time'
        if (since !== undefined && time < since) return 'time'
        if (until !== undefined && time >= until) return 'time'
      }
      if (include.length > 0 && !include.some((r) => r.test(url))) return 'url'
      if (exclude.length > 0 && exclude.some((r) => r.test(url))) return 'url'
      return undefined
    }
  }
}

/** Comma-separated, repeatable; regexes are only repeatable (they may contain commas). */
function listOf (value: string | string[] | undefined, splitCommas = true): string[] {
  if (value === undefined) return []
  const values = Array.isArray(value) ? value : [value]
  return splitCommas
    ? values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '')
    : values.map(String).filter((v) => v !== '')
}

function regex (option: string, source: string): RegExp {
  try {
    return new RegExp(source)
  } catch (error) {
    throw new ConfigError(`${option} ${source}: ${(error as Error).message}`)
  }
}

/** A table indexed by status code, 1 for the codes kept. */
function statusLookup (specs: string[]): Uint8Array | undefined {
  if (specs.length === 0) return undefined
  const table = new Uint8Array(1000)
  for (const spec of specs) {
    const [from, to] = statusRange(spec)
    table.fill(1, from, to + 1)
  }
  return table
}

function statusRange (spec: string): [number, number] {
  let m = /^([1-5])xx$/i.exec(spec)
  if (m !== null) return [Number(m[1]) * 100, Number(m[1]) * 100 + 99]
  m = /^(\d{3})$/.exec(spec)
  if (m !== null) return [Number(m[1]), Number(m[1])]
  m = /^(\d{3})-(\d{3})$/.exec(spec)
  if (m !== null && Number(m[1]) <= Number(m[2])) return [Number(m[1]), Number(m[2])]
  throw new ConfigError(`--status: "${spec}" is not a status (write 2xx, 200, 200-299, or a comma-separated list)`)
}
