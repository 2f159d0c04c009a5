/**
 * When a target counts as up: an HTTP GET answers. This is the one readiness rule for every way
 * memsiege gets a target running (target.command, target.restart): a TCP connect alone is not
 * enough, because a server may accept connections (the listen backlog fills before the app is
 * loaded) while it cannot answer yet, and the load's first requests would fail.
 *
 * What counts as an answer:
 * - `2xx` for a URL the user named as the readiness check (target.ready);
 * - `serving` for a URL that was not made for it (target.url after target.restart): any status
 *   but 502, 503 and 504. A 404 from an app without a root page proves it serves; those three
 *   are what a proxy in front of a target that is not back yet, or a booting app, answer.
 */
import type { Client } from 'undici'
import { undici } from '../lazy-undici.js'
import type { ExitInfo } from './events.js'

export type ReadyRule = '2xx' | 'serving'

type ReadyOutcome = { ready: true; exit?: undefined } | { ready: false; exit?: ExitInfo; last?: string }

/** One keep-alive client on the URL's origin, asked again and again until the target answers. */
export class ReadyProbe {
  /** What the last GET got, for the error when the target never gets ready. */
  last?: string
  readonly #url: URL
  readonly #client: Client
  readonly #rule: ReadyRule

  constructor (url: string, insecure: boolean, rule: ReadyRule = '2xx') {
    this.#rule = rule
    this.#url = new URL(url)
    this.#client = new (undici().Client)(this.#url.origin, {
      connect: { rejectUnauthorized: !insecure, timeout: 2000 },
      headersTimeout: 2000,
      bodyTimeout: 2000
    })
  }

  /** One GET, given up after `timeoutMs` or when `exited` settles; true when it counts as ready. */
  async check (timeoutMs: number, exited?: Promise<ExitInfo>): Promise<boolean> {
    const abort = AbortSignal.timeout(Math.max(1, Math.min(2000, timeoutMs)))
    try {
      const request = this.#client.request({ path: this.#url.pathname + this.#url.search, method: 'GET', signal: abort })
      const res = await (exited ? Promise.race([request, exited]) : request)
      if (!('statusCode' in res)) return false
      await res.body.dump()
      if (accepts(this.#rule, res.statusCode)) return true
      this.last = `answered ${res.statusCode}`
    } catch (err) {
      this.last = `failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`
    }
    return false
  }

  close (): void {
    this.#client.destroy().catch(() => undefined)
  }
}

function accepts (rule: ReadyRule, status: number): boolean {
  if (rule === '2xx') return status >= 200 && status < 300
  return status !== 502 && status !== 503 && status !== 504
}

/** Polls `url` until it answers 2xx, the process exits, or `timeoutMs` passes; `last` says what it got. */
export async function waitForReady (url: string, timeoutMs: number, exited: Promise<ExitInfo>, insecure = false): Promise<ReadyOutcome> {
  const probe = new ReadyProbe(url, insecure)
  const deadline = Date.now() + timeoutMs
  let exit: ExitInfo | undefined
  void exited.then((e) => (exit = e))
  let pause = 50
  try {
    // eslint-disable-next-line no-unmodified-loop-condition -- `exit` is set by the exited promise
    while (exit === undefined && Date.now() < deadline) {
      if (await probe.check(deadline - Date.now(), exited)) return { ready: true }
      if (exit !== undefined) break
      await Promise.race([delay(Math.min(pause, Math.max(0, deadline - Date.now()))), exited])
      pause = Math.min(pause * 2, 500)
    }
    if (exit === undefined) exit = await Promise.race([exited, delay(0)])
    return { ready: false, exit, last: probe.last }
  } finally {
    probe.close()
  }
}

export function delay (ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms))
}
