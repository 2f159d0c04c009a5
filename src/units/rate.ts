/**
 * A fixed request rate (`rate:`, `-R`): `500`, `500/s`, `30k/s`, `1200/m`, `36000/h`. Returned
 * as requests per second; throws an Error saying what is wrong.
 */
const PER: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600 }

/** More than this per second is a typo: no single machine sends it. */
export const MAX_RATE = 10_000_000

export function parseRate (text: string | number): number {
  const m = typeof text === 'number' ? [String(text), String(text), '', 's'] : /^\s*(\d+(?:\.\d+)?)\s*(k?)\s*(?:\/\s*(s|m|min|h))?\s*$/i.exec(text)
  if (!m) throw new Error(`bad rate "${text}": expected requests per second, such as 500, 500/s, 30k/s or 1200/m`)
  const perSecond = Number(m[1]) * (m[2] ? 1000 : 1) / PER[(m[3] ?? 's').toLowerCase()]
  if (!(perSecond > 0)) throw new Error(`bad rate "${text}": must be more than 0`)
  if (perSecond > MAX_RATE) throw new Error(`bad rate "${text}": more than ${MAX_RATE} requests per second`)
  return perSecond
}
