/**
 * What makes two requests "the same" to the stub: method, host (with port), path and query —
 * the query's parameters sorted, and the values of secret-named ones (token=, api_key=) left
 * out, so that a recording stored without its secrets still matches the app's real requests —
 * and, with --match-body, the SHA-256 of the body.
 */
import { createHash } from 'node:crypto'
import { isSecretName, REDACTED } from '../recorder/redact.js'

export function bodyHash (body: Buffer): string {
  return createHash('sha256').update(body).digest('hex')
}

/** The URL as stored: secret-named query values replaced by [redacted]. */
export function storedUrl (url: URL): string {
  const copy = new URL(url.href)
  copy.username = ''
  copy.password = ''
  for (const name of new Set(copy.searchParams.keys())) {
    if (isSecretName(name)) copy.searchParams.set(name, REDACTED)
  }
  return copy.href
}

export function matchKey (method: string, url: URL, body?: string): string {
  const query = [...new URL(storedUrl(url)).searchParams].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
  const q = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  return `${method.toUpperCase()} ${url.protocol}//${url.host.toLowerCase()}${url.pathname}${q ? '?' + q : ''}${body !== undefined ? ' #' + body : ''}`
}
