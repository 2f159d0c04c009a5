import { redactUrl } from '../recorder/redact.js'

/** What the -v line shows of a finished request (the engine's Transaction has these fields). */
export interface VerboseTransaction {
  request: { method: string, url: URL }
  status: number
  bytes: number
  latencyUs: number
  error?: string
}

/**
 * siege's -v line (siege-spec §3.2): the request target for GET, the absolute URL for other
 * methods. Times are shown in seconds as siege does, with three decimals instead of two.
 */
export function verboseLine (t: VerboseTransaction): string {
  const { method, url } = t.request
  const what = redactUrl(method === 'GET' ? url.pathname + url.search : url.href)!
  if (t.error) return `[error] ${t.error} ==> ${method.padEnd(4)} ${what}`
  const secs = (t.latencyUs / 1e6).toFixed(3).padStart(6)
  return `HTTP/1.1 ${t.status}   ${secs} secs: ${String(t.bytes).padStart(7)} bytes ==> ${method.padEnd(4)} ${what}`
}
