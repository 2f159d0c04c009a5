// `memsiege urls from-log` on logs written by a real nginx (Debian nginx-light), and the round
// trip: the imported list, replayed by `memsiege -f`, gives nginx the requests its log recorded.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { urlsFromLogCommand, type UrlsFromLogArgs } from '../src/commands/urls.js'
import { escapeRequestTarget } from '../src/scenario/urlfile/escape.js'
import { readUrlFile } from '../src/scenario/urlfile/parse.js'
import { runCli } from './helpers/cli.js'
import { NGINX, nginxConf } from './helpers/nginx.js'
import { countsRows, memoryIo } from './helpers/urls.js'
import { waitFor } from './helpers/wait.js'
import { freePort } from '../src/target/free-port.js'

const skip = existsSync(NGINX) ? false : `${NGINX} not found (Debian package nginx-light; .ci/run installs it)`

interface Sent { method: string; path: string; body?: string; status: number }

// The fixed traffic: counts small enough for --weighted to reproduce exactly.
const TRAFFIC: Sent[] = []
function send (n: number, method: string, path: string, status = 200, body?: string): void {
  for (let i = 0; i < n; i++) TRAFFIC.push({ method, path, status, ...(body === undefined ? {} : { body }) })
}
send(6, 'GET', '/api/Ping')
send(4, 'GET', '/api/Customers?page=1&pageSize=50&sort=Name')
send(3, 'POST', '/api/Orders', 200, '{"customerId":42}')
send(2, 'GET', '/api/Customers/42')
send(2, 'DELETE', '/api/Orders/1001')
send(2, 'GET', '/missing/page', 404)
send(1, 'HEAD', '/api/Ping')
send(1, 'PUT', '/api/Customers/42', 200, 'name=Contoso')
send(1, 'OPTIONS', '/api/Items')
send(1, 'GET', '/price$5/%7Euser?q=a%20b&x=%24')
send(1, 'GET', '/quote"d/back\\slash')
// Interleaved as real traffic is.
const ORDER = TRAFFIC.map((s, i) => ({ s, k: (i * 7) % TRAFFIC.length })).sort((a, b) => a.k - b.k).map((x) => x.s)

/** A request line as nginx logs it, the way a server reads it: `\xHH` and `%HH` are the same byte. */
function normalTarget (target: string): string {
  return target.replace(/\\x([0-9A-Fa-f]{2})/g, (_, h: string) => `%${h.toUpperCase()}`)
}

/** [method, target, status] of every line of a combined log, read with a plain regex (not memsiege's parser). */
function logged (file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
    const m = /"([A-Z]+) (\S+) HTTP\/1\.1" (\d{3}) /.exec(line)
    if (m === null) throw new Error(`unexpected log line: ${line}`)
    return `${m[1]} ${normalTarget(m[2])} ${m[3]}`
  }).sort()
}

interface Nginx {
  port: number
  prefix: string
  accessLog: string
  jsonLog: string
  syslog: string[]
  reopenLogs (): void
  stop (): Promise<void>
}

async function startNginx (): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'memsiege-urls-nginx-'))
  const port = await freePort()
  const syslog: string[] = []
  const udp = createSocket('udp4')
  udp.on('message', (message) => syslog.push(message.toString('utf8')))
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve))
  const syslogPort = udp.address().port
  const conf = join(prefix, 'nginx.conf')
  writeFileSync(conf, nginxConf(prefix, [
    'log_format memsiege_json escape=json \'{"time":"$time_iso8601","method":"$request_method","uri":"$request_uri","status":$status,"bytes":$body_bytes_sent}\';',
    `access_log ${prefix}/access.log combined;`,
    `access_log ${prefix}/access.json memsiege_json;`,
    `access_log syslog:server=127.0.0.1:${syslogPort},tag=nginx combined;`,
    'server {',
    `  listen 127.0.0.1:${port};`,
    '  location / { return 200 "ok\\n"; }',
    '  location /missing/ { return 404; }',
    '}',
  ]))
  const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => { stderr += d })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(killer)
    }
    udp.close()
    rmSync(prefix, { recursive: true, force: true })
  }
  let probes = 0
  const lines = (file: string) => { try { return readFileSync(file, 'utf8').split('\n').length - 1 } catch { return 0 } }
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr}`)
      const status = await get(port, '/api/Ready')
      if (status !== 0) probes++
      return status === 200
    }, 60_000, `nginx to answer (${stderr})`)
    // The readiness probes are not part of the traffic. nginx logs a request after its response
    // has gone out: wait for every answered probe's line in the three logs before emptying them.
    await waitFor(() => lines(join(prefix, 'access.log')) >= probes && lines(join(prefix, 'access.json')) >= probes && syslog.length >= probes, 30_000, 'the probes in the logs')
  } catch (err) {
    await stop()
    throw err
  }
  writeFileSync(join(prefix, 'access.log'), '')
  writeFileSync(join(prefix, 'access.json'), '')
  syslog.length = 0
  return {
    port,
    prefix,
    accessLog: join(prefix, 'access.log'),
    jsonLog: join(prefix, 'access.json'),
    syslog,
    reopenLogs: () => { child.kill('SIGUSR1') },
    stop
  }
}

function get (port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', () => resolve(0))
    req.end()
  })
}

async function drive (port: number, traffic: Sent[]): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  for (const s of traffic) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: s.method, path: s.path, agent, headers: s.body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.end(s.body)
    })
    if (status !== s.status) throw new Error(`${s.method} ${s.path}: ${status}, expected ${s.status}`)
  }
  agent.destroy()
}

async function fromLog (args: Partial<UrlsFromLogArgs> & { files: string[] }) {
  const memory = memoryIo()
  const status = await urlsFromLogCommand(args, memory.io)
  return { status, stdout: memory.stdout(), stderr: memory.stderr() }
}

/** The count table the traffic should give, as [count, method, target]. */
function expectedRows (): Array<[number, string, string]> {
  const counts = new Map<string, number>()
  for (const s of ORDER) counts.set(`${s.method} ${s.path}`, (counts.get(`${s.method} ${s.path}`) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => {
    const [method, path] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)]
    // nginx logs `"` and `\` as \x22 and \x5C; the import writes them as %22 and %5C.
    return [n, method, path.replace(/"/g, '%22').replace(/\\/g, '%5C')]
  })
}

t.test('a real nginx: its combined, JSON and syslog logs are imported to the requests and counts sent', { skip }, async (t) => {
  const nginx = await startNginx()
  t.teardown(() => nginx.stop())
  await drive(nginx.port, ORDER)
  await waitFor(() => nginx.syslog.length >= ORDER.length, 30_000, 'a syslog message per request').catch(() => {})
  t.equal(nginx.syslog.length, ORDER.length, 'one syslog message per request')
  const syslogFile = join(nginx.prefix, 'syslog.log')
  writeFileSync(syslogFile, nginx.syslog.join('\n') + '\n')
  t.match(nginx.syslog[0], /^<\d+>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ nginx: 127\.0\.0\.1 - - \[/, 'nginx sends RFC 3164 syslog')
  t.match(readFileSync(nginx.accessLog, 'utf8'), /\\x22/, 'nginx escapes " as \\x22 in its log')

  const expected = expectedRows()
  for (const [file, format] of [[nginx.accessLog, 'combined'], [nginx.jsonLog, 'json'], [syslogFile, 'syslog']]) {
    const r = await fromLog({ files: [file], counts: true })
    t.equal(r.status, 0, r.stderr)
    t.match(r.stderr, `: ${format}, ${ORDER.length} lines, ${ORDER.length} requests\n`, `detected as ${format}`)
    const rows = countsRows(r.stdout)
    // The JSON log has $request_uri raw: `"` and `\` as sent, which the list escapes to the same %22 and %5C.
    t.same(rows.map(([n, m, u]) => [n, m, u.replace(/"/g, '%22').replace(/\\/g, '%5C')]), expected, `${format}: the counts of the traffic`)
  }

  // The list, read back by memsiege's URL-file reader, names every request sent.
  const out = join(nginx.prefix, 'urls.txt')
  const list = await fromLog({ files: [nginx.accessLog], out, base: `http://127.0.0.1:${nginx.port}` })
  t.equal(list.status, 0, list.stderr)
  const text = readFileSync(out, 'utf8')
  t.match(text, /^# POST, PUT and PATCH lines have empty bodies/m)
  t.match(text, /\/price\\\$5\/%7Euser\?q=a%20b&x=%24$/m, '$ escaped for the URL-file reader')
  // GET lines go through siege's URL escaping, which sends %24 as $ (siege does the same).
  const entries = readUrlFile(out, {}).entries
  t.same(entries.map((e) => `${e.method} ${new URL(e.url).pathname}${new URL(e.url).search}`),
    expected.map(([, m, u]) => `${m} ${m === 'GET' ? escapeRequestTarget(u) : u}`))
  t.same(entries.filter((e) => e.method === 'POST' || e.method === 'PUT').map((e) => e.body?.length), [0, 0], 'log-imported bodies are empty')
  t.same(countsRows((await fromLog({ files: [nginx.accessLog], counts: true, status: '2xx', exclude: 'Ping' })).stdout),
    expected.filter(([, , u]) => !u.includes('Ping') && !u.startsWith('/missing')), '--status 2xx --exclude Ping')
})

t.test('round trip: the imported list replayed by memsiege gives nginx the requests its log recorded', { skip }, async (t) => {
  const nginx = await startNginx()
  t.teardown(() => nginx.stop())
  await drive(nginx.port, ORDER)
  const out = join(nginx.prefix, 'replay.txt')
  const imported = await fromLog({ files: [nginx.accessLog], out, base: `http://127.0.0.1:${nginx.port}`, weighted: true })
  t.equal(imported.status, 0, imported.stderr)
  const lines = readFileSync(out, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'))
  t.equal(lines.length, ORDER.length, '--weighted: one line per request recorded')

  // Start a second log: the first one is kept as first.log.
  const first = join(nginx.prefix, 'first.log')
  renameSync(nginx.accessLog, first)
  nginx.reopenLogs()
  await waitFor(() => existsSync(nginx.accessLog), 30_000, 'nginx to reopen its log').catch(() => {})
  t.ok(existsSync(nginx.accessLog), 'nginx reopened its log on SIGUSR1')

  const run = await runCli(['-c', '1', '-r', String(lines.length), '-q', '--out', join(nginx.prefix, 'results'), '-f', out], { timeoutMs: 25_000 })
  t.equal(run.status, 0, run.stderr)
  const before = logged(first)
  const after = logged(nginx.accessLog)
  t.equal(after.length, ORDER.length)
  // As siege does, memsiege decodes %XX escapes of characters that need none in GET URLs: %24 is sent as $.
  const asSiegeSends = (line: string) => {
    const [method, target, status] = line.split(' ')
    return `${method} ${method === 'GET' ? escapeRequestTarget(target) : target} ${status}`
  }
  t.same(after, before.map(asSiegeSends).sort(), 'the same methods, targets and statuses, as often')
  t.same(before.filter((line, i) => line !== before.map(asSiegeSends)[i]), ['GET /price$5/%7Euser?q=a%20b&x=%24 200'], 'only %24 differs on the wire')
})
