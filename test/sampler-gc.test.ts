import t from 'tap'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { flattenNumeric } from '../src/sampler/gc-json.js'
import { GcSampler } from '../src/sampler/gc-sampler.js'
import { parsePrometheusText, selectSeries, seriesKey } from '../src/sampler/prometheus.js'
import type { Cell } from '../src/sampler/types.js'
import { sleep, waitFor } from './fixtures/sampler-helpers.js'
import { ConfigError, PrometheusParseError } from '../src/errors.js'

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
const rubyJson = JSON.parse(fixture('sampler-gc-ruby.json'))
const expvarJson = JSON.parse(fixture('sampler-gc-expvar.json'))
const metricsText = fixture('sampler-gc-metrics.txt')

/** A real HTTP server on 127.0.0.1; `handler` gets the 1-based request number. */
async function serve (t: { teardown(fn: () => unknown): void }, handler: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  let n = 0
  const server = createServer((req, res) => handler(++n, req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/gc`
}

function sendJson (res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value))
}

function cells (sampler: GcSampler, row: Cell[]): Record<string, Cell> {
  return Object.fromEntries(sampler.columns.map((c, i) => [c, row[i]]))
}

t.test('flattens Ruby GC.stat JSON', async (t) => {
  const { values } = flattenNumeric(rubyJson)
  t.equal(values.get('gc.pid'), 4242)
  t.equal(values.get('gc.stat.heap_live_slots'), rubyJson.stat.heap_live_slots)
  t.equal(values.get('gc.stat.old_objects'), rubyJson.stat.old_objects)
  t.equal(values.get('gc.stat_heap.2.slot_size'), 160)
  t.equal(values.get('gc.rss_bytes'), rubyJson.rss_bytes)
  t.notOk(values.has('gc.ruby_version'), 'strings skipped')
  t.notOk([...values.keys()].some((k) => k.startsWith('gc.latest_gc.immediate_sweep')), 'booleans skipped')
})

t.test('flattens Go expvar, skipping long arrays, strings and booleans', async (t) => {
  const { values } = flattenNumeric(expvarJson)
  t.equal(values.get('gc.memstats.HeapAlloc'), 2543216)
  t.equal(values.get('gc.memstats.GCCPUFraction'), 0.00012)
  t.equal(values.get('gc.goroutines'), 42)
  t.equal(values.get('gc.requests.error'), 3)
  const keys = [...values.keys()]
  t.notOk(keys.some((k) => k.includes('PauseNs') || k.includes('PauseEnd') || k.includes('BySize')), 'PauseNs, PauseEnd, BySize skipped')
  t.notOk(keys.some((k) => k.includes('cmdline') || k.includes('EnableGC') || k.includes('DebugGC')))
  t.same(flattenNumeric({ a: [1, 2], b: [1, 2, 3, 4, 5, 6, 7, 8, 9] }).values, new Map([['gc.a.0', 1], ['gc.a.1', 2]]), 'short arrays by index')
  const big = flattenNumeric(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i])), { maxFields: 10 })
  t.equal(big.values.size, 10)
  t.ok(big.truncated)
})

t.test('parses Prometheus text and selects series', async (t) => {
  const parsed = parsePrometheusText(metricsText)
  t.equal(parsed.types.get('nodejs_gc_duration_seconds'), 'histogram')
  const all = selectSeries(parsed)
  t.same([...all.keys()], [
    'gc.process_resident_memory_bytes',
    'gc.nodejs_heap_size_used_bytes',
    'gc.nodejs_heap_space_size_used_bytes{space="old"}',
    'gc.nodejs_heap_space_size_used_bytes{space="new"}',
    'gc.nodejs_heap_space_size_used_bytes{space="code"}',
    'gc.http_requests_total{code="200",path="/a"}',
    'gc.http_requests_total{code="500",path="/say \\"hi\\"\\\\n"}',
    'gc.go_memstats_last_gc_time_seconds',
    'gc.jvm_buffer_pool_used_bytes{pool="direct"}',
  ], 'gauges, counters and untyped; no histogram or summary; labels sorted')
  t.equal(all.get('gc.process_resident_memory_bytes'), 51712000)
  t.equal(all.get('gc.nodejs_heap_size_used_bytes'), 12345678, 'timestamp ignored')
  t.ok(Number.isNaN(all.get('gc.go_memstats_last_gc_time_seconds')))

  const picked = selectSeries(parsed, ['nodejs_heap_space_size_used_bytes', 'nodejs_gc_duration_seconds_sum', 'rpc_latency'])
  t.same([...picked.keys()], [
    'gc.nodejs_heap_space_size_used_bytes{space="old"}',
    'gc.nodejs_heap_space_size_used_bytes{space="new"}',
    'gc.nodejs_heap_space_size_used_bytes{space="code"}',
    'gc.nodejs_gc_duration_seconds_sum{kind="minor"}',
    'gc.rpc_latency{quantile="0.5"}',
    'gc.rpc_latency_sum',
    'gc.rpc_latency_count',
  ], 'a metrics list selects by sample or family name, any type')

  const om = selectSeries(parsePrometheusText(fixture('sampler-gc-openmetrics.txt')))
  t.same([...om.entries()], [['gc.ruby_major_gc_ops_total{pid="1234"}', 17], ['gc.ruby_heap_live_slots{pid="1234"}', 345678]], 'OpenMetrics _total kept, _created dropped')

  t.equal(seriesKey('x', [['b', '1'], ['a', '2']]), 'x{a="2",b="1"}')
  t.throws(() => parsePrometheusText('<html><body>Not here</body></html>'), PrometheusParseError)
  t.throws(() => parsePrometheusText('metric{a="b" 1'), PrometheusParseError)
  t.throws(() => parsePrometheusText('metric 12abc'), PrometheusParseError)
})

t.test('GcSampler over Ruby-like JSON: columns fixed by the first fetch, values refresh, one warning for new keys', async (t) => {
  const url = await serve(t, (n, _req, res) => {
    const doc = structuredClone(rubyJson)
    doc.stat.count = n
    doc.stat.total_allocated_objects += n * 1000
    if (n >= 3) doc.stat.brand_new_key = 1
    if (n >= 4) doc.another_new = { a: 1, b: 2 }
    if (n >= 2) delete doc.stat.compact_count
    sendJson(res, doc)
  })
  const warnings: string[] = []
  const sampler = new GcSampler({ url, interval: 0.05, warn: (m) => warnings.push(m) })
  await sampler.start()
  t.same(sampler.columns.slice(0, 2), ['gc_age_s', 'gc_errors'])
  t.ok(sampler.columns.includes('gc.stat.heap_live_slots'))
  t.ok(sampler.columns.includes('gc.pid'))
  t.ok(sampler.columns.includes('gc.stat.compact_count'))
  const width = sampler.columns.length

  const first = cells(sampler, await sampler.read())
  t.equal(first['gc.stat.count'], 1)
  t.equal(first['gc.pid'], 4242)
  t.equal(first.gc_errors, 0)
  t.ok((first.gc_age_s as number) >= 0 && (first.gc_age_s as number) < 1)

  const later = await waitFor(async () => {
    const c = cells(sampler, await sampler.read())
    return (c['gc.stat.count'] as number) >= 5 && c
  }, undefined, 'five fetches')
  t.equal(sampler.columns.length, width, 'columns never change')
  t.ok((later['gc.stat.total_allocated_objects'] as number) > (first['gc.stat.total_allocated_objects'] as number))
  t.equal(later['gc.stat.compact_count'], undefined, 'a field that went away leaves its cell empty')
  t.equal(warnings.length, 1, 'one warning for all the new fields')
  t.match(warnings[0], /gc\.stat\.brand_new_key/)
  t.notOk(sampler.columns.includes('gc.stat.brand_new_key'))
  await sampler.stop()
})

t.test('GcSampler over Go expvar and Prometheus endpoints', async (t) => {
  const expvarUrl = await serve(t, (n, _req, res) => {
    const doc = structuredClone(expvarJson)
    doc.memstats.NumGC = n
    // Go's expvar answers application/json; this one says nothing, so auto must sniff the body.
    res.writeHead(200).end(JSON.stringify(doc))
  })
  const expvar = new GcSampler({ url: expvarUrl, interval: 10 })
  await expvar.start()
  t.ok(expvar.columns.includes('gc.memstats.HeapInuse'))
  t.notOk(expvar.columns.some((c) => c.includes('PauseNs')))
  t.equal(cells(expvar, await expvar.read())['gc.memstats.NumGC'], 1)
  await expvar.stop()

  const promUrl = await serve(t, (n, _req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    res.end(metricsText.replace('process_resident_memory_bytes 5.1712e+07', `process_resident_memory_bytes ${5e7 + n}`))
  })
  const prom = new GcSampler({ url: promUrl, interval: 0.05, format: 'prometheus', metrics: ['process_resident_memory_bytes', 'nodejs_heap_space_size_used_bytes'] })
  await prom.start()
  t.same(prom.columns, [
    'gc_age_s',
    'gc_errors',
    'gc.process_resident_memory_bytes',
    'gc.nodejs_heap_space_size_used_bytes{space="old"}',
    'gc.nodejs_heap_space_size_used_bytes{space="new"}',
    'gc.nodejs_heap_space_size_used_bytes{space="code"}',
  ])
  t.same((await prom.read()).slice(2), [5e7 + 1, 8000000, 1000000, 700000])
  await waitFor(async () => (cells(prom, await prom.read())['gc.process_resident_memory_bytes'] as number) > 5e7 + 2, undefined, 'a later fetch')
  await prom.stop()

  const auto = new GcSampler({ url: promUrl, interval: 10 })
  await auto.start()
  t.ok(auto.columns.includes('gc.http_requests_total{code="200",path="/a"}'), 'auto picks Prometheus for text/plain')
  const nan = cells(auto, await auto.read())
  t.ok(auto.columns.includes('gc.go_memstats_last_gc_time_seconds'))
  t.equal(nan['gc.go_memstats_last_gc_time_seconds'], undefined, 'NaN is an empty cell')
  await auto.stop()
})

t.test('failed fetches: timeout, garbage, HTTP 500 leave empty cells and count gc_errors; never throw', async (t) => {
  let mode: 'good' | 'hang' | 'garbage' | 'error' = 'good'
  const url = await serve(t, (n, _req, res) => {
    if (mode === 'hang') return // never answers
    if (mode === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>oops</body></html>')
    if (mode === 'error') return void res.writeHead(500).end('boom')
    sendJson(res, { pid: 7, heap: n })
  })
  const warnings: string[] = []
  const sampler = new GcSampler({ url, interval: 0.05, timeout: 0.3, warn: (m) => warnings.push(m) })
  await sampler.start()
  t.same(sampler.columns, ['gc_age_s', 'gc_errors', 'gc.pid', 'gc.heap'])
  t.same((await sampler.read()).slice(1), [0, 7, 1])

  let errors = 0
  for (const failure of ['hang', 'garbage', 'error'] as const) {
    mode = failure
    const row = await waitFor(async () => {
      const r = await sampler.read()
      return (r[1] as number) > errors && r
    }, undefined, failure)
    errors = row[1] as number
    t.same([row[0], row[2], row[3]], [undefined, undefined, undefined], `${failure}: cells and age empty`)
  }
  t.equal(warnings.length, 1, 'failures warn once')
  t.match(warnings[0], /timed out after 300 ms/)

  mode = 'good'
  const recovered = await waitFor(async () => {
    const r = await sampler.read()
    return r[3] !== undefined && r
  }, undefined, 'recovery')
  t.ok((recovered[1] as number) >= 3, 'every failure counted')
  t.equal(recovered[2], 7)
  t.type(recovered[0], 'number')
  await sampler.stop()
})

t.test('a first fetch that fails is a ConfigError from start()', async (t) => {
  const url = await serve(t, (_n, _req, res) => void res.writeHead(404).end('no'))
  await t.rejects(new GcSampler({ url, interval: 1 }).start(), { name: 'ConfigError', message: /sample\.gc: GET .* failed: HTTP 404/ })
  const garbage = await serve(t, (_n, _req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{not json'))
  await t.rejects(new GcSampler({ url: garbage, interval: 1 }).start(), ConfigError)
  const empty = await serve(t, (_n, _req, res) => sendJson(res, { name: 'no numbers here' }))
  await t.rejects(new GcSampler({ url: empty, interval: 1 }).start(), { message: /no numeric fields/ })
  const hang = await serve(t, () => undefined)
  await t.rejects(new GcSampler({ url: hang, interval: 1, timeout: 0.2 }).start(), { message: /timed out/ }, 'its own timeout, not an endless wait')
})

t.test('stop() halts fetching', async (t) => {
  let hits = 0
  const url = await serve(t, (_n, _req, res) => {
    hits++
    sendJson(res, { x: 1 })
  })
  const sampler = new GcSampler({ url, interval: 0.02 })
  await sampler.start()
  await waitFor(() => hits >= 3, 30_000, 'three fetches')
  await sampler.stop()
  const after = hits
  // That nothing more happens takes a span of time to see: seven intervals. A busy machine can
  // only make this pass wrongly, never fail.
  await sleep(150)
  t.equal(hits, after)
  t.same((await sampler.read()).slice(1), [0, 1], 'read after stop still answers')
})
