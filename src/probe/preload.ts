/**
 * The Node probe injected into an app that has no probe of its own: loaded before the app by
 * `NODE_OPTIONS="--require …/probes/node/memsiege-probe.cjs"` (or `--import …/memsiege-probe.mjs`),
 * it serves the probe (index.ts) on a side server at 127.0.0.1:$MEMSIEGE_PROBE_PORT.
 *
 * - The side server is unref'd: it never keeps the app alive, and an app that would exit still does.
 * - NODE_OPTIONS reaches every node process the command starts: the launchers (npm, npx, yarn,
 *   pnpm, nodemon) leave the port to the app they start, instead of taking it themselves.
 * - In a `cluster` app each worker answers on base + its worker id (a port the system picks when
 *   that one is taken), and the primary, on the base port, forwards a request to its
 *   lowest-numbered live worker (`?worker=N` picks one, `?worker=primary` asks the primary
 *   itself); the answer's `pid` and its `x-memsiege-worker` header say which worker answered. The
 *   primary reaches a worker on an abstract Unix socket named by its own pid and the worker id:
 *   no port on the machine can be in the way, and no IPC message reaches the app's handlers.
 * - One line on stderr says where it listens, or why it cannot (the app goes on without it).
 */
import cluster from 'node:cluster'
import { request, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { isMainThread } from 'node:worker_threads'
import { PROBE_PATH, probeMiddleware, type ProbeHandler } from './index.js'

const HOST = '127.0.0.1'
/** Processes that start the app rather than being it. */
const LAUNCHERS = /^(npm|npx|yarn|yarnpkg|pnpm|pnpx|corepack|nodemon)(-cli)?(\.c?js)?$/

export function startPreloadProbe (env: NodeJS.ProcessEnv = process.env): void {
  const raw = env.MEMSIEGE_PROBE_PORT ?? ''
  const base = Number(raw)
  if (!/^\d+$/.test(raw) || base < 1 || base > 65535) {
    say(`MEMSIEGE_PROBE_PORT is ${raw === '' ? 'not set' : `not a port: ${JSON.stringify(raw)}`}; not started`)
    return
  }
  // Preloads run in worker threads too, and in the thread of module loader hooks (--import of a loader).
  if (!isMainThread || isLauncher(process.argv[1])) return
  // Before any code is optimised: an inlined function's allocations would be its caller's (allocation-sites.ts).
  if (env.MEMSIEGE_FIND_SOURCE === '1') setFlagsFromString('--no-turbo-inlining')
  const workerId = cluster.isWorker ? cluster.worker!.id : 0
  const port = base + workerId
  const answerWith = (probe: ProbeHandler) => (req: IncomingMessage, res: ServerResponse): void => {
    const worker = workerToAsk(req)
    if (worker !== undefined) {
      forward(req, res, worker)
      return
    }
    if (workerId > 0) res.setHeader('x-memsiege-worker', String(workerId))
    if (probe(req, res)) return
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
  }
  const who = workerId > 0 ? `cluster worker ${workerId}, pid ${process.pid}` : `pid ${process.pid}`
  const server = createServer(answerWith(probeMiddleware()))
  server.once('error', (err: NodeJS.ErrnoException) => {
    if (workerId > 0 && err.code === 'EADDRINUSE') {
      say(`${HOST}:${port} is taken; ${who} listens on a port the system picks`)
      server.once('error', (again: NodeJS.ErrnoException) => say(`cannot listen on ${HOST} (${again.code ?? again.message}); ${who} answers only through the primary`))
      listenOn(server, 0, who)
      return
    }
    say(`cannot listen on ${HOST}:${port} (${err.code ?? err.message}); ${who} goes on without the probe`)
  })
  listenOn(server, port, who)
  if (workerId > 0) {
    // Only processes of this machine reach an abstract socket, as only they reach loopback; the token still applies.
    const forPrimary = createServer(answerWith(probeMiddleware({ allow: ['*'] })))
    forPrimary.once('error', (err: NodeJS.ErrnoException) => say(`the primary cannot reach ${who} (${err.code ?? err.message})`))
    forPrimary.listen({ path: workerSocket(process.ppid, workerId) })
    forPrimary.unref()
  }
}

function listenOn (server: Server, port: number, who: string): void {
  // A listen that failed (its port taken) leaves its callback behind: the fallback's would say it twice.
  server.removeAllListeners('listening')
  // exclusive: a worker binds its own port instead of asking the primary to share one.
  server.listen({ port, host: HOST, exclusive: true }, () => {
    say(`listening on http://${HOST}:${(server.address() as AddressInfo).port}${PROBE_PATH} (${who})`)
  })
  server.unref()
}

/** Where a cluster primary reaches worker `id`'s probe (Linux's abstract socket namespace: no file to clean up). */
function workerSocket (primaryPid: number, id: number): string {
  return `\0memsiege-probe-${primaryPid}-${id}`
}

/** The worker a cluster primary forwards this request to; undefined when it answers itself. */
function workerToAsk (req: IncomingMessage): number | undefined {
  if (!cluster.isPrimary || !cluster.workers) return undefined
  const wanted = new URL(req.url ?? '/', 'http://probe').searchParams.get('worker')
  if (wanted === 'primary') return undefined
  const live = Object.values(cluster.workers).filter((w) => w !== undefined && !w.isDead()).map((w) => w!.id)
  if (wanted !== null) return live.includes(Number(wanted)) ? Number(wanted) : undefined
  return live.length > 0 ? Math.min(...live) : undefined
}

/** The worker's probe answers as is; its token check applies, since the headers go with the request. */
function forward (req: IncomingMessage, res: ServerResponse, worker: number): void {
  const headers: Record<string, string> = {}
  for (const name of ['x-memsiege-token', 'authorization']) {
    const value = req.headers[name]
    if (typeof value === 'string') headers[name] = value
  }
  const upstream = request({ socketPath: workerSocket(process.pid, worker), path: req.url, method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  upstream.once('error', (err: NodeJS.ErrnoException) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
    res.end(`memsiege probe: cluster worker ${worker}: ${err.code ?? err.message}\n`)
  })
  upstream.end()
}

function isLauncher (script: string | undefined): boolean {
  if (script === undefined) return false
  const name = basename(script)
  return LAUNCHERS.test(name) || /[/\\](npm|npx|corepack|yarn|pnpm)[/\\]bin[/\\]/.test(script)
}

function say (text: string): void {
  process.stderr.write(`memsiege probe: ${text}\n`)
}
