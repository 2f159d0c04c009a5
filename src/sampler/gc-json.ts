/**
 * A JSON GC report (Ruby GC.stat from the probe, Node's process.memoryUsage(), Go expvar's
 * /debug/vars) flattened to `<prefix>.<dotted.path>` → number. Every numeric field passes through
 * without a list of known keys, because runtimes add keys with each release.
 */

export interface FlattenOptions {
  /** Default `gc`. */
  prefix?: string
  /**
   * Arrays up to this length become `path.0`, `path.1`...; longer ones are skipped: they are
   * ring buffers or histograms (Go's PauseNs[256], BySize[61]), not time series. Default 8.
   */
  maxArrayLength?: number
  /** Nesting below this depth is ignored. Default 8. */
  maxDepth?: number
  /** At most this many fields; the rest are dropped (see `truncated`). Default 2000. */
  maxFields?: number
}

export interface Flattened {
  values: Map<string, number>
  /** True when maxFields cut the result short. */
  truncated: boolean
}

/** Numbers only: booleans, strings and null are skipped, as are NaN and infinities. */
export function flattenNumeric (value: unknown, opts: FlattenOptions = {}): Flattened {
  const maxArray = opts.maxArrayLength ?? 8
  const maxDepth = opts.maxDepth ?? 8
  const maxFields = opts.maxFields ?? 2000
  const values = new Map<string, number>()
  let truncated = false

  const walk = (v: unknown, path: string, depth: number): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return
      if (values.size >= maxFields) {
        truncated = true
        return
      }
      values.set(path, v)
      return
    }
    if (v === null || typeof v !== 'object' || depth >= maxDepth) return
    if (Array.isArray(v)) {
      if (v.length > maxArray) return
      v.forEach((item, i) => walk(item, `${path}.${i}`, depth + 1))
      return
    }
    for (const [key, item] of Object.entries(v)) walk(item, `${path}.${key}`, depth + 1)
  }

  walk(value, opts.prefix ?? 'gc', 0)
  return { values, truncated }
}
