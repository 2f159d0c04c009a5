/**
 * siege reads URL files with fgets() into a buffer of this many bytes. A longer
 * line is dropped (the last line of the file is truncated instead); memsiege
 * keeps it whole and warns.
 */
export const SIEGE_LINE_BUFFER = 40_000

export interface SourceLine {
  /** 1-based, counting every line of the text, so messages match the editor. */
  number: number
  /** Trimmed, comments removed, never empty. */
  text: string
  longerThanSiegeBuffer: boolean
  hasNul: boolean
}

// C isspace() in the C locale: siege trims these and nothing else (no NBSP, no BOM).
const EDGE_WHITESPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g

export function trimSpace (text: string): string {
  return text.replace(EDGE_WHITESPACE, '')
}

/** The lines of a URL list that carry a variable or a URL, in file order. */
export function readLines (text: string): SourceLine[] {
  // A UTF-8 BOM would otherwise become part of the first host name.
  const rawLines = text.replace(/^\uFEFF/, '').split('\n')
  const lines: SourceLine[] = []
  for (const [index, raw] of rawLines.entries()) {
    const content = stripComment(trimSpace(raw))
    if (content === '') continue
    lines.push({
      number: index + 1,
      text: content,
      hasNul: content.includes('\0'),
      // fgets() keeps room for the terminating NUL and needs to see the newline.
      longerThanSiegeBuffer: Buffer.byteLength(raw) >= SIEGE_LINE_BUFFER - 1
    })
  }
  return lines
}

/**
 * siege's rule, kept as is because users' files depend on it: a line starting
 * with `#` is a comment; a trailing `# ...` is removed only when the line has a
 * space and no `/`, which in practice means variable lines (`PORT=443  # tls`).
 * On URL lines `#` starts a fragment (GET) or is part of the body (POST).
 */
function stripComment (line: string): string {
  if (line.startsWith('#')) return ''
  if (line.includes('/') || !line.includes(' ')) return line
  const hash = line.indexOf('#')
  return hash === -1 ? line : trimSpace(line.slice(0, hash))
}
