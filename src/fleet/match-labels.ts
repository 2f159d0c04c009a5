/**
 * Pairs each memory series with the series of another query (a request counter, a start time)
 * that belongs to the same instance: the one whose labels all appear, with the same values, in
 * the memory series' labels (`sum by (pod) (rate-free counter)` has fewer labels than the memory
 * series; a query with the very same labels matches too).
 */
import { PrometheusQueryError } from '../errors.js'
import { labelKey, type RangeSeries } from './prom-range.js'

/** One per memory series, in order; undefined where `optional` and none matches. Throws when one matches several, or none unless optional. */
export function matchByLabels (memory: readonly RangeSeries[], others: readonly RangeSeries[], flag: string, opts: { optional?: boolean } = {}): Array<RangeSeries | undefined> {
  return memory.map((m) => {
    const matches = others.filter((o) => Object.entries(o.labels).every(([k, v]) => m.labels[k] === v))
    if (matches.length === 1) return matches[0]
    if (matches.length > 1) throw new PrometheusQueryError(`${flag}: ${matches.length} series match the memory series ${labelKey(m.labels)}; aggregate it by the instance's labels, e.g. sum by (${Object.keys(m.labels).sort().join(', ')}) (...)`)
    if (opts.optional) return undefined
    const example = others[0] ? ` (its series have labels like ${labelKey(others[0].labels)})` : ''
    throw new PrometheusQueryError(`${flag}: no series with the labels of the memory series ${labelKey(m.labels)}${example}`)
  })
}
