import type { RequestShape } from './method-override.js'
import type { PreparedRequest } from './prepared-request.js'

/** Hops followed for one list entry before giving up, so that a redirect loop can't hold a user forever. */
export const MAX_REDIRECTS = 10

/**
 * The next hop of a redirect, as siege follows it (siege-spec §2.4): each hop is a transaction
 * of its own; 301/302/303 become a GET without body, 307/308 repeat method and body.
 */
export function followRedirect (request: PreparedRequest, status: number, location: string): RequestShape | undefined {
  if (status !== 301 && status !== 302 && status !== 303 && status !== 307 && status !== 308) return undefined
  let url: URL
  try {
    url = new URL(location, request.url)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  if (status === 307 || status === 308) {
    return { method: request.method, url, body: request.body, contentType: request.contentType }
  }
  return { method: 'GET', url }
}
