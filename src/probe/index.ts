/**
 * memsiege's probe for Node apps: GC and heap figures as JSON at GET /__memsiege/gc, for
 * `sample.gc: { url: /__memsiege/gc }`; with `?source=start` and `?source=sites`, the allocation
 * sites of `--find-source` (allocation-sites.ts). Dependency-free; mount it with probeMiddleware() in an
 * existing server, or run startProbeServer() beside the app.
 *
 * Only loopback clients are answered unless `allow` lists more; anyone else's request for the
 * path is passed on as if the probe weren't there. Behind a reverse proxy on the same host every
 * client is loopback: set MEMSIEGE_PROBE_TOKEN (or `token`) and requests without it get 403.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks'
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8'
import { liveSites, startRecording } from './allocation-sites.js'

export const PROBE_PATH = '/__memsiege/gc'

export type GcKind = 'minor' | 'major' | 'incremental' | 'weakcb'

export interface GcStats {
  pid: number
  uptime_s: number
  rss_bytes: number
  memoryUsage: NodeJS.MemoryUsage
  /** v8.getHeapStatistics(). */
  heap: ReturnType<typeof getHeapStatistics>
  /** v8.getHeapSpaceStatistics() keyed by space name, sizes in bytes. */
  heap_spaces: Record<string, { space_size: number; space_used_size: number; space_available_size: number; physical_space_size: number }>
  /** Collections seen since the probe started observing (first gcStats/probeMiddleware/startProbeServer). */
  gc_count: Record<GcKind | 'total', number>
  /** Their summed pause, ms. */
  gc_pause_ms: Record<GcKind | 'total', number>
}

const KIND_BY_FLAG: Array<[number, GcKind]> = [
  [perfConstants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]

const counts: GcStats['gc_count'] = { minor: 0, major: 0, incremental: 0, weakcb: 0, total: 0 }
const pauses: GcStats['gc_pause_ms'] = { minor: 0, major: 0, incremental: 0, weakcb: 0, total: 0 }
let observer: PerformanceObserver | undefined

/** Starts counting GCs (idempotent). Called by every export, so importing alone costs nothing. */
export function observeGc (): void {
  if (observer) return
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const flag = (entry as { detail?: { kind?: number } }).detail?.kind
      const kind = KIND_BY_FLAG.find(([f]) => f === flag)?.[1]
      if (kind) {
        counts[kind]++
        pauses[kind] += entry.duration
      }
      counts.total++
      pauses.total += entry.duration
    }
  })
  observer.observe({ entryTypes: ['gc'] })
}

export function gcStats (): GcStats {
  observeGc()
  const spaces: GcStats['heap_spaces'] = {}
  for (const s of getHeapSpaceStatistics()) {
    spaces[s.space_name] = {
      space_size: s.space_size,
      space_used_size: s.space_used_size,
      space_available_size: s.space_available_size,
      physical_space_size: s.physical_space_size,
    }
  }
  const round = (o: GcStats['gc_pause_ms']) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 1000) / 1000])) as GcStats['gc_pause_ms']
  const memoryUsage = process.memoryUsage()
  return {
    pid: process.pid,
    uptime_s: Math.round(process.uptime() * 1000) / 1000,
    rss_bytes: memoryUsage.rss,
    memoryUsage,
    heap: getHeapStatistics(),
    heap_spaces: spaces,
    gc_count: { ...counts },
    gc_pause_ms: round(pauses),
  }
}

export interface ProbeOptions {
  /** Default /__memsiege/gc. */
  path?: string
  /** Client addresses answered besides loopback, exact (`10.0.0.5`, `::1`); `*` allows anyone. */
  allow?: string[]
  /**
   * A shared secret the request must carry (`X-Memsiege-Token: T` or `Authorization: Bearer T`),
   * for an app behind a reverse proxy on the same host, where every client looks like loopback.
   * Default: $MEMSIEGE_PROBE_TOKEN; none when that is unset or empty.
   */
  token?: string
}

/**
 * Usable as connect/express middleware `(req, res, next)` (calls `next()` when it doesn't answer)
 * and as a plain `(req, res)` check in a node:http handler: `if (probe(req, res)) return`.
 * Returns true when it answered the request.
 */
export type ProbeHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => boolean

export function probeMiddleware (opts: ProbeOptions = {}): ProbeHandler {
  observeGc()
  const path = opts.path ?? PROBE_PATH
  const allow = new Set((opts.allow ?? []).map(normalizeAddress))
  const token = opts.token ?? process.env.MEMSIEGE_PROBE_TOKEN ?? ''
  return (req, res, next) => {
    const handled = isProbeRequest(req, path) && isAllowed(req.socket.remoteAddress, allow)
    if (!handled) {
      next?.()
      return false
    }
    if (token !== '' && !sameToken(presentedToken(req), token)) {
      res.writeHead(403, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('forbidden\n')
      return true
    }
    const source = new URL(req.url ?? '/', 'http://probe').searchParams.get('source')
    if (source !== null) {
      answerSource(source).then((answer) => sendJson(req, res, 200, answer), (err: Error) => sendJson(req, res, 409, { error: err.message }))
      return true
    }
    sendJson(req, res, 200, gcStats())
    return true
  }
}

/** `?source=start` / `?source=sites`: memsiege's --find-source (allocation-sites.ts). */
async function answerSource (action: string): Promise<object> {
  if (action === 'start') {
    await startRecording()
    return { pid: process.pid, recording: true }
  }
  if (action === 'sites') return { pid: process.pid, runtime: 'node', sites: await liveSites() }
  throw new Error(`unknown source action ${JSON.stringify(action)}: start or sites`)
}

function sendJson (req: IncomingMessage, res: ServerResponse, status: number, answer: unknown): void {
  const body = JSON.stringify(answer)
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}

export interface ProbeServer {
  server: Server
  port: number
  /** The probe's full URL. */
  url: string
  close(): Promise<void>
}

/** A server answering only the probe path (404 elsewhere). Default host 127.0.0.1. */
export async function startProbeServer (opts: { port: number; host?: string } & ProbeOptions): Promise<ProbeServer> {
  const probe = probeMiddleware(opts)
  const host = opts.host ?? '127.0.0.1'
  const server = createServer((req, res) => {
    if (probe(req, res)) return
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const urlHost = host.includes(':') ? `[${host}]` : host
  return {
    server,
    port,
    url: `http://${urlHost}:${port}${opts.path ?? PROBE_PATH}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function isProbeRequest (req: IncomingMessage, path: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  const url = req.url ?? ''
  const q = url.indexOf('?')
  return (q < 0 ? url : url.slice(0, q)) === path
}

function isAllowed (address: string | undefined, allow: ReadonlySet<string>): boolean {
  if (allow.has('*')) return true
  // A Unix socket's client has no address: not known to be local unless `*` says anyone will do.
  if (address === undefined) return false
  const a = normalizeAddress(address)
  return a.startsWith('127.') || a === '::1' || allow.has(a)
}

function presentedToken (req: IncomingMessage): string | undefined {
  const header = req.headers['x-memsiege-token']
  if (typeof header === 'string') return header
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return m?.[1]
}

/** Constant time, whatever the lengths: the digests compared are always 32 bytes. */
function sameToken (given: string | undefined, token: string): boolean {
  if (given === undefined) return false
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(given), digest(token))
}

function normalizeAddress (address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address
}
