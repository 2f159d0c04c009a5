/** Names given to `--metrics` / `analysis.metrics` that samples.csv doesn't have, said so that a typo is plain. */
import { suggest } from '../scenario/suggest.js'
import { HEAP_OLD_METRIC, NATIVE_METRIC } from './metrics.js'

/** Columns listed by name in a message; the rest are counted. */
const LISTED = 12

/** "no_such_col (did you mean rss_bytes?)" for each name of `missing`. */
export function missingMetricsText (missing: readonly string[], header: readonly string[]): string {
  const candidates = [...header.filter((c) => c !== 'time'), HEAP_OLD_METRIC, NATIVE_METRIC]
  return missing.map((name) => {
    const close = suggest(name, candidates)
    return close ? `${name} (did you mean ${close}?)` : name
  }).join(', ')
}

/** "rss_bytes, threads, … (40 in all)": the columns one may name. */
export function columnsText (header: readonly string[]): string {
  const columns = header.filter((c) => c !== 'time')
  const shown = columns.slice(0, LISTED).join(', ')
  return columns.length > LISTED ? `${shown}, … (${columns.length} in all, see the first line of samples.csv)` : shown
}
