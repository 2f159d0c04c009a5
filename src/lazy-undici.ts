import { createRequire } from 'node:module'
import type * as Undici from 'undici'

let loaded: typeof Undici | undefined

/**
 * undici, loaded when first asked for: loading it costs about a third of a second of CPU at
 * start-up, which a plain-http run on the fast transport without a GC probe or readiness check
 * never needs (and which counted in the generator's CPU per request).
 */
export function undici (): typeof Undici {
  loaded ??= createRequire(import.meta.url)('undici') as typeof Undici
  return loaded
}
