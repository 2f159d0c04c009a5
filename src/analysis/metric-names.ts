/** Names given to `--metrics` / `analysis.metrics` that samples.csv doesn't have, with what each is probably a typo of. */
import { suggest } from '../scenario/suggest.js'
import { LOAD_MEANINGS } from '../columns/index.js'
import { HEAP_OLD_METRIC, NATIVE_METRIC } from './metrics.js'
import type { MissingColumn } from './reasons.js'

/** The columns one may name: the header's, without `time`. */
export function nameableColumns (header: readonly string[]): string[] {
  return header.filter((c) => c !== 'time')
}

/**
 * Each name of `missing`, with the series closest to it: a column (or derived metric) of the
 * target's, never the load's (`rss` is one letter from `rps`, but meant `rss_bytes`); else the
 * first whose name begins with it.
 */
export function missingColumns (missing: readonly string[], header: readonly string[]): MissingColumn[] {
  const candidates = [...nameableColumns(header).filter((c) => !(c in LOAD_MEANINGS)), HEAP_OLD_METRIC, NATIVE_METRIC]
  return missing.map((name) => {
    const close = suggest(name, candidates) ?? candidates.find((c) => c.toLowerCase().startsWith(`${name.toLowerCase()}_`))
    return close ? { name, did_you_mean: close } : { name }
  })
}
