/**
 * Pieces of the stub tests: an "upstream" API on loopback (plain or TLS with a CA made here by
 * openssl), and `memsiege stub` started as a user starts it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttps } from 'node:https'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { CLI } from './cli.js'
import { waitForLine } from './wait.js'

export interface TlsFiles {
  caCert: string
  key: string
  cert: string
}

/** A CA of the test's own and a leaf for 127.0.0.1 and localhost signed by it. */
export function makeTlsFiles (dir: string): TlsFiles {
  const at = (name: string) => join(dir, name)
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' })
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('up-ca.key'), '-out', at('up-ca.pem'), '-days', '2', '-subj', '/CN=upstream test CA')
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('up.key'), '-out', at('up.csr'), '-subj', '/CN=127.0.0.1')
  writeFileSync(at('up.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  ssl('x509', '-req', '-in', at('up.csr'), '-CA', at('up-ca.pem'), '-CAkey', at('up-ca.key'), '-CAcreateserial', '-out', at('up.pem'), '-days', '2', '-extfile', at('up.ext'))
  return { caCert: at('up-ca.pem'), key: at('up.key'), cert: at('up.pem') }
}

export interface Upstream {
  url: string
  /** Requests it has answered. */
  count: () => number
  close: () => Promise<void>
}

/** Answers JSON saying what it was asked, with a header and a cookie to record. */
export async function startUpstream (tls?: TlsFiles): Promise<Upstream> {
  let n = 0
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      n++
      const body = JSON.stringify({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString(), auth: req.headers.authorization ?? null })
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json', 'x-upstream': 'real', 'set-cookie': 'sid=secret-session-id' })
      res.end(body)
    })
  }
  const server: Server = tls ? createHttps({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, handler) : createHttp(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    count: () => n,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

export interface RunningStub {
  url: string
  port: number
  child: ChildProcess
  /** What it printed on stdout so far (the export lines). */
  stdout: () => string
  /** SIGINT, then what it printed. */
  stop: () => Promise<{ status: number | null; stderr: string; stdout: string }>
}

/** `memsiege stub ARGS --port 0 --loopback-only`, once it listens. */
export async function startStub (args: string[]): Promise<RunningStub> {
  const child = spawn(process.execPath, [CLI, 'stub', '--port', '0', '--loopback-only', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  let stdout = ''
  child.stderr!.on('data', (d: Buffer) => { stderr += d })
  child.stdout!.on('data', (d: Buffer) => { stdout += d })
  const exited = new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)))
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  let match: RegExpMatchArray
  try {
    match = await waitForLine(child.stderr!, /on http:\/\/127\.0\.0\.1:(\d+)/)
  } catch (err) {
    child.kill('SIGKILL')
    clearTimeout(killer)
    throw err
  }
  const port = Number(match[1])
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    stdout: () => stdout,
    stop: async () => {
      child.kill('SIGINT')
      const status = await exited
      clearTimeout(killer)
      return { status, stderr, stdout }
    },
  }
}
