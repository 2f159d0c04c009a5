/**
 * Amounts of memory as people write them: `1.5GB`, `800MB`, `512KiB`, or a bare number of bytes.
 * K, M and G are 1024s, as memory is counted (and as RSS figures are shown).
 */
export const BYTE_UNITS: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1024,
  kib: 1024,
  k: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  g: 1024 ** 3,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
  t: 1024 ** 4,
}

/** Bytes in `text`; throws a plain Error saying what is wrong (the caller adds where). */
export function parseSize (text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text <= 0) throw new Error(`bad size ${text}: expected a positive number of bytes`)
    return Math.round(text)
  }
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text)
  if (!m) throw new Error(`bad size ${JSON.stringify(text)}: expected an amount such as 1.5GB or 800MB`)
  const factor = BYTE_UNITS[m[2].toLowerCase()]
  if (factor === undefined) throw new Error(`bad size ${JSON.stringify(text)}: unknown unit "${m[2]}" (use B, KB, MB, GB or TB)`)
  const bytes = Math.round(Number(m[1]) * factor)
  if (bytes <= 0) throw new Error(`bad size ${JSON.stringify(text)}: must be more than 0`)
  return bytes
}
