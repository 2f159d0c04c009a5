import { createLatencyHistogram, type LatencyHistogram } from './latency-histogram.js'

/** Figures for one endpoint (method + path, query left out). */
export class EndpointStats {
  readonly key: string
  transactions = 0
  successful = 0
  failed = 0
  bytes = 0
  readonly latency: LatencyHistogram = createLatencyHistogram()

  constructor (key: string) {
    this.key = key
  }
}

/** Beyond this many endpoints, the rest share one row, so that redirect targets with ids in them can't grow memory. */
export const MAX_ENDPOINTS = 1000
export const OTHER_ENDPOINT = '(other)'

export class EndpointTable {
  readonly #byKey = new Map<string, EndpointStats>()

  get (key: string): EndpointStats {
    let stats = this.#byKey.get(key)
    if (stats) return stats
    if (this.#byKey.size >= MAX_ENDPOINTS) key = OTHER_ENDPOINT
    stats = this.#byKey.get(key)
    if (!stats) {
      stats = new EndpointStats(key)
      this.#byKey.set(key, stats)
    }
    return stats
  }

  all (): EndpointStats[] {
    return [...this.#byKey.values()]
  }
}

export function endpointKey (method: string, url: URL | string): string {
  const u = typeof url === 'string' ? new URL(url) : url
  return `${method} ${u.pathname}`
}
