/**
 * `memsiege stub`: an HTTP(S) proxy in front of the APIs an app calls, built on mockttp (TLS
 * interception, CONNECT, leaf certificates per host). As a forward proxy (the app gets
 * http_proxy/https_proxy) or a reverse proxy (--upstream: the app is pointed at the stub), it
 * records exchanges, replays them without touching the network, or passes requests through.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { CompletedRequest, Mockttp, requestSteps } from 'mockttp'
import { ConfigError } from '../errors.js'
import type { StubSummary } from '../recorder/summary-json.js'
import { loadOrCreateCa, type StubCa } from './ca.js'
import { upstreamCaProblem } from '../files/pem-certificates.js'
import type { HeaderList } from './exchange-file.js'
import { isLoopbackAddress, isLoopbackHost } from './loopback.js'
import { bodyHash, storedUrl } from './match-key.js'
import { readRecordings, RecordingWriter, type Recordings } from './recordings.js'
import { DEFAULT_RULES, delayMs, readRules, ruleFor, type StubRules } from './rules.js'
import { StubStats, type Outcome } from './stub-stats.js'
import { REDACTED } from '../recorder/redact.js'
import { listenProblem } from '../target/free-port.js'

export type StubMode = StubSummary['mode']

export interface StubOptions {
  mode: StubMode
  /** The recordings folder (record and replay). */
  dir?: string
  /** 0: any free port. */
  port: number
  /** Reverse proxy to this base URL; a forward proxy when absent. */
  upstream?: string
  caDir: string
  rulesFile?: string
  matchBody: boolean
  /** Never forward to a host outside 127.0.0.0/8, ::1 and localhost (answer 502 instead). */
  loopbackOnly: boolean
  /** PEM files of CAs to trust for upstream hosts, besides Node's. */
  upstreamCas: string[]
}

/** Not stored or replayed: they describe one connection or one moment, or the body as it travelled (the stored one is decoded). */
const CONNECTION_HEADERS = new Set(['date', 'host', 'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'content-length'])

type CallbackResponseMessageResult = requestSteps.CallbackResponseMessageResult

type Answer = { outcome: Outcome; response: CallbackResponseMessageResult; delay: number }

export class StubServer {
  readonly #server: Mockttp
  readonly #options: StubOptions
  readonly #stats = new StubStats()
  readonly ca: StubCa
  readonly #rules: StubRules
  readonly #recordings?: Recordings
  readonly #writer?: RecordingWriter
  readonly #upstream?: URL

  /** Use StubServer.start. */
  constructor (server: Mockttp, options: StubOptions, ca: StubCa, rules: StubRules, recordings?: Recordings, writer?: RecordingWriter) {
    this.#server = server
    this.#options = options
    this.ca = ca
    this.#rules = rules
    this.#recordings = recordings
    this.#writer = writer
    if (options.upstream) this.#upstream = new URL(options.upstream)
  }

  /** Reads the rules, the recordings and the CA (ConfigError on a mistake), then listens. */
  static async start (options: StubOptions): Promise<StubServer> {
    if ((options.mode === 'pass-through') !== (options.dir === undefined)) throw new ConfigError('stub: a recordings folder goes with --record or --replay')
    if (options.upstream !== undefined && !/^https?:\/\/[^/]/i.test(options.upstream)) throw new ConfigError(`--upstream: expected an http(s) URL, got "${options.upstream}"`)
    for (const path of options.upstreamCas) {
      const problem = upstreamCaProblem(path)
      if (problem) throw new ConfigError(`--upstream-ca ${path}: ${problem}`)
    }
    const rules = options.rulesFile ? readRules(options.rulesFile) : DEFAULT_RULES
    const recordings = options.mode === 'replay' ? readRecordings(options.dir!, options.matchBody) : undefined
    const writer = options.mode === 'record' ? new RecordingWriter(options.dir!) : undefined
    const ca = await loadOrCreateCa(options.caDir)
    const { getLocal } = await import('mockttp')
    // recordTraffic off: mockttp would otherwise keep every request for getSeenRequests(), and the stub runs for the whole soak.
    const server = getLocal({ https: { key: ca.key, cert: ca.cert }, http2: false, recordTraffic: false, suggestChanges: false, cors: false })
    const stub = new StubServer(server, options, ca, rules, recordings, writer)
    await listen(server, options.port)
    stub.port = server.port
    const neverForward = options.mode === 'replay' && rules.unmatched !== 'pass-through'
    if (neverForward) {
      await server.forAnyRequest().thenCallback(async (req) => stub.#respond(req, await stub.#answer(req) ?? stub.#miss(req)))
    } else {
      await server.forAnyRequest().thenPassThrough({
        additionalTrustedCAs: options.upstreamCas.map((certPath) => ({ certPath })),
        beforeRequest: async (req) => {
          const answer = await stub.#answer(req) ?? stub.#refusal(req)
          if (answer) return { response: await stub.#respond(req, answer) }
          const target = stub.#target(req)
          return target.href === req.url ? undefined : { url: target.href }
        },
        beforeResponse: async (res, req) => {
          stub.#stats.count('passed_through', req.timingEvents.startTimestamp)
          if (!stub.#writer) return undefined
          const decoded = await res.body.getDecodedBuffer().catch(() => undefined)
          stub.#writer.write({
            request: { method: req.method, url: storedUrl(stub.#target(req)), headers: kept(req.rawHeaders), bodySha256: bodyHash(req.body.buffer) },
            response: { status: res.statusCode, headers: kept(res.rawHeaders, decoded !== undefined), body: decoded ?? res.body.buffer },
            upstreamMs: Math.round(performance.now() - req.timingEvents.startTimestamp),
          })
          stub.#stats.counts.recorded++
          return undefined
        },
      })
    }
    return stub
  }

  /** Where it listens (kept: mockttp forgets its port once stopped). */
  port = 0

  get url (): string {
    return `http://127.0.0.1:${this.port}`
  }

  summary (): StubSummary {
    return this.#stats.summary({ mode: this.#options.mode, url: this.url, ...(this.#options.upstream ? { upstream: this.#options.upstream } : {}) })
  }

  async stop (): Promise<void> {
    await this.#server.stop()
  }

  /** Where the request is really for: the upstream's URL in reverse mode, the requested one otherwise. */
  #target (req: CompletedRequest): URL {
    const url = new URL(req.url)
    return this.#upstream ? new URL(url.pathname.replace(/^\//, '') + url.search, this.#upstream.href.replace(/\/?$/, '/')) : url
  }

  /** A rule's or a recording's answer, if one matches. */
  async #answer (req: CompletedRequest): Promise<Answer | undefined> {
    const url = this.#target(req)
    const rule = ruleFor(this.#rules, req.method, url)
    if (rule) return { outcome: 'rule_hits', response: reply(rule.status, rule.headers, rule.body, req.method), delay: delayMs(rule.delay ?? this.#rules.delay) }
    const exchange = this.#recordings?.find(req.method, url, this.#options.matchBody ? bodyHash(req.body.buffer) : '')
    if (exchange) return { outcome: 'hits', response: reply(exchange.response.status, exchange.response.headers, exchange.response.body, req.method), delay: delayMs(this.#rules.delay) }
    return undefined
  }

  #miss (req: CompletedRequest): Answer {
    const url = this.#target(req)
    const status = this.#rules.unmatched === 502 ? 502 : 404
    const text = `memsiege stub: no recording or rule matches ${req.method} ${storedUrl(url)}` +
      `${this.#options.dir ? ` (recordings: ${this.#options.dir})` : ''}; record it, or add a rule to the rules file\n`
    return { outcome: 'misses', response: reply(status, [['content-type', 'text/plain; charset=utf-8']], Buffer.from(text), req.method), delay: 0 }
  }

  /** What must not be forwarded: a client or a host outside loopback, or a request for the stub itself. */
  #refusal (req: CompletedRequest): Answer | undefined {
    const url = this.#target(req)
    let why: string | undefined
    if (!isLoopbackAddress(req.remoteIpAddress)) why = `the client ${req.remoteIpAddress ?? '?'} is not on this machine`
    else if (this.#options.loopbackOnly && !isLoopbackHost(url.hostname)) why = `${url.host} is not a loopback host (loopbackOnly)`
    else if (!this.#upstream && isLoopbackHost(url.hostname) && Number(url.port || 80) === this.port) why = 'this is a proxy: send it absolute URLs (http_proxy), or start it with --upstream'
    if (why === undefined) return undefined
    return { outcome: 'refused', response: reply(502, [['content-type', 'text/plain; charset=utf-8']], Buffer.from(`memsiege stub: not forwarded: ${why}\n`), req.method), delay: 0 }
  }

  async #respond (req: CompletedRequest, answer: Answer): Promise<CallbackResponseMessageResult> {
    if (answer.delay > 0) await sleep(answer.delay)
    this.#stats.count(answer.outcome, req.timingEvents.startTimestamp)
    return answer.response
  }
}

/**
 * Starts `server` on `port`; a port that is taken or not ours to use is the user's to change.
 * Tried first on a server of our own: mockttp may miss its server's listen error and never settle.
 */
async function listen (server: Mockttp, port: number): Promise<void> {
  const problem = port === 0 ? undefined : await listenProblem(port)
  if (problem === 'EADDRINUSE') throw new ConfigError(`stub port ${port}: already in use; stop what listens there or give the stub another port (0: any free one)`)
  if (problem === 'EACCES') throw new ConfigError(`stub port ${port}: not allowed (ports below 1024 need root); give the stub another port (0: any free one)`)
  await server.start(port)
}

/** Headers worth keeping from a raw list; `decoded`: the body is stored decoded, so its encoding goes. */
function kept (raw: Array<[string, string]>, decoded = false): HeaderList {
  return raw.filter(([name]) => {
    const lower = name.toLowerCase()
    return !CONNECTION_HEADERS.has(lower) && !(decoded && lower === 'content-encoding')
  })
}

function reply (status: number, headers: HeaderList, body: Buffer, method: string): CallbackResponseMessageResult {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of headers) {
    const lower = name.toLowerCase()
    // A secret stored as [redacted] is no value to send back; the connection headers are the stub's own.
    if (value === REDACTED || CONNECTION_HEADERS.has(lower) || lower === 'content-encoding') continue
    const had = out[lower]
    out[lower] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value]
  }
  // mockttp sets Content-Length from the body.
  const bodiless = method === 'HEAD' || status === 204 || status === 304 || status < 200
  return { statusCode: status, headers: out, ...(bodiless ? {} : { rawBody: body }) }
}
