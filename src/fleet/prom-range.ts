/**
 * Reads a PromQL query over a time range through Prometheus's HTTP API (`/api/v1/query_range`),
 * one series per label set, each as one value per step on a grid shared by every query of a fleet
 * analysis (NaN where Prometheus has no value: a gap, or the series did not exist yet).
 *
 * Prometheus answers at most 11,000 points per series per query, and a query over many series
 * makes one large JSON body: the range is read in chunks of at most CHUNK_POINTS points over all
 * series (sized on the series count of the first, small chunk), each parsed and dropped before
 * the next is asked for, so memsiege's memory holds the grid and one chunk.
 */
import { undici } from '../lazy-undici.js'
import { PrometheusQueryError, PrometheusUnreachableError } from '../errors.js'

/** The time steps every series is read on: start + k × step, k < steps (seconds since the epoch). */
export interface Grid {
  start: number
  step: number
  steps: number
}

export interface RangeSeries {
  /** Its labels, `__name__` left out (the memory and counter queries name different metrics). */
  labels: Record<string, string>
  /** One value per grid step, NaN where there is none. */
  values: Float64Array
}

/** Prometheus's own limit is 11,000 points per series and query. */
const MAX_STEPS_PER_QUERY = 10_000
/** Points over all series in one answer (about 30 bytes of JSON each): larger answers only raise memsiege's peak RSS. */
const CHUNK_POINTS = 50_000
/** The first chunk, which tells how many series the query has. */
const FIRST_CHUNK_STEPS = 120
const TIMEOUT_MS = 120_000

/** `query` over `grid` from the Prometheus at `base` (http://host:9090). `flag` names the query in errors (--memory). */
export async function queryRange (base: string, flag: string, query: string, grid: Grid): Promise<RangeSeries[]> {
  const byKey = new Map<string, RangeSeries>()
  let from = 0
  let chunk = Math.min(FIRST_CHUNK_STEPS, grid.steps)
  while (from < grid.steps) {
    const to = Math.min(grid.steps, from + chunk)
    const result = await fetchChunk(base, flag, query, grid.start + from * grid.step, grid.start + (to - 1) * grid.step, grid.step)
    for (const s of result) {
      const labels = { ...s.metric }
      delete labels.__name__
      const key = labelKey(labels)
      let series = byKey.get(key)
      if (!series) {
        series = { labels, values: new Float64Array(grid.steps).fill(NaN) }
        byKey.set(key, series)
      }
      for (const [t, v] of s.values) {
        const k = Math.round((t - grid.start) / grid.step)
        if (k >= 0 && k < grid.steps) series.values[k] = Number(v)
      }
    }
    from = to
    chunk = Math.max(1, Math.min(MAX_STEPS_PER_QUERY, Math.floor(CHUNK_POINTS / Math.max(1, byKey.size))))
  }
  return [...byKey.values()]
}

/** A label set as one string, names sorted: `{instance="a",job="b"}`. */
export function labelKey (labels: Record<string, string>): string {
  return '{' + Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',') + '}'
}

interface MatrixEntry {
  metric: Record<string, string>
  values: Array<[number, string]>
}

async function fetchChunk (base: string, flag: string, query: string, start: number, end: number, step: number): Promise<MatrixEntry[]> {
  const url = new URL('api/v1/query_range', base.endsWith('/') ? base : base + '/')
  const form = new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) })
  let status: number
  let text: string
  try {
    const res = await undici().request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS
    })
    status = res.statusCode
    text = await res.body.text()
  } catch (err) {
    throw new PrometheusUnreachableError(`--prom ${base}: Prometheus can't be reached (${(err as Error).message})`)
  }
  let body: { status?: string, error?: string, errorType?: string, data?: { resultType?: string, result?: unknown } }
  try {
    body = JSON.parse(text)
  } catch {
    throw new PrometheusUnreachableError(`--prom ${base}: answered HTTP ${status} with no Prometheus API JSON (is this Prometheus's address?)`)
  }
  if (body.status === 'error') throw new PrometheusQueryError(`${flag} ${JSON.stringify(query)}: Prometheus says: ${body.error ?? body.errorType ?? 'error'}`)
  if (body.status !== 'success' || !body.data) throw new PrometheusUnreachableError(`--prom ${base}: answered HTTP ${status} with no Prometheus API JSON (is this Prometheus's address?)`)
  if (body.data.resultType !== 'matrix') throw new PrometheusQueryError(`${flag} ${JSON.stringify(query)}: gives a ${body.data.resultType ?? 'non-range'} result; expected an instant vector (one series per instance)`)
  return body.data.result as MatrixEntry[]
}
