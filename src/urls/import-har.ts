/** `memsiege urls from-har`: a HAR file's requests, filtered, X-Method POSTs unwrapped. */
import { compileFilter, type FilterOptions, type FilterReason } from './filters.js'
import { METHOD_HEADERS, parseHar, unwrapMethodOverride, type HarRequest } from './har.js'
import { readWholeInput, STDIN_NAME } from './log-reader.js'

export interface HarImportOptions extends FilterOptions {
  file: string
  /** Headers whose values are reported (as -H flags for the scenario). */
  keepHeaders?: string[]
  /** Undo the X-Method wrapping (default true). */
  unwrap?: boolean
  /** The headers that carry the real method; default METHOD_HEADERS. */
  methodHeaders?: string[]
}

export interface KeptHeader {
  /** As first seen. */
  name: string
  /** Value → how many kept requests had it, in first-seen order. */
  values: Map<string, number>
  /** Kept requests without it. */
  missing: number
}

export interface HarImport {
  name: string
  entries: number
  /** The kept requests, in the HAR's order. */
  requests: HarRequest[]
  invalid: Array<{ index: number; reason: string }>
  filtered: Record<FilterReason, number>
  unwrapped: number
  /** Kept requests by origin (scheme://host:port). */
  origins: Map<string, number>
  headers: KeptHeader[]
}

export async function importHar (options: HarImportOptions, stdin: NodeJS.ReadableStream): Promise<HarImport> {
  const filter = compileFilter(options)
  const name = options.file === STDIN_NAME ? '<stdin>' : options.file
  const text = await readWholeInput(options.file, stdin)
  const content = parseHar(text, name)
  const methodHeaders = options.methodHeaders !== undefined && options.methodHeaders.length > 0 ? options.methodHeaders : METHOD_HEADERS
  const result: HarImport = {
    name,
    entries: content.requests.length + content.invalid.length,
    requests: [],
    invalid: content.invalid,
    filtered: { method: 0, status: 0, time: 0, url: 0 },
    unwrapped: 0,
    origins: new Map(),
    headers: (options.keepHeaders ?? []).map((h) => ({ name: h, values: new Map(), missing: 0 }))
  }
  for (const recorded of content.requests) {
    const unwrapped = options.unwrap === false ? undefined : unwrapMethodOverride(recorded, methodHeaders)
    const request = unwrapped ?? recorded
    // The filters see the real method, and the URL as recorded.
    const reason = filter.reject(request.method, recorded.url, request.status, request.time)
    if (reason !== undefined) {
      result.filtered[reason]++
      continue
    }
    if (unwrapped !== undefined) result.unwrapped++
    result.requests.push(request)
    const origin = originOf(request.url)
    result.origins.set(origin, (result.origins.get(origin) ?? 0) + 1)
    for (const kept of result.headers) {
      const lower = kept.name.toLowerCase()
      const found = request.headers.find(([n]) => n.toLowerCase() === lower)
      if (found === undefined) {
        kept.missing++
      } else {
        if (kept.values.size === 0) kept.name = found[0]
        kept.values.set(found[1], (kept.values.get(found[1]) ?? 0) + 1)
      }
    }
  }
  return result
}

export function originOf (url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0].toLowerCase() ?? ''
}

/** The path and query of an absolute URL, as sent on the request line; `/` when it has none. */
export function pathAndQuery (url: string): string {
  const rest = url.slice(originOf(url).length).replace(/#.*$/s, '')
  return rest === '' ? '/' : rest.startsWith('?') ? '/' + rest : rest
}
