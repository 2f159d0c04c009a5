/**
 * Real answers of the common GC endpoints (Ruby GC.stat.to_json, prometheus_exporter, Node's
 * process.memoryUsage() and v8.getHeapStatistics(), Go's client_golang, the JVM's Micrometer and
 * simpleclient, Python's prometheus_client), fetched by the GC sampler over HTTP: the meanings
 * it declares, and the series the analysis then lets decide.
 */
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GcSampler } from '../src/sampler/gc-sampler.js'
import { chooseMetrics, isHeapRole } from '../src/analysis/metrics.js'
import { PROC_MEANINGS } from '../src/columns/index.js'

const body = (name: string) => readFileSync(new URL(`./fixtures/gc-shapes/${name}`, import.meta.url), 'utf8')

async function sample (t: Test, name: string): Promise<GcSampler> {
  const text = body(name)
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': name.endsWith('.json') ? 'application/json' : 'text/plain; version=0.0.4' }).end(text))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const sampler = new GcSampler({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, interval: 60 })
  t.teardown(async () => {
    await sampler.stop()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  await sampler.start()
  return sampler
}

const PROC = Object.keys(PROC_MEANINGS)

/** The deciding metrics and what was recognised, as the analysis sees the run's header. */
function choice (sampler: GcSampler) {
  const header = ['time', 'elapsed_s', 'requests', ...PROC, ...sampler.columns]
  const { metrics, recognised } = chooseMetrics(header, undefined, { recorded: { ...PROC_MEANINGS, ...sampler.meanings } })
  return {
    deciding: metrics.filter((m) => m.decides).map((m) => m.column),
    counter: metrics.find((m) => m.decides && isHeapRole(m.role))?.majorCounter,
    recognised: recognised.map((r) => `${r.role}: ${r.column} (${r.source})`),
  }
}

t.test('Ruby: plain GC.stat.to_json decides like the probe', async (t) => {
  const s = await sample(t, 'ruby-gc-stat.json')
  t.same(s.meanings['gc.old_objects'], { runtime: 'ruby', role: 'old-generation', unit: 'objects', source: 'Ruby GC.stat' })
  const c = choice(s)
  t.same(c.deciding, ['rss_anon_bytes', 'threads', 'gc.old_objects'])
  t.equal(c.counter, 'gc.major_gc_count')
  t.ok(c.recognised.includes('old-generation: gc.old_objects (Ruby GC.stat)'))
})

t.test('Ruby: prometheus_exporter', async (t) => {
  const s = await sample(t, 'ruby-prometheus-exporter.txt')
  const c = choice(s)
  t.same(c.deciding, ['rss_anon_bytes', 'threads', 'gc.ruby_heap_live_slots{pid="4242",type="web"}'])
  t.equal(c.counter, 'gc.ruby_major_gc_ops_total{pid="4242",type="web"}')
  t.equal(s.meanings['gc.ruby_rss{pid="4242",type="web"}'].unit, 'bytes')
})

t.test('Node: process.memoryUsage() and v8.getHeapStatistics() as plain JSON', async (t) => {
  const s = await sample(t, 'node-plain.json')
  t.same(choice(s).deciding, ['rss_anon_bytes', 'threads', 'gc.heapUsed'])
  t.equal(s.meanings['gc.heap.used_heap_size'].role, 'heap-live')
  t.equal(s.meanings['gc.rss'].role, 'rss')
})

t.test('Go: client_golang', async (t) => {
  const s = await sample(t, 'go-client.txt')
  t.same(choice(s).deciding, ['rss_anon_bytes', 'threads', 'gc.go_goroutines', 'gc.go_memstats_heap_alloc_bytes'], 'goroutines decide: a goroutine leak leaves the OS threads flat')
  t.same(s.meanings['gc.go_goroutines'], { runtime: 'go', role: 'threads', unit: 'threads', source: 'Go Prometheus client' })
  t.same(s.meanings['gc.process_resident_memory_bytes'], { runtime: 'go', role: 'rss', unit: 'bytes', source: 'Prometheus process collector' })
})

t.test('JVM: Micrometer and simpleclient', async (t) => {
  const micrometer = await sample(t, 'jvm-micrometer.txt')
  t.same(choice(micrometer).deciding, ['rss_anon_bytes', 'threads', 'gc.jvm_memory_used_bytes{area="heap",id="G1 Old Gen"}'])
  t.equal(micrometer.meanings['gc.jvm_threads_live_threads'].role, 'threads')
  const simple = await sample(t, 'jvm-simpleclient.txt')
  t.same(choice(simple).deciding, ['rss_anon_bytes', 'threads', 'gc.jvm_memory_bytes_used{area="heap"}'])
  t.equal(simple.meanings['gc.jvm_threads_current'].unit, 'threads')
})

t.test('Python: prometheus_client', async (t) => {
  const s = await sample(t, 'python-client.txt')
  t.same(choice(s).deciding, ['rss_anon_bytes', 'threads'], 'no live-heap figure: RSS decides')
  t.same(s.meanings['gc.python_gc_collections_total{generation="2"}'], { runtime: 'python', role: 'major-gc-count', unit: 'count', source: 'Python prometheus_client' })
  t.equal(s.meanings['gc.python_gc_objects_collected_total{generation="0"}'].unit, 'objects')
  t.equal(s.meanings['gc.process_resident_memory_bytes'].runtime, 'python')
})
