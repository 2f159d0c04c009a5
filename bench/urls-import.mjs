#!/usr/bin/env node
// Benchmark of `memsiege urls from-log`: generates a combined-format access log of
// URLS_BENCH_LINES lines (default 1,000,000) in a temp folder, imports it with the
// built dist/ (in process, output discarded) and prints lines/s and memory.
// Not run by the tests. Usage: npx tsc -p . && node bench/urls-import.mjs
//   URLS_BENCH_LINES=5000000   more lines
//   URLS_BENCH_GZIP=1          gzip the log first (measures gunzip too)
//   URLS_BENCH_FORMAT=json     nginx `log_format escape=json` lines instead of combined
//   URLS_BENCH_ARGS='--status 2xx --exclude Ping --weighted'   extra from-log options
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { performance } from 'node:perf_hooks'

const { urlsFromLogCommand } = await import(new URL('../dist/commands/urls.js', import.meta.url))

const LINES = Number(process.env.URLS_BENCH_LINES ?? 1_000_000)
const GZIP = process.env.URLS_BENCH_GZIP === '1'
const JSON_LINES = process.env.URLS_BENCH_FORMAT === 'json'
const EXTRA = (process.env.URLS_BENCH_ARGS ?? '').split(/\s+/).filter(Boolean)

// A small deterministic PRNG, so every run imports the same log.
let seed = 42
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)

const PATHS = []
for (let i = 0; i < 200; i++) PATHS.push(`/api/Customers/${i}`)
for (let i = 0; i < 200; i++) PATHS.push(`/api/Orders?customerId=${i}&status=Open`)
for (let i = 0; i < 100; i++) PATHS.push(`/api/Reports/Sales?from=2024-01-01&to=2024-01-${String(1 + (i % 28)).padStart(2, '0')}&groupBy=Region`)
PATHS.push('/api/Ping', '/clientaccesspolicy.xml', '/ClientBin/Flex.xap', '/api/Lookups/Countries')
const METHODS = ['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE']
const STATUSES = [200, 200, 200, 200, 200, 200, 200, 304, 404, 500]
const AGENT = '"Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko Silverlight/5.1"'

function pickPath () {
  // Zipf-like: a few URLs take most of the traffic, as in production.
  const r = random()
  return PATHS[Math.min(PATHS.length - 1, Math.floor(PATHS.length * r * r * r))]
}

async function generate (file) {
  const out = createWriteStream(file)
  const start = Date.UTC(2024, 4, 1, 8, 0, 0)
  let chunk = ''
  for (let i = 0; i < LINES; i++) {
    const t = new Date(start + i * 50)
    const time = `${String(t.getUTCDate()).padStart(2, '0')}/May/2024:${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:${String(t.getUTCSeconds()).padStart(2, '0')} +0000`
    const method = METHODS[Math.floor(random() * METHODS.length)]
    const status = STATUSES[Math.floor(random() * STATUSES.length)]
    const bytes = Math.floor(random() * 20000)
    chunk += JSON_LINES
      ? `{"time_local":"${time}","remote_addr":"10.0.${i % 250}.${(i * 7) % 250}","request_method":"${method}","request_uri":"${pickPath()}","status":${status},"body_bytes_sent":${bytes},"http_user_agent":${AGENT}}\n`
      : `10.0.${i % 250}.${(i * 7) % 250} - - [${time}] "${method} ${pickPath()} HTTP/1.1" ${status} ${bytes} "http://app.example.com/Default.aspx" ${AGENT}\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve))
      chunk = ''
    }
  }
  out.end(chunk)
  await new Promise((resolve) => out.once('finish', resolve))
}

const dir = mkdtempSync(join(tmpdir(), 'memsiege-urls-bench-'))
process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
let file = join(dir, 'access.log')
process.stderr.write(`generating ${LINES} lines … `)
await generate(file)
if (GZIP) {
  await pipeline(createReadStream(file), createGzip(), createWriteStream(file + '.gz'))
  rmSync(file)
  file += '.gz'
}
const size = statSync(file).size
process.stderr.write(`${(size / 1e6).toFixed(0)} MB${GZIP ? ' gzipped' : ''}\n`)

let outputBytes = 0
let stderr = ''
const io = {
  stdin: process.stdin,
  stdout: { write: (text) => { outputBytes += text.length } },
  stderr: { write: (text) => { stderr += text } }
}
let peakRss = process.memoryUsage().rss
const rssBefore = peakRss
const poll = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss) }, 20)
const t0 = performance.now()
const status = await urlsFromLogCommand({ files: [file], ...parseArgs(EXTRA) }, io)
const seconds = (performance.now() - t0) / 1000
clearInterval(poll)
peakRss = Math.max(peakRss, process.memoryUsage().rss)

if (status !== 0) {
  process.stderr.write(stderr)
  process.exit(1)
}
process.stdout.write([
  `memsiege urls from-log: ${LINES.toLocaleString('en')} ${JSON_LINES ? 'JSON' : 'combined'} lines (${(size / 1e6).toFixed(0)} MB${GZIP ? ' gzip' : ''}) in ${seconds.toFixed(2)} s`,
  `  ${Math.round(LINES / seconds).toLocaleString('en')} lines/s, ${(size / 1e6 / seconds).toFixed(0)} MB/s`,
  `  RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, ${(peakRss / 2 ** 20).toFixed(0)} MiB peak; output ${outputBytes} chars`,
  `  node ${process.versions.node}${EXTRA.length > 0 ? `, options ${EXTRA.join(' ')}` : ''}`,
  ''
].join('\n'))

/** A few from-log options for URLS_BENCH_ARGS, in the command's argument shape. */
function parseArgs (args) {
  const result = {}
  for (let i = 0; i < args.length; i++) {
    const name = args[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase())
    const next = args[i + 1]
    if (next === undefined || next.startsWith('--')) {
      result[name] = true
    } else {
      result[name] = ['top', 'maxRepeat'].includes(name) ? Number(next) : next
      i++
    }
  }
  return result
}
