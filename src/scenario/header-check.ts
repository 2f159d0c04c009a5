/**
 * What the HTTP client (undici) refuses to send, checked before the run: a header it rejects
 * fails every request of the run, so the run would measure nothing. The same rules for the
 * scenario's headers, siege's -H/-A/-T and a URL line's `-T`.
 */

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// undici's rule (RFC 9110 field-value): TAB, visible ASCII and the Latin-1 range; the rest
// cannot be written as one byte each.
const NOT_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/u

/** Headers the client manages itself and refuses from the caller. */
const MANAGED = new Set(['content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect'])

export function headerNameProblem (name: string): string | undefined {
  if (!TOKEN.test(name)) return `${JSON.stringify(name)} is not a valid header name (letters, digits and !#$%&'*+.^_\`|~- only)`
  if (MANAGED.has(name.toLowerCase())) return `memsiege cannot send a ${name} header of its own: the HTTP client sets it`
  return undefined
}

export function headerValueProblem (value: string): string | undefined {
  const bad = NOT_HEADER_CHAR.exec(value)?.[0]
  if (bad === undefined) return undefined
  if (bad === '\r' || bad === '\n') return 'must not contain a line break'
  const code = `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
  return bad.codePointAt(0)! < 0x20 || bad === '\x7f'
    ? `contains the control character ${code}`
    : `contains ${JSON.stringify(bad)} (${code}), which a header cannot carry: only ASCII and Latin-1 characters (percent-encode the rest)`
}

/** A whole header, including the one value rule the client adds for a name (Connection). */
export function headerProblem (name: string, value: string): string | undefined {
  const problem = headerNameProblem(name) ?? headerValueProblem(value)
  if (problem !== undefined) return problem
  if (name.toLowerCase() === 'connection' && !value.split(',').every((option) => TOKEN.test(option.trim()))) {
    return `Connection: ${JSON.stringify(value)} is not a list of header names or options such as close`
  }
  return undefined
}

const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*(;.*)?$/s

/** A Content-Type value: `type/subtype` with optional parameters. */
export function mediaTypeProblem (value: string): string | undefined {
  if (!MEDIA_TYPE.test(value)) return `${JSON.stringify(value)} is not a media type such as application/json`
  return headerValueProblem(value)
}

/** The client sends one Host header at most; a second one fails every request. */
export function repeatedHost (names: readonly string[]): string | undefined {
  const hosts = names.filter((name) => name.toLowerCase() === 'host')
  return hosts.length > 1 ? `the Host header is given ${hosts.length} times; a request carries one` : undefined
}
