/**
 * What a GC column means, recognised from its name: the shapes runtimes and their exporters
 * commonly publish. A GC endpoint's JSON is flattened to `gc.<dotted.path>` and a Prometheus
 * series becomes `gc.<name>{labels}` (src/sampler/gc-json.ts, prometheus.ts), so the same
 * figure arrives under many names: Ruby's old_objects as `gc.old_objects` (plain GC.stat),
 * `gc.stat.old_objects` (the probe) or `gc.foo.old_objects` (nested under any key).
 */
import type { ColumnMeaning, Role, Runtime, Unit } from './meaning.js'
import { FIXED_MEANINGS } from './fixed.js'

/** A recognised column, with what the analysis needs to choose among series of one role. */
export interface Recognised extends ColumnMeaning {
  /**
   * A candidate to decide the verdict for its question (is the heap retaining? are threads
   * piling up?): the lowest rank in a header decides. More than one per question would only
   * add chances of a false alarm.
   */
  rank?: number
  /** Analysed and reported even when another series answers its question. */
  reported?: boolean
  /**
   * Rises between major GCs even without a leak (Ruby's old_objects and live slots: every
   * promoted object counts until a major GC frees the dead ones).
   */
  promotionBiased?: boolean
}

type Rule = [Role, Unit, Omit<Recognised, 'role' | 'unit' | 'runtime' | 'source'>?]

/** GC.stat's keys (Ruby 2.1 to 3.3). */
const RUBY_STAT: Record<string, Rule> = {
  old_objects: ['old-generation', 'objects', { rank: 20, promotionBiased: true }],
  heap_live_slots: ['heap-live', 'slots', { rank: 90, reported: true, promotionBiased: true }],
  heap_allocated_pages: ['heap-size', 'pages', { reported: true }],
  major_gc_count: ['major-gc-count', 'count'],
  minor_gc_count: ['other', 'count'],
  heap_sorted_length: ['other', 'pages'],
  heap_allocatable_pages: ['other', 'pages'],
  heap_eden_pages: ['other', 'pages'],
  heap_tomb_pages: ['other', 'pages'],
  total_allocated_pages: ['other', 'pages'],
  total_freed_pages: ['other', 'pages'],
  heap_available_slots: ['other', 'slots'],
  heap_free_slots: ['other', 'slots'],
  heap_final_slots: ['other', 'slots'],
  heap_marked_slots: ['other', 'slots'],
  total_allocated_objects: ['other', 'objects'],
  total_freed_objects: ['other', 'objects'],
  old_objects_limit: ['other', 'objects'],
  remembered_wb_unprotected_objects: ['other', 'objects'],
  remembered_wb_unprotected_objects_limit: ['other', 'objects'],
  malloc_increase_bytes: ['other', 'bytes'],
  malloc_increase_bytes_limit: ['other', 'bytes'],
  oldmalloc_increase_bytes: ['other', 'bytes'],
  oldmalloc_increase_bytes_limit: ['other', 'bytes'],
}

/** Node's process.memoryUsage(). */
const NODE_MEMORY_USAGE: Record<string, Rule> = {
  heapUsed: ['heap-live', 'bytes', { rank: 10 }],
  heapTotal: ['heap-size', 'bytes'],
  rss: ['rss', 'bytes'],
  external: ['other', 'bytes'],
  arrayBuffers: ['other', 'bytes'],
}

/** Node's v8.getHeapStatistics(). */
const V8_HEAP: Record<string, Rule> = {
  used_heap_size: ['heap-live', 'bytes', { rank: 60 }],
  total_heap_size: ['heap-size', 'bytes'],
  total_physical_size: ['heap-size', 'bytes'],
  total_heap_size_executable: ['other', 'bytes'],
  total_available_size: ['other', 'bytes'],
  heap_size_limit: ['other', 'bytes'],
  malloced_memory: ['other', 'bytes'],
  peak_malloced_memory: ['other', 'bytes'],
  external_memory: ['other', 'bytes'],
  total_global_handles_size: ['other', 'bytes'],
  used_global_handles_size: ['other', 'bytes'],
  does_zap_garbage: ['other', 'count'],
  number_of_native_contexts: ['other', 'count'],
  number_of_detached_contexts: ['other', 'count'],
}

/** Go's runtime.MemStats, as expvar publishes it under `memstats`. */
const GO_MEMSTATS: Record<string, Rule> = {
  HeapAlloc: ['heap-live', 'bytes', { rank: 30 }],
  HeapObjects: ['heap-live', 'objects'],
  HeapSys: ['heap-size', 'bytes'],
  NumGC: ['major-gc-count', 'count'],
  Mallocs: ['other', 'objects'],
  Frees: ['other', 'objects'],
}
const GO_BYTES = new Set(['Alloc', 'TotalAlloc', 'Sys', 'HeapIdle', 'HeapInuse', 'HeapReleased', 'StackInuse', 'StackSys', 'MSpanInuse', 'MSpanSys', 'MCacheInuse', 'MCacheSys', 'BuckHashSys', 'GCSys', 'OtherSys', 'NextGC'])

/** Prometheus series by metric name (labels matter only where noted). */
const PROMETHEUS: Record<string, [Runtime, string, ...Rule]> = {
  go_goroutines: ['go', 'Go Prometheus client', 'threads', 'threads', { rank: 10 }],
  go_threads: ['go', 'Go Prometheus client', 'threads', 'threads'],
  go_memstats_heap_alloc_bytes: ['go', 'Go Prometheus client', 'heap-live', 'bytes', { rank: 40 }],
  go_memstats_heap_objects: ['go', 'Go Prometheus client', 'heap-live', 'objects'],
  go_memstats_heap_sys_bytes: ['go', 'Go Prometheus client', 'heap-size', 'bytes'],
  go_memstats_mallocs_total: ['go', 'Go Prometheus client', 'other', 'objects'],
  go_memstats_frees_total: ['go', 'Go Prometheus client', 'other', 'objects'],
  nodejs_heap_size_used_bytes: ['node', 'prom-client', 'heap-live', 'bytes', { rank: 50 }],
  nodejs_heap_size_total_bytes: ['node', 'prom-client', 'heap-size', 'bytes'],
  jvm_threads_current: ['jvm', 'JVM Prometheus client', 'threads', 'threads'],
  jvm_threads_live_threads: ['jvm', 'JVM Micrometer', 'threads', 'threads'],
  python_gc_objects_collected_total: ['python', 'Python prometheus_client', 'other', 'objects'],
  python_gc_objects_uncollectable_total: ['python', 'Python prometheus_client', 'other', 'objects'],
  process_resident_memory_bytes: ['unknown', 'Prometheus process collector', 'rss', 'bytes'],
}

/** The other series of a client library: their unit from their name. */
const PREFIXES: Record<string, [Runtime, string]> = {
  go_: ['go', 'Go Prometheus client'],
  nodejs_: ['node', 'prom-client'],
  jvm_: ['jvm', 'JVM Prometheus client'],
  python_: ['python', 'Python prometheus_client'],
  process_: ['unknown', 'Prometheus process collector'],
}

const JVM_OLD_POOL = /old gen|tenured/i

interface Parsed {
  /** After `gc.`. */
  rest: string
  /** Prometheus: the metric name; JSON: the last path segment. */
  key: string
  /** JSON: the path before the key ('' at the top level). */
  group: string
  labels: Record<string, string>
  prometheus: boolean
}

function parse (column: string): Parsed | undefined {
  if (!column.startsWith('gc.')) return undefined
  const rest = column.slice(3)
  const brace = rest.indexOf('{')
  if (brace >= 0) {
    const labels: Record<string, string> = {}
    for (const m of rest.slice(brace + 1).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2]
    return { rest, key: rest.slice(0, brace), group: '', labels, prometheus: true }
  }
  const dot = rest.lastIndexOf('.')
  return { rest, key: rest.slice(dot + 1), group: dot < 0 ? '' : rest.slice(0, dot), labels: {}, prometheus: false }
}

/**
 * The runtime of a header's GC columns, when they point at one (for columns any runtime can
 * publish: the probe's rss_bytes, the process collector's process_resident_memory_bytes).
 */
export function headerRuntime (header: Iterable<string>): Runtime {
  const found = new Set<Runtime>()
  for (const c of header) {
    if (/^gc\.(.*\.)?(old_objects|heap_live_slots|major_gc_count)$|^gc\.(ruby_|yabeda_)/.test(c)) found.add('ruby')
    else if (/^gc\.(.*\.)?(heapUsed|used_heap_size)$|^gc\.nodejs_/.test(c)) found.add('node')
    else if (/^gc\.(.*\.)?memstats\.|^gc\.go_/.test(c)) found.add('go')
    else if (/^gc\.jvm_/.test(c)) found.add('jvm')
    else if (/^gc\.python_|^gc\.allocated_blocks$/.test(c)) found.add('python')
  }
  return found.size === 1 ? [...found][0] : 'unknown'
}

const meaning = (runtime: Runtime, source: string, [role, unit, extra]: Rule): Recognised => ({ runtime, role, unit, source, ...extra })

/**
 * A column's meaning from its name: memsiege's own columns as declared, GC columns by shape,
 * anything else by the words in its name (role `other`). `header` gives the siblings of a column
 * (process.memoryUsage() at the top level is recognised by heapUsed beside rss).
 */
export function recognise (column: string, header: ReadonlySet<string> = new Set(), runtime: Runtime = headerRuntime(header)): Recognised {
  const fixed = FIXED_MEANINGS[column]
  if (fixed) return fixed
  const p = parse(column)
  if (!p) return byWords(column, runtime)
  if (p.prometheus) return prometheus(p, runtime)
  // A top-level JSON key and an unlabelled Prometheus series look alike: `gc.old_objects`, `gc.go_goroutines`.
  const asJson = json(p, header, runtime)
  return asJson.source || p.group ? asJson : prometheus(p, runtime)
}

function json (p: Parsed, header: ReadonlySet<string>, runtime: Runtime): Recognised {
  const sibling = (key: string) => header.has(`gc.${p.group ? `${p.group}.` : ''}${key}`)
  const ruby = RUBY_STAT[p.key]
  if (ruby) return meaning('ruby', 'Ruby GC.stat', ruby)
  const usage = NODE_MEMORY_USAGE[p.key]
  // rss and external are common words; the others are process.memoryUsage()'s own.
  if (usage && (!['rss', 'external'].includes(p.key) || /(^|\.)memoryUsage$/.test(p.group) || sibling('heapUsed'))) return meaning('node', 'Node process.memoryUsage()', usage)
  const v8 = V8_HEAP[p.key]
  if (v8) return meaning('node', 'Node v8.getHeapStatistics()', v8)
  if (/(^|\.)heap_spaces\.[^.]+$/.test(p.group) || p.key.startsWith('space_')) {
    const old = /(^|\.)old_space$/.test(p.group) && p.key === 'space_used_size'
    return meaning('node', 'Node v8.getHeapSpaceStatistics()', old ? ['old-generation', 'bytes'] : ['other', 'bytes'])
  }
  const python = pythonProbe(p, runtime)
  if (python) return python
  if (/(^|\.)gc_count$/.test(p.group)) return meaning('node', 'memsiege probe', p.key === 'major' ? ['major-gc-count', 'count'] : ['other', 'count'])
  // the preload probes' Thread.list / threading.active_count(): the OS threads (threads) decide
  if (p.key === 'threads' && p.group === '' && header.has('gc.pid')) return meaning(runtime, 'memsiege probe', ['threads', 'threads'])
  // expvar publishes no goroutine count of its own: the one people add is a top-level `goroutines`
  // beside memstats, and goroutines are how a Go app leaks threads (its OS threads stay flat).
  if (p.key === 'goroutines' && (runtime === 'go' || header.has('gc.memstats.HeapAlloc'))) return meaning('go', 'Go expvar', ['threads', 'threads', { rank: 10 }])
  if (/(^|\.)memstats$/.test(p.group) || sibling('HeapAlloc')) {
    return meaning('go', 'Go expvar memstats', GO_MEMSTATS[p.key] ?? ['other', GO_BYTES.has(p.key) ? 'bytes' : 'count'])
  }
  if (/^(rss|rss_anon|hwm)_bytes$/.test(p.key)) return meaning(runtime, 'memsiege probe', ['rss', 'bytes'])
  return byWords(`gc.${p.rest}`, runtime)
}

/**
 * memsiege's Python probe: sys.getallocatedblocks() is the live heap Python's allocator holds,
 * gc.get_stats()[2] the full collections, gc.get_count() the generations' counters.
 */
function pythonProbe (p: Parsed, runtime: Runtime): Recognised | undefined {
  const source = 'memsiege Python probe'
  if (p.key === 'allocated_blocks' && p.group === '') return meaning('python', source, ['heap-live', 'objects', { rank: 35 }])
  if (runtime !== 'python') return undefined
  if (p.group === 'gc_stats.2' && p.key === 'collections') return meaning('python', source, ['major-gc-count', 'count'])
  if (/^gc_(stats\.\d|count)$/.test(p.group)) return meaning('python', source, ['other', p.key === 'collections' || p.group === 'gc_count' ? 'count' : 'objects'])
  return undefined
}

function prometheus (p: Parsed, runtime: Runtime): Recognised {
  const name = p.key
  const known = PROMETHEUS[name]
  if (known) {
    const [rt, source, ...rule] = known
    return meaning(rt === 'unknown' ? runtime : rt, source, rule)
  }
  // prometheus_exporter prefixes GC.stat's keys with ruby_ (and counts ops); yabeda with gc_.
  const ruby = /^(ruby_gc_stat_|ruby_gc_|ruby_|yabeda_gc_|gc_stat_|gc_)(.+?)(_total)?$/.exec(name)
  if (ruby) {
    const key = ruby[2].replace(/^major_gc_ops$/, 'major_gc_count').replace(/^minor_gc_ops$/, 'minor_gc_count').replace(/^allocated_objects$/, 'total_allocated_objects')
    const source = ruby[1].startsWith('ruby') ? 'Ruby prometheus_exporter' : 'Ruby yabeda'
    if (RUBY_STAT[key]) return meaning('ruby', source, RUBY_STAT[key])
    if (key === 'rss' && ruby[1] === 'ruby_') return meaning('ruby', source, ['rss', 'bytes'])
  }
  if (name === 'nodejs_heap_space_size_used_bytes' && /^old(_space)?$/.test(p.labels.space ?? '')) {
    return meaning('node', 'prom-client', ['old-generation', 'bytes'])
  }
  if (name.startsWith('jvm_memory')) return jvm(p)
  if (name === 'python_gc_collections_total') return meaning('python', 'Python prometheus_client', p.labels.generation === '2' ? ['major-gc-count', 'count'] : ['other', 'count'])
  const family = PREFIXES[/^[a-z]+_/.exec(name)?.[0] ?? '']
  if (!family) return byWords(`gc.${p.rest}`, runtime)
  return { ...byWords(name, family[0] === 'unknown' ? runtime : family[0]), source: family[1] }
}

/** Micrometer (jvm_memory_used_bytes{area,id}) and simpleclient_hotspot (jvm_memory_bytes_used{area}, jvm_memory_pool_*{pool}). */
function jvm (p: Parsed): Recognised {
  const pool = p.labels.pool ?? p.labels.id
  const used = /used/.test(p.key)
  const source = 'JVM Prometheus client'
  if (used && pool !== undefined) {
    if (!JVM_OLD_POOL.test(pool)) return meaning('jvm', source, ['other', 'bytes'])
    return meaning('jvm', source, ['old-generation', 'bytes', { rank: /collection/.test(p.key) ? 70 : 71 }])
  }
  if (p.labels.area === 'heap') return meaning('jvm', source, used ? ['heap-live', 'bytes', { rank: 72 }] : ['heap-size', 'bytes'])
  return meaning('jvm', source, ['other', 'bytes'])
}

/** Recognition by the words in a name, for columns no shape above covers: the unit only. */
function byWords (column: string, runtime: Runtime): Recognised {
  return { runtime, role: 'other', unit: unitFromWords(column) }
}

function unitFromWords (column: string): Unit {
  if (/_ms$|_ms\b|pause_ms/.test(column)) return 'ms'
  if (/_seconds(_total|_sum)?$|_s$/.test(column)) return 's'
  if (/bytes|Bytes|memory$|_size$|_size\b|Sys$/.test(column)) return 'bytes'
  if (/slots/i.test(column)) return 'slots'
  if (/pages/i.test(column)) return 'pages'
  if (/objects?/i.test(column)) return 'objects'
  if (/threads|goroutines/i.test(column)) return 'threads'
  if (/percent/.test(column)) return '%'
  return 'count'
}
