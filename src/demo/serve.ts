/**
 * What the bundled demo apps share: a JSON answer, an HTTP server on 127.0.0.1 with memsiege's
 * Node probe mounted, and the `--port N` command line that starts one from `node dist/demo/….js`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { probeMiddleware } from '../probe/index.js'

export function json (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers })
  res.end(body)
}

export interface DemoServer {
  server: Server
  port: number
  url: string
  close(): Promise<void>
}

/** Serves `handle` on `host` (`port` 0 picks one), the probe answering /__memsiege/gc first. */
export async function serveDemo (handle: (req: IncomingMessage, res: ServerResponse) => void, port: number, host: string): Promise<DemoServer> {
  const probe = probeMiddleware()
  const server = createServer((req, res) => {
    if (probe(req, res)) return
    handle(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const actual = (server.address() as AddressInfo).port
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function parsePort (name: string, argv: string[]): number {
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='))
  if (i < 0) return 0
  const text = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1]
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`${name}: --port wants 0..65535, got ${JSON.stringify(text)}\n`)
    process.exit(2)
  }
  return port
}

function isMain (moduleUrl: string): boolean {
  if (!process.argv[1]) return false
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl))
  } catch {
    return false
  }
}

/**
 * When the module at `moduleUrl` is the script node was started with: starts it on `--port`
 * (0 or absent: a free one), prints "listening on URL" and closes it on SIGTERM or SIGINT.
 */
export function runWhenMain (moduleUrl: string, name: string, start: (port: number, argv: string[]) => Promise<DemoServer>): void {
  if (!isMain(moduleUrl)) return
  const argv = process.argv.slice(2)
  start(parsePort(name, argv), argv).then((demo) => {
    process.stdout.write(`listening on ${demo.url}\n`)
    const shutdown = () => {
      void demo.close().then(() => process.exit(0))
    }
    process.once('SIGTERM', shutdown)
    process.once('SIGINT', shutdown)
  }, (err: Error) => {
    process.stderr.write(`${name}: ${err.message}\n`)
    process.exit(1)
  })
}
