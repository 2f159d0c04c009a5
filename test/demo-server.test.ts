import t from 'tap'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { request } from 'undici'
import { CACHE_ENTRIES, startDemoServer } from '../src/demo/server.js'
import { gcStats, probeMiddleware, startProbeServer } from '../src/probe/index.js'
import { get, killGroup, repoRoot, spawnWithLine } from './fixtures/sampler-helpers.js'
import { spawn } from 'node:child_process'

t.test('routes of the in-process demo', async (t) => {
  const demo = await startDemoServer(0)
  t.teardown(() => demo.close())
  t.match(demo.url, /^http:\/\/127\.0\.0\.1:\d+$/)

  t.match(JSON.parse((await get(`${demo.url}/flat`)).body), { ok: true, bytes: 10240 })
  t.match(JSON.parse((await get(`${demo.url}/leak`)).body), { leaked: 1 })
  t.match(JSON.parse((await get(`${demo.url}/leak`)).body), { leaked: 2 })

  // The cache grows to its bound, then stays there.
  let size = 0
  for (let i = 0; i < CACHE_ENTRIES + 100; i++) size = JSON.parse((await get(`${demo.url}/cache?key=k${i}`)).body).size
  t.equal(size, CACHE_ENTRIES)
  t.equal(JSON.parse((await get(`${demo.url}/cache?key=k${CACHE_ENTRIES + 50}`)).body).size, CACHE_ENTRIES, 'a hit keeps the size')

  const echo = await request(`${demo.url}/echo`, { method: 'POST', body: Buffer.alloc(12345, 1) })
  t.same(await echo.body.json(), { bytes: 12345 })

  const stats = JSON.parse((await get(`${demo.url}/stats`)).body)
  t.equal(stats.pid, process.pid)
  t.type(stats.memoryUsage.heapUsed, 'number')
  t.type(stats.heap.used_heap_size, 'number')
  t.equal(stats.cached, CACHE_ENTRIES)

  const probe = JSON.parse((await get(`${demo.url}/__memsiege/gc`)).body)
  t.equal(probe.pid, process.pid)
  t.equal((await get(`${demo.url}/nope`)).status, 404)
})

t.test('the CLI prints its URL; /leak retains ~10 KB per request', async (t) => {
  const { child, line } = await spawnWithLine(process.execPath, ['dist/demo/server.js', '--port', '0'], { cwd: repoRoot })
  t.teardown(() => killGroup(child))
  const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line)
  t.ok(m, line)
  const url = m![1]!
  const heapUsed = async () => JSON.parse((await get(`${url}/stats`)).body).memoryUsage.heapUsed as number

  for (let i = 0; i < 200; i++) await get(`${url}/flat`) // warm up the code paths first
  const before = await heapUsed()
  for (let i = 0; i < 2000; i++) await get(`${url}/leak`)
  const after = await heapUsed()
  // heapUsed counts garbage not yet collected on both sides (up to a young generation's worth, more
  // on a busy machine), so only a good part of the 20 MB kept is sure to show; `leaked` is the exact check.
  t.ok(after - before > 8e6, `2000 × 10 KB retained (heapUsed +${Math.round((after - before) / 1e6)} MB)`)
  t.equal(JSON.parse((await get(`${url}/stats`)).body).leaked, 2000)
})

t.test('the CLI rejects a bad port', async (t) => {
  const child = spawn(process.execPath, ['dist/demo/server.js', '--port', 'abc'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d))
  const code = await new Promise((resolve) => child.once('exit', resolve))
  t.equal(code, 2)
  t.match(stderr, /--port wants 0\.\.65535/)
})

t.test('Node probe: gcStats shape', async (t) => {
  const s = gcStats()
  t.equal(s.pid, process.pid)
  t.ok(s.rss_bytes > 0)
  t.type(s.memoryUsage.heapUsed, 'number')
  t.type(s.heap.heap_size_limit, 'number')
  t.type(s.heap_spaces.old_space?.space_used_size, 'number')
  t.same(Object.keys(s.gc_count).sort(), ['incremental', 'major', 'minor', 'total', 'weakcb'])
  // Allocate until the observer has seen a collection.
  let junk: unknown[] = []
  for (let round = 0; round < 50 && gcStats().gc_count.total === 0; round++) {
    for (let i = 0; i < 100_000; i++) junk.push({ i })
    junk = []
    await new Promise((resolve) => setImmediate(resolve))
  }
  const after = gcStats()
  t.ok(after.gc_count.total > 0, 'gc counted')
  t.ok(after.gc_pause_ms.total > 0, 'pause summed')
  t.equal(after.gc_count.total, after.gc_count.minor + after.gc_count.major + after.gc_count.incremental + after.gc_count.weakcb)
})

t.test('Node probe: loopback only unless allowed; passes other requests on', async (t) => {
  const server = await startProbeServer({ port: 0 })
  t.teardown(() => server.close())
  t.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/__memsiege\/gc$/)
  const res = await request(server.url)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], 'application/json')
  t.equal(((await res.body.json()) as { pid: number }).pid, process.pid)
  t.equal((await get(server.url.replace('/__memsiege/gc', '/other'))).status, 404)
  const head = await request(server.url, { method: 'HEAD' })
  t.equal(head.statusCode, 200)
  t.equal(await head.body.text(), '')

  // A request as a remote client would make it: only the socket address differs.
  const fake = (remoteAddress: string, url = '/__memsiege/gc?x=1') => {
    const written: unknown[] = []
    const req = { method: 'GET', url, socket: { remoteAddress } } as unknown as IncomingMessage
    const res = { writeHead: () => res, end: (b: unknown) => written.push(b) } as unknown as ServerResponse
    return { req, res, written }
  }
  const probe = probeMiddleware()
  let nexts = 0
  const remote = fake('10.1.2.3')
  t.equal(probe(remote.req, remote.res, () => nexts++), false)
  t.equal(nexts, 1, 'next() called for a client not allowed')
  t.equal(remote.written.length, 0)
  for (const addr of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
    const local = fake(addr)
    t.equal(probe(local.req, local.res), true, addr)
  }
  const other = fake('127.0.0.1', '/app')
  t.equal(probe(other.req, other.res), false, 'other paths pass')
  const allowing = probeMiddleware({ allow: ['10.1.2.3'] })
  t.equal(allowing(remote.req, remote.res), true, 'allow list')
  t.equal(probeMiddleware({ allow: ['*'] })(fake('192.0.2.9').req, fake('192.0.2.9').res), true, '* allows anyone')
  // A Unix socket's client has no address.
  const unix = fake(undefined as unknown as string)
  t.equal(probe(unix.req, unix.res), false, 'a Unix socket client is refused by default')
  t.equal(probeMiddleware({ allow: ['*'] })(unix.req, unix.res), true, '* allows a Unix socket client too')
})
