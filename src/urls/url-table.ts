/** Counting distinct requests, the most frequent first, and repeating them in proportion. */

export interface Counted<T> {
  key: string
  value: T
  count: number
}

/** Distinct requests by key, with their counts, in first-seen order. */
export class UrlTable<T> {
  readonly #rows = new Map<string, Counted<T>>()
  /** Every request added, duplicates included. */
  total = 0

  /** Counts `key`; `value` is kept the first time the key is seen. */
  add (key: string, value: T): void {
    this.total++
    const row = this.#rows.get(key)
    if (row === undefined) this.#rows.set(key, { key, value, count: 1 })
    else row.count++
  }

  get distinct (): number {
    return this.#rows.size
  }

  /** The most frequent first; equal counts in first-seen order. At most `top` rows. */
  ranked (top?: number): Array<Counted<T>> {
    const rows = [...this.#rows.values()].sort((a, b) => b.count - a.count)
    return top === undefined ? rows : rows.slice(0, top)
  }
}

function gcd (a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/** The most copies of a line a weighted list writes unless told otherwise. */
export const DEFAULT_MAX_REPEAT = 100

/**
 * How many times to write each row so that the list's mix matches the counts:
 * the counts divided by their greatest common divisor when the largest then fits
 * in `maxRepeat`, else scaled so that the largest is written `maxRepeat` times.
 * Every row is written at least once, so rare requests are over-represented when scaled.
 */
export function weightedRepeats (counts: readonly number[], maxRepeat: number): number[] {
  if (counts.length === 0) return []
  const divisor = counts.reduce(gcd)
  const largest = Math.max(...counts)
  const scale = Math.min(1 / divisor, maxRepeat / largest)
  return counts.map((count) => Math.max(1, Math.round(count * scale)))
}

/**
 * Each value `repeats[i]` times, spread evenly through the list rather than in
 * runs, so that any stretch of it (a user's share under siege's sequential order)
 * has about the same mix: copy k of row i sits at (k + ½) / repeats[i].
 */
export function interleave<T> (values: readonly T[], repeats: readonly number[]): T[] {
  const total = repeats.reduce((sum, r) => sum + r, 0)
  const positions = new Float64Array(total)
  const rows = new Uint32Array(total)
  let n = 0
  for (let i = 0; i < values.length; i++) {
    for (let k = 0; k < repeats[i]; k++) {
      positions[n] = (k + 0.5) / repeats[i]
      rows[n] = i
      n++
    }
  }
  const order = Array.from({ length: total }, (_, j) => j)
  order.sort((a, b) => positions[a] - positions[b] || rows[a] - rows[b])
  return order.map((j) => values[rows[j]])
}

export interface CountsRow {
  count: number
  method: string
  url: string
}

/**
 * `uniq -c | sort -nr` with a share and the method:
 *
 *     count    share  method  url
 *      4521   45.21%  GET     /api/Ping
 */
export function countsTable (rows: readonly CountsRow[], total: number, distinct: number): string {
  const countWidth = Math.max(5, String(total).length)
  const methodWidth = Math.max(6, ...rows.map((r) => r.method.length))
  const share = (count: number) => (total === 0 ? 0 : (100 * count) / total).toFixed(2).padStart(6) + '%'
  const lines = [`${'count'.padStart(countWidth)}  ${'share'.padStart(7)}  ${'method'.padEnd(methodWidth)}  url`]
  for (const row of rows) {
    lines.push(`${String(row.count).padStart(countWidth)}  ${share(row.count)}  ${row.method.padEnd(methodWidth)}  ${row.url}`)
  }
  const shown = rows.reduce((sum, r) => sum + r.count, 0)
  const tail = rows.length < distinct ? `, ${rows.length} shown (${share(shown).trim()})` : ''
  lines.push(`${String(total).padStart(countWidth)}  ${share(total)}  ${''.padEnd(methodWidth)}  total: ${distinct} distinct${tail}`)
  return lines.join('\n') + '\n'
}
