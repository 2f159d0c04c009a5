import { isUtf8 } from 'node:buffer'

/** The first byte of `bytes` that breaks UTF-8 (as two hex digits) and its 1-based line; undefined when all is UTF-8. */
export function nonUtf8Byte (bytes: Buffer): { byte: string; line: number } | undefined {
  if (isUtf8(bytes)) return undefined
  let line = 1
  let start = 0
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue
    const lineBytes = bytes.subarray(start, i)
    if (!isUtf8(lineBytes)) {
      // The line's text decodes the bad byte to U+FFFD; its offset in bytes is where decoding first failed.
      const ok = Buffer.from(lineBytes.toString('utf8').split('\uFFFD')[0], 'utf8').length
      return { byte: lineBytes[ok].toString(16).toUpperCase().padStart(2, '0'), line }
    }
    line++
    start = i + 1
  }
  return undefined
}
