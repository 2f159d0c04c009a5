import type { Dispatcher, Pool } from 'undici'
import type { EndpointStats, EndpointTable } from '../counters/endpoint-stats.js'
import { endpointKey } from '../counters/endpoint-stats.js'
import { overrideMethod, type RequestShape } from './method-override.js'
import type { PoolSet } from './transport-undici.js'
import type { FastTransport, WireRequest } from './transport-fast.js'
import { wireBytes } from './wire-request.js'

/** Everything needed to send one request template, built once (per URL line, or per redirect hop). */
export interface PreparedRequest {
  /** The method and URL as the list means them, before any rewrite: for -v and redirects. */
  method: string
  url: URL
  /** Present when the fast path sends it: plain http: and headers it writes as undici would. */
  wire?: WireRequest
  /** Otherwise undici's pool for the origin. */
  pool?: Pool
  options: Dispatcher.DispatchOptions & { headers: string[] }
  endpoint: EndpointStats
  /** What a 307/308 redirect repeats. */
  body?: Buffer
  contentType?: string
}

export interface RequestContext {
  pools: PoolSet
  /** Absent when the scenario asks for undici everywhere. */
  fast?: FastTransport
  endpoints: EndpointTable
  /** Headers every request carries, flat name/value pairs in order. */
  headers: string[]
  methodOverride?: { header: string }
}

export function prepareRequest (shape: RequestShape, context: RequestContext): PreparedRequest {
  const sent: ReturnType<typeof overrideMethod> = context.methodOverride ? overrideMethod(shape, context.methodOverride.header) : shape
  const headers = [...context.headers]
  if (shape.url.username) {
    const credentials = `${decodeURIComponent(shape.url.username)}:${decodeURIComponent(shape.url.password)}`
    headers.push('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`)
  }
  if (sent.overrideHeader) headers.push(...sent.overrideHeader)
  if (sent.body !== undefined) headers.push('content-type', sent.contentType ?? 'application/x-www-form-urlencoded')
  const options = {
    origin: shape.url.origin,
    path: sent.url.pathname + sent.url.search,
    method: sent.method as Dispatcher.HttpMethod,
    headers,
    body: sent.body
  }
  const bytes = context.fast && shape.url.protocol === 'http:'
    ? wireBytes({ method: options.method, path: options.path, host: shape.url.host, headers, body: sent.body })
    : undefined
  return {
    method: shape.method,
    url: shape.url,
    ...(bytes ? { wire: { origin: context.fast!.origin(shape.url), bytes } } : { pool: context.pools.get(shape.url.origin) }),
    options,
    endpoint: context.endpoints.get(endpointKey(shape.method, shape.url)),
    body: shape.body,
    contentType: shape.contentType
  }
}
