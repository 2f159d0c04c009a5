import { PrometheusParseError } from '../errors.js'
/**
 * Prometheus text exposition format 0.0.4 and its OpenMetrics superset, parsed only as far as a
 * sampler needs: sample lines with their family's TYPE. HELP, other comments, `# EOF` and
 * timestamps are read past.
 */

export type PrometheusType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'unknown' | 'info' | 'stateset' | 'gaugehistogram'

export interface PrometheusSample {
  name: string
  /** In the order written. */
  labels: Array<[string, string]>
  /** May be NaN or ±Infinity. */
  value: number
}

export interface PrometheusText {
  samples: PrometheusSample[]
  /** Family name → TYPE, from `# TYPE` lines. */
  types: Map<string, PrometheusType>
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/

/** Throws PrometheusParseError on the first malformed line: a garbage body is an error, not zero samples. */
export function parsePrometheusText (text: string): PrometheusText {
  const samples: PrometheusSample[] = []
  const types = new Map<string, PrometheusType>()
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '').trim()
    if (line === '') continue
    if (line.startsWith('#')) {
      const m = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line)
      if (m) types.set(m[1]!, m[2]!.toLowerCase() as PrometheusType)
      continue
    }
    samples.push(parseSampleLine(line, i + 1))
  }
  return { samples, types }
}

function parseSampleLine (line: string, lineNo: number): PrometheusSample {
  const nameMatch = NAME.exec(line)
  if (!nameMatch) throw new PrometheusParseError(`expected a metric name: ${clip(line)}`, lineNo)
  const name = nameMatch[0]
  let rest = line.slice(name.length)
  const labels: Array<[string, string]> = []
  if (rest.startsWith('{')) {
    rest = rest.slice(1).trimStart()
    while (!rest.startsWith('}')) {
      const ln = LABEL_NAME.exec(rest)
      if (!ln) throw new PrometheusParseError(`bad label in ${clip(line)}`, lineNo)
      rest = rest.slice(ln[0].length).trimStart()
      if (!rest.startsWith('="') && !rest.startsWith('= "')) throw new PrometheusParseError(`expected ="value" in ${clip(line)}`, lineNo)
      rest = rest.slice(rest.indexOf('"') + 1)
      let value = ''
      let j = 0
      for (; j < rest.length && rest[j] !== '"'; j++) {
        if (rest[j] === '\\') {
          const next = rest[++j]
          value += next === 'n' ? '\n' : next === undefined ? '' : next
        } else {
          value += rest[j]
        }
      }
      if (j >= rest.length) throw new PrometheusParseError(`unterminated label value in ${clip(line)}`, lineNo)
      labels.push([ln[0], value])
      rest = rest.slice(j + 1).trimStart()
      if (rest.startsWith(',')) rest = rest.slice(1).trimStart()
      else if (!rest.startsWith('}')) throw new PrometheusParseError(`expected , or } in ${clip(line)}`, lineNo)
    }
    rest = rest.slice(1)
  }
  // value [timestamp] [# exemplar]
  const fields = rest.trim().split(/\s+/)
  if (!/^\s/.test(rest) || fields[0] === '') throw new PrometheusParseError(`expected a value: ${clip(line)}`, lineNo)
  const value = parseValue(fields[0]!)
  if (value === undefined) throw new PrometheusParseError(`bad value ${JSON.stringify(fields[0])}`, lineNo)
  return { name, labels, value }
}

function parseValue (text: string): number | undefined {
  switch (text.toLowerCase()) {
    case 'nan': return NaN
    case '+inf': case 'inf': return Infinity
    case '-inf': return -Infinity
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined
  return Number(text)
}

function clip (line: string): string {
  return JSON.stringify(line.length > 80 ? line.slice(0, 77) + '...' : line)
}

/** Sample-name suffixes that belong to a family (OpenMetrics counters end in _total). */
const SUFFIXES = ['_total', '_created', '_bucket', '_sum', '_count', '_gcount', '_gsum', '_info']

/** The TYPE of the family `name` belongs to; untyped when no TYPE line covers it. */
export function familyOf (name: string, types: Map<string, PrometheusType>): { family: string; type: PrometheusType } {
  const exact = types.get(name)
  if (exact) return { family: name, type: exact }
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue
    const family = name.slice(0, -suffix.length)
    const type = types.get(family)
    if (type) return { family, type }
  }
  return { family: name, type: 'untyped' }
}

const KEPT_BY_DEFAULT = new Set<PrometheusType>(['counter', 'gauge', 'untyped', 'unknown'])

/**
 * Column key → value for the series a sampler keeps: `<prefix>.<name>{labels}`, labels sorted by
 * name so the key doesn't depend on the exporter's order. Without `metrics`: every gauge,
 * counter and untyped series (histograms and summaries are left out, and so are OpenMetrics
 * `_created` timestamps). With `metrics`: the samples whose name, or family name, is listed,
 * whatever their type (so `foo_seconds_sum` of a histogram can be asked for).
 */
export function selectSeries (parsed: PrometheusText, metrics?: readonly string[], prefix = 'gc'): Map<string, number> {
  const wanted = metrics ? new Set(metrics) : undefined
  const out = new Map<string, number>()
  for (const s of parsed.samples) {
    const { family, type } = familyOf(s.name, parsed.types)
    if (wanted) {
      if (!wanted.has(s.name) && !wanted.has(family)) continue
    } else if (!KEPT_BY_DEFAULT.has(type) || (type === 'counter' && s.name.endsWith('_created'))) {
      continue
    }
    out.set(`${prefix}.${seriesKey(s.name, s.labels)}`, s.value)
  }
  return out
}

/** `name{a="x",b="y"}` with labels sorted and values escaped as in the text format. */
export function seriesKey (name: string, labels: ReadonlyArray<readonly [string, string]>): string {
  if (labels.length === 0) return name
  const sorted = [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  const inner = sorted.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
  return `${name}{${inner.join(',')}}`
}
