/**
 * GET of the app's GC endpoint on a Client of its own: never through the load's pools, so a
 * saturated pool can't delay a sample and the fetches don't count as load.
 *
 * One keep-alive connection: behind puma in cluster mode it stays with the worker that accepted
 * it (until the app closes it), so successive samples usually come from the same process; the
 * response's `pid` says which.
 */
import type { Client } from 'undici'
import { undici } from '../lazy-undici.js'
import { GcFetchError } from '../errors.js'

export interface GcResponse {
  status: number
  contentType: string
  body: string
}

export interface GcFetcherOptions {
  /** Whole-request budget in ms: connect, headers and body. */
  timeoutMs: number
  insecure?: boolean
  /** Larger bodies are an error (a misconfigured URL answering a big page). Default 4 MiB. */
  maxBytes?: number
  /** Sent as X-Memsiege-Token: the probe's MEMSIEGE_PROBE_TOKEN, for an app behind a proxy. */
  token?: string
}

export class GcFetcher {
  readonly #client: Client
  readonly #path: string
  readonly #maxBytes: number
  readonly #opts: GcFetcherOptions

  constructor (
    readonly url: string,
    opts: GcFetcherOptions
  ) {
    this.#opts = opts
    const u = new URL(url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`GC endpoint must be http(s): ${url}`)
    this.#path = u.pathname + u.search
    this.#maxBytes = opts.maxBytes ?? 4 * 1024 * 1024
    this.#client = new (undici().Client)(u.origin, {
      connect: { rejectUnauthorized: !opts.insecure, timeout: opts.timeoutMs },
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      pipelining: 1,
    })
  }

  /** Rejects with GcFetchError on a network error, timeout, non-2xx status or oversized body. */
  async fetch (): Promise<GcResponse> {
    const signal = AbortSignal.timeout(this.#opts.timeoutMs)
    let res
    try {
      res = await this.#client.request({
        path: this.#path,
        method: 'GET',
        headers: {
          accept: 'application/json, text/plain;version=0.0.4;q=0.9, */*;q=0.5',
          ...(this.#opts.token ? { 'x-memsiege-token': this.#opts.token } : {}),
        },
        signal,
      })
    } catch (err) {
      throw new GcFetchError(reason(err, signal, this.#opts.timeoutMs))
    }
    const contentType = String(res.headers['content-type'] ?? '')
    if (res.statusCode < 200 || res.statusCode > 299) {
      await res.body.dump().catch(() => undefined)
      // memsiege's probes answer 403 only for a missing or wrong token
      throw new GcFetchError(`HTTP ${res.statusCode}${res.statusCode === 403 ? ' (a probe with a token: give memsiege the app\'s MEMSIEGE_PROBE_TOKEN)' : ''}`)
    }
    const chunks: Buffer[] = []
    let size = 0
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length
        if (size > this.#maxBytes) {
          res.body.destroy()
          throw new GcFetchError(`body larger than ${this.#maxBytes} bytes`)
        }
        chunks.push(chunk as Buffer)
      }
    } catch (err) {
      if (err instanceof GcFetchError) throw err
      throw new GcFetchError(reason(err, signal, this.#opts.timeoutMs))
    }
    return { status: res.statusCode, contentType, body: Buffer.concat(chunks).toString('utf8') }
  }

  async close (): Promise<void> {
    await this.#client.destroy().catch(() => undefined)
  }
}

const TIMEOUT_ERRORS = new Set(['HeadersTimeoutError', 'BodyTimeoutError', 'ConnectTimeoutError'])

function reason (err: unknown, signal: AbortSignal, timeoutMs: number): string {
  const e = err as NodeJS.ErrnoException | undefined
  if (signal.aborted || TIMEOUT_ERRORS.has(e?.name ?? '')) return `timed out after ${timeoutMs} ms`
  return e?.code ?? e?.message ?? String(err)
}
