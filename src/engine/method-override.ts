const FORM = 'application/x-www-form-urlencoded'

export interface RequestShape {
  method: string
  url: URL
  body?: Buffer
  contentType?: string
}

/**
 * Silverlight-style traffic: the client can only POST, so the real verb travels in a header
 * and the query string in a form body. POST requests are left as they are.
 */
export function overrideMethod (request: RequestShape, header: string): RequestShape & { overrideHeader?: [string, string] } {
  if (request.method === 'POST') return request
  const url = new URL(request.url)
  const query = url.search.slice(1)
  url.search = ''
  const overrideHeader: [string, string] = [header, request.method]
  const hasBody = request.body !== undefined && request.body.length > 0
  if (hasBody && !isForm(request.contentType)) {
    // Parameters can't be merged into a JSON or binary body: they stay in the URL.
    return { method: 'POST', url: request.url, body: request.body, contentType: request.contentType, overrideHeader }
  }
  const parts = [hasBody ? request.body!.toString('latin1') : '', query].filter(Boolean)
  return { method: 'POST', url, body: Buffer.from(parts.join('&'), 'latin1'), contentType: FORM, overrideHeader }
}

function isForm (contentType: string | undefined): boolean {
  return contentType === undefined || contentType.toLowerCase().startsWith(FORM)
}
