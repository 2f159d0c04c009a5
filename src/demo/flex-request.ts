/**
 * A request as a Silverlight client sends it, decoded the way its server must: the browser stack
 * only GETs and POSTs, so PUT, DELETE (and GETs, once a proxy strips query strings) arrive as POST
 * with the real verb in X-Method and the query's parameters in a form-encoded body.
 */
import type { IncomingMessage } from 'node:http'

const OVERRIDE_HEADERS = ['x-method', 'x-http-method-override']
const FORM = 'application/x-www-form-urlencoded'

export interface FlexRequest {
  /** The verb the client meant: X-Method's on a POST that has one, else the request line's. */
  verb: string
  path: string
  /** The query string's parameters. */
  query: URLSearchParams
  /** The form body's parameters: absent unless the body is form-encoded. */
  form?: URLSearchParams
  /** A JSON body, parsed; absent when there is none. */
  json?: unknown
  cookie?: string
}

/** Reads the whole body and decodes the request; rejects on a JSON body that doesn't parse. */
export async function readFlexRequest (req: IncomingMessage): Promise<FlexRequest> {
  const url = new URL(req.url ?? '/', 'http://flex')
  const override = OVERRIDE_HEADERS.map((h) => req.headers[h]).find((v): v is string => typeof v === 'string')
  const verb = req.method === 'POST' && override ? override.toUpperCase() : req.method ?? 'GET'
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks).toString('utf8')
  const type = (req.headers['content-type'] ?? '').toLowerCase()
  const request: FlexRequest = { verb, path: url.pathname, query: url.searchParams, cookie: req.headers.cookie }
  if (type.startsWith(FORM)) request.form = new URLSearchParams(body)
  else if (body.length > 0 && type.includes('json')) request.json = JSON.parse(body)
  return request
}

/** A parameter from the form body, else from the query string. */
export function param (request: FlexRequest, name: string): string | undefined {
  return request.form?.get(name) ?? request.query.get(name) ?? undefined
}
