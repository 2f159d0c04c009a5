/**
 * Which samples.csv columns the analysis looks at, in what unit, and which of them decide the
 * run's verdict.
 *
 * Deciding metrics, one per question (more would only add chances of a false alarm):
 * - Is the runtime's heap retaining objects? Its live-heap figure: for Node `heap_old_bytes`,
 *   heapUsed without the young generation (see below); Ruby `old_objects`, Go `HeapAlloc` (or a
 *   Prometheus equivalent).
 * - Is memory outside that heap growing? For Node, `native_bytes`: the probe's rss minus the V8
 *   heap's resident size, both from the same reading, so that V8 growing its heap (which raises
 *   RSS by several MB without any object being retained) is not read as a leak. Elsewhere
 *   `rss_anon_bytes` (file-backed pages follow the page cache, not the app), else `rss_bytes`.
 * - Are threads piling up? `threads`.
 * Everything else (rss_bytes, pss_bytes, heapUsed, heap_live_slots, heap_allocated_pages) is analysed and
 * reported but does not decide. `analysis.metrics` replaces all of this: the named columns are
 * analysed, and all of them decide.
 */

export type MetricUnit = 'bytes' | 'objects' | 'slots' | 'pages' | 'threads' | 'count'

/** What a metric says about the target, for the attribution (see attribution.ts). */
export type MetricRole = 'rss' | 'native' | 'heap-live' | 'heap-size' | 'threads' | 'other'

export interface MetricSpec {
  /** The samples.csv column; for a derived metric, its name (`native_bytes`). */
  column: string
  unit: MetricUnit
  role: MetricRole
  /** How repeated values are told from fresh readings (see floors.ts). */
  freshness: 'gc' | 'changes' | 'every-row'
  /** A GC column counting major collections: floors are then taken between them. */
  majorCounter?: string
  /** Part of the run's verdict. */
  decides: boolean
  /** A derived metric: the first column minus the others, all from the same GC reading. */
  difference?: string[]
  /**
   * Rises between major GCs even without a leak (Ruby's old_objects, V8's old generation: every
   * promoted object counts until a major GC frees the dead ones): growth with no major GC in
   * the steady state proves nothing, and is never called a leak.
   */
  promotionBiased?: boolean
}

/** Live-heap columns by runtime, best first, with their major-GC counters. */
const HEAP_LIVE: Array<{ column: string; unit: MetricUnit; majorCounter?: string }> = [
  { column: 'gc.memoryUsage.heapUsed', unit: 'bytes', majorCounter: 'gc.gc_count.major' },
  { column: 'gc.stat.old_objects', unit: 'objects', majorCounter: 'gc.stat.major_gc_count' },
  { column: 'gc.memstats.HeapAlloc', unit: 'bytes', majorCounter: 'gc.memstats.NumGC' },
  { column: 'gc.nodejs_heap_size_used_bytes', unit: 'bytes' },
  { column: 'gc.jvm_memory_pool_collection_used_bytes{pool="G1 Old Gen"}', unit: 'bytes' },
]

/**
 * Node: heapUsed minus V8's young generation (new space and new large-object space) of the same
 * reading. Every object a request makes is born young and dies there unless it survives two
 * scavenges; what is retained (a leak, a cache) is promoted to the old generation. Leaving the
 * young generation out loses nothing a leak shows, and removes heapUsed's biggest saw: its
 * scavenge-to-scavenge swing of several MB, which on a short run leaves only a few usable floors.
 */
const NODE_HEAP_OLD = ['gc.memoryUsage.heapUsed', 'gc.heap_spaces.new_space.space_used_size', 'gc.heap_spaces.new_large_object_space.space_used_size']
export const HEAP_OLD_METRIC = 'heap_old_bytes'

/** Reported, never deciding. */
const EXTRA: Array<{ column: string; unit: MetricUnit; role: MetricRole; majorCounter?: string }> = [
  { column: 'gc.stat.heap_live_slots', unit: 'slots', role: 'heap-live', majorCounter: 'gc.stat.major_gc_count' },
  { column: 'gc.stat.heap_allocated_pages', unit: 'pages', role: 'heap-size' },
]

/**
 * Node's probe: rss and the V8 heap's resident size from one reading; their difference is memory
 * outside V8's heap (Buffers, native modules, malloc). total_physical_size rather than heapTotal:
 * heapTotal jumps by whole semispaces that are not yet touched, which would make the difference
 * saw by 10 MB at a time.
 */
const NODE_NATIVE_CHOICES: Array<[string, string]> = [
  ['gc.memoryUsage.rss', 'gc.heap.total_physical_size'],
  ['gc.memoryUsage.rss', 'gc.memoryUsage.heapTotal'],
]
export const NATIVE_METRIC = 'native_bytes'

/** Major-GC counters by column prefix, for metrics named in analysis.metrics. */
const COUNTERS: Array<[string, string]> = [
  ['gc.stat.', 'gc.stat.major_gc_count'],
  ['gc.memoryUsage.', 'gc.gc_count.major'],
  ['gc.heap', 'gc.gc_count.major'],
  ['gc.memstats.', 'gc.memstats.NumGC'],
]

/**
 * The metrics to analyse, given the header. `requested` (analysis.metrics) replaces the default
 * choice; names not in the header are returned in `missing`.
 */
export function chooseMetrics (header: readonly string[], requested?: readonly string[]): { metrics: MetricSpec[]; missing: string[] } {
  const has = new Set(header)
  if (requested && requested.length > 0) {
    const metrics: MetricSpec[] = []
    const missing: string[] = []
    for (const name of requested) {
      const old = heapOldSpec(has, true)
      if (name === HEAP_OLD_METRIC && old) {
        metrics.push(old)
        continue
      }
      const pair = nativePair(has)
      if (name === NATIVE_METRIC && pair) {
        metrics.push(nativeSpec(has, pair, true))
        continue
      }
      if (!has.has(name)) {
        missing.push(name)
        continue
      }
      metrics.push(describe(name, has, true))
    }
    return { metrics, missing }
  }

  const metrics: MetricSpec[] = []
  const heapOld = heapOldSpec(has, true)
  const heap = HEAP_LIVE.find((h) => has.has(h.column))
  const native = nativePair(has)
  const memory = native ? NATIVE_METRIC : has.has('rss_anon_bytes') ? 'rss_anon_bytes' : has.has('rss_bytes') ? 'rss_bytes' : undefined
  for (const column of ['rss_bytes', 'rss_anon_bytes', 'pss_bytes']) {
    if (has.has(column)) metrics.push({ column, unit: 'bytes', role: 'rss', freshness: column === 'pss_bytes' ? 'changes' : 'every-row', decides: column === memory })
  }
  if (native) metrics.push(nativeSpec(has, native, true))
  if (has.has('threads')) metrics.push({ column: 'threads', unit: 'threads', role: 'threads', freshness: 'every-row', decides: true })
  if (heap) metrics.push(gcSpec(heap.column, heap.unit, 'heap-live', has, !heapOld, heap.majorCounter))
  if (heapOld) metrics.push(heapOld)
  for (const extra of EXTRA) {
    if (has.has(extra.column)) metrics.push(gcSpec(extra.column, extra.unit, extra.role, has, false, extra.majorCounter))
  }
  return { metrics, missing: [] }
}

function heapOldSpec (has: Set<string>, decides: boolean): MetricSpec | undefined {
  if (!has.has(NODE_HEAP_OLD[0]) || !has.has(NODE_HEAP_OLD[1])) return undefined
  return {
    column: HEAP_OLD_METRIC,
    unit: 'bytes',
    role: 'heap-live',
    freshness: 'gc',
    decides,
    difference: NODE_HEAP_OLD.filter((c) => has.has(c)),
    ...(has.has('gc.gc_count.major') ? { majorCounter: 'gc.gc_count.major', promotionBiased: true } : {}),
  }
}

function nativePair (has: Set<string>): [string, string] | undefined {
  return NODE_NATIVE_CHOICES.find((pair) => pair.every((c) => has.has(c)))
}

function nativeSpec (has: Set<string>, pair: [string, string], decides: boolean): MetricSpec {
  return {
    column: NATIVE_METRIC,
    unit: 'bytes',
    role: 'native',
    freshness: 'gc',
    decides,
    difference: pair,
    ...(has.has('gc.gc_count.major') ? { majorCounter: 'gc.gc_count.major' } : {}),
  }
}

function gcSpec (column: string, unit: MetricUnit, role: MetricRole, has: Set<string>, decides: boolean, majorCounter?: string): MetricSpec {
  return {
    column,
    unit,
    role,
    freshness: 'gc',
    decides,
    ...(majorCounter && has.has(majorCounter) ? { majorCounter } : {}),
    ...(PROMOTION_BIASED.has(column) ? { promotionBiased: true } : {}),
  }
}

const PROMOTION_BIASED = new Set(['gc.stat.old_objects', 'gc.stat.heap_live_slots'])

/** A column named in analysis.metrics: unit and role from its name. */
function describe (column: string, has: Set<string>, decides: boolean): MetricSpec {
  const known = HEAP_LIVE.find((h) => h.column === column) ?? EXTRA.find((e) => e.column === column)
  const unit = known?.unit ?? unitOf(column)
  const role: MetricRole = known && 'role' in known ? (known.role as MetricRole)
    : known ? 'heap-live'
    : column === 'threads' ? 'threads'
    : /^(rss|rss_anon|pss|hwm|swap|rss_file)_bytes$/.test(column) ? 'rss'
    : 'other'
  const freshness = column.startsWith('gc.') ? 'gc' : column === 'pss_bytes' ? 'changes' : 'every-row'
  const counter = known?.majorCounter ?? COUNTERS.find(([prefix]) => column.startsWith(prefix))?.[1]
  return {
    column,
    unit,
    role,
    freshness,
    decides,
    ...(counter && has.has(counter) && freshness === 'gc' ? { majorCounter: counter } : {}),
    ...(PROMOTION_BIASED.has(column) ? { promotionBiased: true } : {}),
  }
}

export function unitOf (column: string): MetricUnit {
  if (/bytes|Bytes|heapUsed|heapTotal|external|arrayBuffers|HeapAlloc|HeapSys|HeapInuse|Sys$|_size$|size_bytes/.test(column)) return 'bytes'
  if (/objects|Objects/.test(column)) return 'objects'
  if (/slots/.test(column)) return 'slots'
  if (/pages/.test(column)) return 'pages'
  if (/^threads$|goroutines|threads/.test(column)) return 'threads'
  return 'count'
}

/** Every column the analysis of `metrics` reads from samples.csv. */
export function columnsNeeded (metrics: readonly MetricSpec[]): string[] {
  const out = new Set(['elapsed_s', 'requests', 'procs', 'gc_age_s', 'gc.pid', 'rss_bytes'])
  for (const m of metrics) {
    if (m.difference) m.difference.forEach((c) => out.add(c))
    else out.add(m.column)
    if (m.majorCounter) out.add(m.majorCounter)
    // When Ruby's next major GC is due, for an inconclusive verdict's "more requests".
    if (m.column === 'gc.stat.old_objects') out.add('gc.stat.old_objects_limit')
  }
  return [...out]
}
