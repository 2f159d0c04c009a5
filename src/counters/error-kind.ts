/** How a request failed without a response, in the words the summary uses. */
export type ErrorKind = 'refused' | 'reset' | 'timeout' | 'dns' | 'tls' | 'other'

const byCode: Record<string, ErrorKind> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns'
}

export function errorKind (err: unknown): ErrorKind {
  const code = (err as { code?: string } | null)?.code
  if (code && byCode[code]) return byCode[code]
  if (code && (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL'))) return 'tls'
  const cause = (err as { cause?: unknown } | null)?.cause
  return cause ? errorKind(cause) : 'other'
}
