/**
 * The shape of a summary.json as `report`, `compare` and `analyze` read it back: a file cut short,
 * hand-edited or from another tool must be refused with one line naming the field that is wrong,
 * never crash the reader on a missing field.
 */

type Shape =
  | 'number' | 'string' | 'boolean' | 'object'
  | { list: Shape }
  | { fields: Record<string, Shape>; optional?: Record<string, Shape> }

const num = 'number'
const str = 'string'
const list = (of: Shape): Shape => ({ list: of })
const fields = (required: Record<string, Shape>, optional: Record<string, Shape> = {}): Shape => ({ fields: required, optional })

const LATENCY = fields({ p50_ms: num, p90_ms: num, p99_ms: num, p999_ms: num, min_ms: num, max_ms: num })
const ESTIMATE = fields({ value: num, low: num, high: num })
const SEGMENT = fields(
  { rows: list(num), requests: list(num), elapsed_s: list(num), verdict: str, reason: str, warmup: fields({ elapsed_s: num, requests: num }), windows: num, floor: list(list(num)) },
  { per_request: ESTIMATE, per_hour: ESTIMATE, growth: ESTIMATE, p_value: num, more_requests: num, fit: fields({ intercept: num, slope_per_request: num }) }
)
const METRIC = fields(
  { metric: str, unit: str, verdict: str, segments: list(SEGMENT) },
  { per_request: ESTIMATE, per_hour: ESTIMATE, p_value: num, more_requests: num, derived_from: list(str) }
)
const VERDICT = fields({ verdict: str, summary: str, attribution: str, metrics: list(METRIC), breaches: list(str) }, { hint: str, settings: 'object', deciding: list(str), notes: list(str) })

/** What every summary.json memsiege writes has; `optional` are those older or partial ones may lack. */
const SUMMARY = fields(
  {
    schemaVersion: num,
    name: str,
    started_at: str,
    elapsed_s: num,
    transactions: num,
    successful_transactions: num,
    failed_transactions: num,
    availability_percent: num,
    data_transferred_bytes: num,
    response_time_ms: num,
    transaction_rate_per_s: num,
    throughput_bytes_per_s: num,
    concurrency: num,
    longest_ms: num,
    shortest_ms: num,
    latency: LATENCY
  },
  {
    ended_at: str,
    interrupted: 'boolean',
    results_dir: str,
    versions: 'object',
    config: fields({}, { concurrency: num, target: 'object', stop: fields({ kind: str }), urls: 'object', sample: fields({}, { interval: num }), analysis: 'object' }),
    status_codes: 'object',
    errors: 'object',
    endpoints: list(fields({ endpoint: str, transactions: num, failed: num, latency: LATENCY })),
    events: list(fields({ time: str, type: str }, { pid: num, detail: str })),
    verdict: VERDICT
  }
)

/** What is wrong with `value` as a summary.json ("no field transactions", "latency.p50_ms: a string, not a number"), or undefined. */
export function summaryProblem (value: unknown): string | undefined {
  return problem(value, SUMMARY, '')
}

function problem (value: unknown, shape: Shape, at: string): string | undefined {
  const where = at ? `${at}: ` : ''
  if (typeof shape === 'string') {
    // eslint-disable-next-line valid-typeof -- shape is one of typeof's own answers
    if (shape === 'object' ? isObject(value) : typeof value === shape) return undefined
    return `${where}${describe(value)}, not ${shape === 'object' ? 'an object' : `a ${shape}`}`
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return `${where}${describe(value)}, not a list`
    for (let i = 0; i < value.length; i++) {
      const p = problem(value[i], shape.list, `${at}[${i}]`)
      if (p) return p
    }
    return undefined
  }
  if (!isObject(value)) return `${where}${describe(value)}, not an object`
  for (const [key, sub] of Object.entries(shape.fields)) {
    if (!(key in value)) return `no field ${at ? `${at}.` : ''}${key}`
    const p = problem(value[key], sub, at ? `${at}.${key}` : key)
    if (p) return p
  }
  for (const [key, sub] of Object.entries(shape.optional ?? {})) {
    if (value[key] === undefined) continue
    const p = problem(value[key], sub, at ? `${at}.${key}` : key)
    if (p) return p
  }
  return undefined
}

function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}
