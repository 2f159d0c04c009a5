/** Names given to `--metrics` / `analysis.metrics` that samples.csv doesn't have, with what each is probably a typo of. */
import { suggest } from '../scenario/suggest.js'
import { HEAP_OLD_METRIC, NATIVE_METRIC } from './metrics.js'
import type { MissingColumn } from './reasons.js'

/** The columns one may name: the header's, without `time`. */
export function nameableColumns (header: readonly string[]): string[] {
  return header.filter((c) => c !== 'time')
}

/** Each name of `missing`, with the column (or derived metric) closest to it. */
export function missingColumns (missing: readonly string[], header: readonly string[]): MissingColumn[] {
  const candidates = [...nameableColumns(header), HEAP_OLD_METRIC, NATIVE_METRIC]
  return missing.map((name) => {
    const close = suggest(name, candidates)
    return close ? { name, did_you_mean: close } : { name }
  })
}
