import t, { type Test } from 'tap'
import { headerMeanings, readRecorded, recognise, recordable, unitOf, type Role, type Runtime, type Unit } from '../src/columns/index.js'
import { chooseMetrics, isHeapRole } from '../src/analysis/metrics.js'

const is = (t: Test, column: string, runtime: Runtime, role: Role, unit: Unit, header: string[] = []) => {
  const m = recognise(column, new Set(header))
  t.same({ runtime: m.runtime, role: m.role, unit: m.unit }, { runtime, role, unit }, column)
}

t.test('units the three old guesses disagreed on', async (t) => {
  // Each was answered differently by analysis/metrics.ts, the reports' units and bisect.
  t.equal(unitOf('gc.go_goroutines'), 'threads', 'goroutines are threads (were threads or count)')
  t.equal(unitOf('gc.memstats.Sys'), 'bytes', 'memstats.Sys is bytes (was bytes or count)')
  t.equal(unitOf('gc.process_resident_memory_bytes'), 'bytes', 'process_resident_memory_bytes (was count or bytes)')
  t.equal(unitOf('gc.memstats.HeapObjects'), 'objects')
  t.equal(unitOf('gc.stat.heap_live_slots'), 'slots')
  t.equal(unitOf('gc.memoryUsage.heapUsed'), 'bytes')
  t.equal(unitOf('p99_ms'), 'ms')
  t.equal(unitOf('rps'), 'req/s')
  t.equal(unitOf('cpu_percent'), '%')
  t.equal(unitOf('procs'), 'count', 'processes are counted, not threads')
  t.equal(unitOf('bytes'), 'bytes', 'the load column of bytes received')
  t.equal(unitOf('gc.stat.total_allocated_objects'), 'objects')
  t.equal(unitOf('gc.memstats.NumGC'), 'count')
})

t.test('Ruby GC.stat in every shape', async (t) => {
  for (const prefix of ['gc.', 'gc.stat.', 'gc.foo.', 'gc.a.b.']) {
    is(t, `${prefix}old_objects`, 'ruby', 'old-generation', 'objects')
    is(t, `${prefix}heap_live_slots`, 'ruby', 'heap-live', 'slots')
    is(t, `${prefix}major_gc_count`, 'ruby', 'major-gc-count', 'count')
    is(t, `${prefix}heap_allocated_pages`, 'ruby', 'heap-size', 'pages')
  }
  is(t, 'gc.ruby_heap_live_slots{type="web",pid="1"}', 'ruby', 'heap-live', 'slots')
  is(t, 'gc.ruby_major_gc_ops_total{type="web",pid="1"}', 'ruby', 'major-gc-count', 'count')
  is(t, 'gc.ruby_rss{type="web",pid="1"}', 'ruby', 'rss', 'bytes')
  is(t, 'gc.ruby_heap_live_slots', 'ruby', 'heap-live', 'slots')
  is(t, 'gc.gc_old_objects', 'ruby', 'old-generation', 'objects')
  is(t, 'gc.gc_major_gc_count_total', 'ruby', 'major-gc-count', 'count')
  t.equal(recognise('gc.old_objects').source, 'Ruby GC.stat')
  t.equal(recognise('gc.ruby_heap_live_slots{type="web"}').source, 'Ruby prometheus_exporter')
})

t.test('Node, Go, JVM and Python shapes', async (t) => {
  is(t, 'gc.memoryUsage.heapUsed', 'node', 'heap-live', 'bytes')
  is(t, 'gc.heapUsed', 'node', 'heap-live', 'bytes')
  is(t, 'gc.rss', 'node', 'rss', 'bytes', ['gc.rss', 'gc.heapUsed'])
  is(t, 'gc.used_heap_size', 'node', 'heap-live', 'bytes')
  is(t, 'gc.heap.total_physical_size', 'node', 'heap-size', 'bytes')
  is(t, 'gc.heap_spaces.old_space.space_used_size', 'node', 'old-generation', 'bytes')
  is(t, 'gc.gc_count.major', 'node', 'major-gc-count', 'count')
  is(t, 'gc.nodejs_heap_size_used_bytes', 'node', 'heap-live', 'bytes')
  is(t, 'gc.nodejs_heap_space_size_used_bytes{space="old"}', 'node', 'old-generation', 'bytes')
  is(t, 'gc.nodejs_heap_space_size_used_bytes{space="new"}', 'node', 'other', 'bytes')
  is(t, 'gc.memstats.HeapAlloc', 'go', 'heap-live', 'bytes')
  is(t, 'gc.memstats.NumGC', 'go', 'major-gc-count', 'count')
  is(t, 'gc.go_memstats_heap_alloc_bytes', 'go', 'heap-live', 'bytes')
  is(t, 'gc.go_goroutines', 'go', 'threads', 'threads')
  is(t, 'gc.goroutines', 'go', 'threads', 'threads', ['gc.memstats.HeapAlloc'])
  is(t, 'gc.jvm_memory_used_bytes{area="heap"}', 'jvm', 'heap-live', 'bytes')
  is(t, 'gc.jvm_memory_used_bytes{area="heap",id="G1 Old Gen"}', 'jvm', 'old-generation', 'bytes')
  is(t, 'gc.jvm_memory_used_bytes{area="nonheap"}', 'jvm', 'other', 'bytes')
  is(t, 'gc.jvm_threads_current', 'jvm', 'threads', 'threads')
  is(t, 'gc.process_resident_memory_bytes', 'python', 'rss', 'bytes', ['gc.process_resident_memory_bytes', 'gc.python_gc_objects_collected_total{generation="0"}'])
  is(t, 'gc.python_gc_objects_collected_total{generation="0"}', 'python', 'other', 'objects')
  is(t, 'gc.python_gc_collections_total{generation="2"}', 'python', 'major-gc-count', 'count')
})

const base = ['time', 'elapsed_s', 'requests', 'rss_bytes', 'rss_anon_bytes', 'pss_bytes', 'threads', 'procs', 'gc_age_s', 'gc_errors']
const deciding = (header: string[], declared?: Record<string, Role>) => chooseMetrics(header, undefined, { declared }).metrics.filter((m) => m.decides).map((m) => m.column)

t.test('the deciding series are chosen by role, whatever the shape', async (t) => {
  const probe = chooseMetrics([...base, 'gc.stat.old_objects', 'gc.stat.old_objects_limit', 'gc.stat.heap_live_slots', 'gc.stat.major_gc_count'])
  const plain = chooseMetrics([...base, 'gc.old_objects', 'gc.old_objects_limit', 'gc.heap_live_slots', 'gc.major_gc_count'])
  const strip = (m: { column: string }) => ({ ...m, column: m.column.replace('gc.stat.', 'gc.') })
  t.same(plain.metrics, probe.metrics.map((m) => ({ ...strip(m), ...(m.majorCounter ? { majorCounter: m.majorCounter.replace('gc.stat.', 'gc.') } : {}), ...(m.limit ? { limit: m.limit.replace('gc.stat.', 'gc.') } : {}) })), 'plain GC.stat is analysed exactly like the probe\'s gc.stat.*')
  const old = plain.metrics.find((m) => m.column === 'gc.old_objects')!
  t.ok(old.decides && old.promotionBiased, 'old_objects decides, and rises between major GCs without a leak')
  t.equal(old.majorCounter, 'gc.major_gc_count')
  t.equal(old.limit, 'gc.old_objects_limit')
  t.same(plain.recognised.map((r) => `${r.role}: ${r.column} (${r.source})`), [
    'old-generation: gc.old_objects (Ruby GC.stat)',
    'major-gc-count: gc.major_gc_count (Ruby GC.stat)',
    'heap-live: gc.heap_live_slots (Ruby GC.stat)',
  ])

  const exporter = [...base, 'gc.ruby_heap_live_slots{type="web"}', 'gc.ruby_major_gc_ops_total{type="web"}', 'gc.ruby_rss{type="web"}']
  t.same(deciding(exporter), ['rss_anon_bytes', 'threads', 'gc.ruby_heap_live_slots{type="web"}'], 'prometheus_exporter: the live slots decide')
  t.equal(chooseMetrics(exporter).metrics.find((m) => m.decides && isHeapRole(m.role))!.majorCounter, 'gc.ruby_major_gc_ops_total{type="web"}')
  t.same(deciding([...base, 'gc.go_goroutines', 'gc.go_memstats_heap_alloc_bytes']), ['rss_anon_bytes', 'threads', 'gc.go_goroutines', 'gc.go_memstats_heap_alloc_bytes'], 'Go: goroutines are its thread leak')
  t.same(deciding([...base, 'gc.memstats.HeapAlloc', 'gc.memstats.NumGC']), ['rss_anon_bytes', 'threads', 'gc.memstats.HeapAlloc'])
  t.same(deciding([...base, 'gc.jvm_memory_used_bytes{area="heap"}', 'gc.jvm_threads_current']), ['rss_anon_bytes', 'threads', 'gc.jvm_memory_used_bytes{area="heap"}'])
  t.same(deciding([...base, 'gc.nodejs_heap_size_used_bytes', 'gc.nodejs_heap_space_size_used_bytes{space="old"}']), ['rss_anon_bytes', 'threads', 'gc.nodejs_heap_size_used_bytes'])
  t.same(deciding(['time', 'elapsed_s', 'requests', 'gc.ruby_rss{type="web"}']), ['gc.ruby_rss{type="web"}'], 'no target process: the app\'s own RSS')
})

t.test('analysis.columns says what an unusual name means', async (t) => {
  const header = [...base, 'gc.my_heap', 'gc.app.gcs', 'gc.stat.old_objects']
  t.same(deciding(header, { 'gc.my_heap': 'old-generation' }), ['rss_anon_bytes', 'threads', 'gc.my_heap'], 'a declared series comes first')
  t.same(deciding([...base, 'gc.workers'], { 'gc.workers': 'threads' }), ['rss_anon_bytes', 'threads', 'gc.workers'])
  const m = headerMeanings(header, { declared: { 'gc.my_heap': 'old-generation' } }).get('gc.my_heap')!
  t.equal(m.source, 'analysis.columns')
})

t.test('summary.json columns: recorded meanings win over names; damaged ones are ignored', async (t) => {
  const header = [...base, 'gc.weird']
  const recorded = recordable(headerMeanings(header))
  t.same(recorded['rss_bytes'], { runtime: 'os', role: 'rss', unit: 'bytes', source: '/proc' })
  recorded['gc.weird'] = { runtime: 'go', role: 'heap-live', unit: 'bytes' }
  t.same(readRecorded(JSON.parse(JSON.stringify(recorded))), recorded)
  t.equal(headerMeanings(header, { recorded }).get('gc.weird')!.role, 'heap-live')
  t.equal(readRecorded({ rss_bytes: { runtime: 'os', role: 'nonsense', unit: 'bytes' } }), undefined)
  t.equal(readRecorded('nope'), undefined)
})
