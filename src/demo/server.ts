/**
 * A demo target with known memory behaviour, for trying memsiege and for its tests:
 *   GET  /flat          allocates ~10 KB and drops it: memory stays flat
 *   GET  /cache?key=K   caches ~10 KB under K, at most CACHE_ENTRIES keys: grows, then plateaus
 *   GET  /leak          keeps ~10 KB forever: grows without bound
 *   POST /echo          answers {"bytes": N} for the body it read
 *   GET  /stats         process.memoryUsage(), v8.getHeapStatistics() and the demo's counts
 *   GET  /__memsiege/gc the Node probe
 *
 *   node dist/demo/server.js --port N   (0 or absent picks a free port; prints the URL)
 *   node dist/demo/server.js --fixed    (/leak keeps nothing: "the release that fixed it", for side by side)
 *
 * Dependency-free on purpose: it must start anywhere memsiege is installed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getHeapStatistics } from 'node:v8'
import { json, runWhenMain, serveDemo, type DemoServer } from './serve.js'

export type { DemoServer } from './serve.js'

export const BLOB_BYTES = 10 * 1024
export const CACHE_ENTRIES = 1000

/** Module-level on purpose: /leak is a leak. */
const leaked: string[] = []
/** Map iteration order is insertion order: re-inserting on hit makes the first key the least recent. */
const cache = new Map<string, string>()
let blobs = 0

/** A fresh ~10 KB heap string (distinct content, so V8 can't share it between requests). */
function blob (): string {
  blobs++
  return Buffer.alloc(BLOB_BYTES, `${blobs}:`).toString('latin1')
}

function handle (req: IncomingMessage, res: ServerResponse, fixed: boolean): void {
  const url = new URL(req.url ?? '/', 'http://demo')
  const route = `${req.method} ${url.pathname}`
  switch (route) {
    case 'GET /flat': {
      const dropped = blob()
      json(res, 200, { ok: true, bytes: dropped.length })
      return
    }
    case 'GET /cache': {
      const key = url.searchParams.get('key') ?? ''
      let value = cache.get(key)
      if (value !== undefined) {
        cache.delete(key)
      } else {
        value = blob()
        if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!)
      }
      cache.set(key, value)
      json(res, 200, { ok: true, size: cache.size })
      return
    }
    case 'GET /leak': {
      const kept = blob()
      if (!fixed) leaked.push(kept)
      json(res, 200, { ok: true, leaked: leaked.length })
      return
    }
    case 'POST /echo': {
      let bytes = 0
      req.on('data', (chunk: Buffer) => (bytes += chunk.length))
      req.on('end', () => json(res, 200, { bytes }))
      req.on('error', () => res.destroy())
      return
    }
    case 'GET /stats':
      json(res, 200, {
        pid: process.pid,
        memoryUsage: process.memoryUsage(),
        heap: getHeapStatistics(),
        leaked: leaked.length,
        cached: cache.size,
      })
      return
    default:
      json(res, 404, { error: 'not found', routes: ['/flat', '/cache?key=', '/leak', 'POST /echo', '/stats', '/__memsiege/gc'] })
  }
}

/** Starts the demo on 127.0.0.1 (`port` 0 picks one); `fixed`: /leak keeps nothing. */
export function startDemoServer (port = 0, host = '127.0.0.1', fixed = false): Promise<DemoServer> {
  return serveDemo((req, res) => handle(req, res, fixed), port, host)
}

runWhenMain(import.meta.url, 'demo server', (port, argv) => startDemoServer(port, '127.0.0.1', argv.includes('--fixed')))
