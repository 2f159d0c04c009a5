/**
 * siege's url-escaping (on by default), which siege took from wget: within the
 * path, query and fragment of a GET line, characters unsafe in a URL are
 * percent-encoded and `%XX` escapes of harmless characters are decoded. Servers
 * see exactly these request targets from siege, so memsiege must produce the same bytes.
 */

const PERCENT = 0x25

// RFC 1738 reserved characters: never encoded, and `%XX` escapes of them stay escaped.
const RESERVED = new Set(Buffer.from(';/?:@=&#+[]'))
// RFC 1738 unsafe characters plus wget's additions; `~` among them, so `/~user` becomes `/%7Euser`.
const UNSAFE = new Set(Buffer.from(' "#%<>\\^`{|}~:@[]'))

function isUnsafe (byte: number): boolean {
  return byte < 0x20 || byte >= 0x7f || UNSAFE.has(byte)
}

function hexPairAt (bytes: Buffer, index: number): number | undefined {
  const pair = bytes.toString('latin1', index, index + 2)
  return /^[0-9A-Fa-f]{2}$/.test(pair) ? parseInt(pair, 16) : undefined
}

/** Escapes the part of a request target after the authority, as siege does for GET lines. */
export function escapeRequestTarget (target: string): string {
  const bytes = Buffer.from(target, 'utf8')
  let escaped = ''
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]
    const decoded = byte === PERCENT ? hexPairAt(bytes, i + 1) : undefined
    if (decoded !== undefined) {
      // Only the '%' is looked at here: an escape that stays is copied digit by digit.
      if (isUnsafe(decoded) || RESERVED.has(decoded)) {
        escaped += '%'
      } else {
        escaped += String.fromCharCode(decoded)
        i += 2
      }
    } else if (isUnsafe(byte) && !RESERVED.has(byte)) {
      escaped += '%' + byte.toString(16).toUpperCase().padStart(2, '0')
    } else {
      escaped += String.fromCharCode(byte)
    }
  }
  return escaped
}
