#!/usr/bin/env node
// The stub's own memory over many replays: `memsiege stub --replay` (a forward proxy, as an app
// uses it) answers STUB_BENCH_REQUESTS absolute-URI requests sent by autocannon; its RSS
// (/proc/PID/status VmRSS) is printed after a warm-up, at every tenth, and at the end.
//
//   node bench/stub-memory.mjs                      # 1,000,000 replays
//   STUB_BENCH_REQUESTS=200000 node bench/stub-memory.mjs
//   STUB_BENCH_CONNECTIONS=10                       # autocannon connections
//
// Traffic goes to 127.0.0.1 only: the stub replays, and never forwards (--loopback-only besides).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const REQUESTS = Number(process.env.STUB_BENCH_REQUESTS ?? 1_000_000)
const CONNECTIONS = Number(process.env.STUB_BENCH_CONNECTIONS ?? 10)
const WARMUP = Math.min(20_000, Math.floor(REQUESTS / 10))
const HOST = 'http://api.example.test'
const PATHS = Array.from({ length: 20 }, (_, i) => `/1/boards/${i}?fields=name&token=t0k3n`)

const dir = mkdtempSync(join(tmpdir(), 'memsiege-stub-bench-'))
PATHS.forEach((path, i) => {
  const name = String(i + 1).padStart(4, '0') + `-GET-board-${i}`
  writeFileSync(join(dir, `${name}.body`), JSON.stringify({ id: i, name: `board ${i}`, pad: 'x'.repeat(2000) }))
  writeFileSync(join(dir, `${name}.yml`), [
    'request:', '  method: GET', `  url: ${HOST}${path}`,
    'response:', '  status: 200', '  headers: { content-type: application/json }', `  bodyFile: ${name}.body`, '',
  ].join('\n'))
})

const stub = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'stub', '--replay', dir, '--port', '0', '--loopback-only', '--ca-dir', join(dir, 'ca')], { stdio: ['ignore', 'ignore', 'pipe'] })
let stderr = ''
const port = await new Promise((resolve, reject) => {
  stub.stderr.on('data', (d) => {
    stderr += d
    const m = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)
    if (m) resolve(Number(m[1]))
  })
  stub.on('exit', () => reject(new Error(`the stub exited: ${stderr}`)))
})
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${stub.pid}/status`, 'utf8'))[1]) / 1024

function load (amount) {
  return new Promise((resolve, reject) => {
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: CONNECTIONS,
      amount,
      // Absolute URIs: what a client configured with http_proxy sends a forward proxy.
      requests: PATHS.map((path) => ({ method: 'GET', path: HOST + path })),
    }, (err, result) => err ? reject(err) : resolve(result))
  })
}

try {
  await load(WARMUP)
  const start = rssMiB()
  console.log(`stub pid ${stub.pid}: RSS after ${WARMUP} warm-up replays: ${start.toFixed(1)} MiB`)
  const step = Math.ceil(REQUESTS / 10)
  let done = 0
  let non2xx = 0
  const t0 = performance.now()
  while (done < REQUESTS) {
    const n = Math.min(step, REQUESTS - done)
    const r = await load(n)
    done += n
    non2xx += r.non2xx + r.errors
    console.log(`${String(done).padStart(9)} replays: RSS ${rssMiB().toFixed(1)} MiB (${Math.round(n / r.duration)} req/s)`)
  }
  const end = rssMiB()
  console.log(`RSS start ${start.toFixed(1)} MiB, end ${end.toFixed(1)} MiB: ${(end - start >= 0 ? '+' : '')}${(end - start).toFixed(1)} MiB over ${REQUESTS} replays in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${non2xx} not 2xx or errors`)
} finally {
  stub.kill('SIGINT')
  await new Promise((resolve) => stub.on('close', resolve))
  process.stderr.write(stderr.split('\n').filter((l) => /requests:/.test(l)).join('\n') + '\n')
  rmSync(dir, { recursive: true, force: true })
}
