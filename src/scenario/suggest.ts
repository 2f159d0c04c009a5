/** "Did you mean …?" for misspelt keys and values. */

/**
 * The candidate closest to `word`, or undefined when none is close enough to be a likely typo.
 * Case, `-` and `_` are ignored (`ready_timeout` and `ReadyTimeout` both suggest `readyTimeout`);
 * a swap of two neighbouring letters counts as one edit.
 */
export function suggest (word: string, candidates: Iterable<string>): string | undefined {
  const w = normalize(word)
  if (w === '') return undefined
  const limit = w.length <= 4 ? 1 : w.length <= 7 ? 2 : 3
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const d = editDistance(w, normalize(candidate))
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= limit ? best : undefined
}

/** Whether two keys differ only in case, `-` and `_`. */
export function sameKey (a: string, b: string): boolean {
  return normalize(a) === normalize(b)
}

function normalize (s: string): string {
  return s.toLowerCase().replace(/[-_\s]/g, '')
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance (a: string, b: string): number {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let prev2: number[] = []
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1)
      row.push(d)
    }
    prev2 = prev
    prev = row
  }
  return prev[b.length]
}
