/**
 * Which samples.csv columns the analysis looks at, in what unit, and which of them decide the
 * run's verdict.
 *
 * Deciding metrics, one per question (more would only add chances of a false alarm):
 * - Is the runtime's heap retaining objects? Its old-generation or live-heap series, chosen by
 *   the role the column registry gives it (src/columns/): for Node `heap_old_bytes`, heapUsed
 *   without the young generation (see below); Ruby `old_objects` in any shape (the probe's
 *   gc.stat.*, plain GC.stat, nested under any key), else its live slots (prometheus_exporter);
 *   Go `HeapAlloc`; the Prometheus clients' heap-in-use; a column `analysis.columns` names.
 * - Is memory outside that heap growing? For Node, `native_bytes`: the probe's rss minus the V8
 *   heap's resident size, both from the same reading, so that V8 growing its heap (which raises
 *   RSS by several MB without any object being retained) is not read as a leak. Elsewhere
 *   `rss_anon_bytes` (file-backed pages follow the page cache, not the app), else `rss_bytes`.
 * - Are threads piling up? `threads`, and Go's goroutines (a goroutine leak leaves the OS
 *   threads flat).
 * - Without /proc (no target process), the app's own report of its RSS.
 * Everything else (rss_bytes, pss_bytes, heapUsed, heap_live_slots, heap_allocated_pages) is analysed and
 * reported but does not decide. `analysis.metrics` replaces all of this: the named columns are
 * analysed, and all of them decide.
 */import { headerMeanings, type MeaningSources, type Recognised, type Role, type Unit } from '../columns/index.js'

export type MetricUnit = Unit

/** The live heap or its old generation: where an object leak shows (see attribution.ts). */
export function isHeapRole (role: Role | undefined): boolean {
  return role === 'heap-live' || role === 'old-generation'
}

export interface MetricSpec {
  /** The samples.csv column; for a derived metric, its name (`native_bytes`). */
  column: string
  unit: MetricUnit
  /** The registry's role (src/columns/meaning.ts), what the attribution goes by. */
  role: Role
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
  /** Ruby's old_objects_limit beside old_objects: when the next major GC is due. */
  limit?: string
}

/** A series the analysis recognised in the app's GC figures, and as what. */
export interface RecognisedSeries {
  column: string
  role: Role
  source: string
}

/**
 * Node: heapUsed minus V8's young generation (new space and new large-object space) of the same
 * reading. Every object a request makes is born young and dies there unless it survives two
 * scavenges; what is retained (a leak, a cache) is promoted to the old generation. Leaving the
 * young generation out loses nothing a leak shows, and removes heapUsed's biggest saw: its
 * scavenge-to-scavenge swing of several MB, which on a short run leaves only a few usable floors.
 */
const NODE_HEAP_OLD = ['gc.memoryUsage.heapUsed', 'gc.heap_spaces.new_space.space_used_size', 'gc.heap_spaces.new_large_object_space.space_used_size']
export const HEAP_OLD_METRIC = 'heap_old_bytes'

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

/**
 * The metrics to analyse, given the header and what its columns mean. `requested`
 * (analysis.metrics) replaces the default choice; names not in the header are returned in
 * `missing`. `recognised` lists the GC series the choice rests on, for the reader.
 */
export function chooseMetrics (header: readonly string[], requested?: readonly string[], sources: MeaningSources = {}): { metrics: MetricSpec[]; missing: string[]; recognised: RecognisedSeries[] } {
  const has = new Set(header)
  const meanings = headerMeanings(header, sources)
  const metrics: MetricSpec[] = []
  const missing: string[] = []
  if (requested && requested.length > 0) {
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
      metrics.push(describe(name, meanings, true, true))
    }
    return { metrics, missing, recognised: recognisedOf(metrics, meanings) }
  }

  // Ranked candidates by preference; `any` also takes the unranked ones of a role, after them.
  const candidates = (roles: readonly Role[], any = false) => [...meanings]
    .filter(([c, m]) => roles.includes(m.role) && (m.rank !== undefined || (any && c.startsWith('gc.'))))
    .sort((a, b) => (a[1].rank ?? Infinity) - (b[1].rank ?? Infinity))
    .map(([c]) => c)
  const heapOld = heapOldSpec(has, true)
  const heap = candidates(['heap-live', 'old-generation'])[0]
  const native = nativePair(has)
  const declaredNative = candidates(['native'])[0]
  const procMemory = has.has('rss_anon_bytes') ? 'rss_anon_bytes' : has.has('rss_bytes') ? 'rss_bytes' : undefined
  // The app's own report of its RSS decides only when /proc can't be read (no target process).
  const gcMemory = procMemory ? undefined : candidates(['rss'], true)[0]
  const memory = native || declaredNative ? NATIVE_METRIC : procMemory
  for (const column of ['rss_bytes', 'rss_anon_bytes', 'pss_bytes']) {
    if (has.has(column)) metrics.push({ column, unit: 'bytes', role: 'rss', freshness: column === 'pss_bytes' ? 'changes' : 'every-row', decides: column === memory })
  }
  if (gcMemory) metrics.push(describe(gcMemory, meanings, !native && !declaredNative, false))
  if (native) metrics.push(nativeSpec(has, native, true))
  else if (declaredNative) metrics.push(describe(declaredNative, meanings, true, false))
  if (has.has('threads')) metrics.push({ column: 'threads', unit: 'threads', role: 'threads', freshness: 'every-row', decides: true })
  const threads = candidates(['threads'])[0]
  if (threads) metrics.push(describe(threads, meanings, true, false))
  if (heap) metrics.push(describe(heap, meanings, !heapOld, false))
  if (heapOld) metrics.push(heapOld)
  for (const [column, m] of meanings) {
    if (m.reported && column !== heap) metrics.push(describe(column, meanings, false, false))
  }
  return { metrics, missing, recognised: recognisedOf(metrics, meanings) }
}

/**
 * A column as a metric. Floors between major GCs for the heap's own series; `anyCounter`
 * (a column named in analysis.metrics) also for the runtime's other GC figures.
 */
function describe (column: string, meanings: ReadonlyMap<string, Recognised>, decides: boolean, anyCounter: boolean): MetricSpec {
  const m = meanings.get(column)!
  const role = m.role
  const freshness = column.startsWith('gc.') ? 'gc' : column === 'pss_bytes' ? 'changes' : 'every-row'
  const counter = freshness === 'gc' && (anyCounter || isHeapRole(role)) ? majorCounterFor(column, m, meanings) : undefined
  const limit = m.role === 'old-generation' && meanings.has(`${column}_limit`) ? `${column}_limit` : undefined
  return {
    column,
    unit: m.unit,
    role,
    freshness,
    decides,
    ...(counter ? { majorCounter: counter } : {}),
    ...(m.promotionBiased ? { promotionBiased: true } : {}),
    ...(limit ? { limit } : {}),
  }
}

/** The same runtime's major-GC counter, from the same group of figures when there are several (workers). */
function majorCounterFor (column: string, m: Recognised, meanings: ReadonlyMap<string, Recognised>): string | undefined {
  const counters = [...meanings].filter(([, c]) => c.role === 'major-gc-count' && c.runtime === m.runtime).map(([c]) => c)
  const group = (c: string) => c.includes('{') ? c.slice(c.indexOf('{')) : c.slice(0, c.lastIndexOf('.') + 1)
  return counters.find((c) => group(c) === group(column)) ?? counters[0]
}

function recognisedOf (metrics: readonly MetricSpec[], meanings: ReadonlyMap<string, Recognised>): RecognisedSeries[] {
  const out: RecognisedSeries[] = []
  const add = (column: string) => {
    const m = meanings.get(column)
    if (!m?.source || m.role === 'other' || m.runtime === 'os' || m.runtime === 'memsiege' || out.some((r) => r.column === column)) return
    out.push({ column, role: m.role, source: m.source })
  }
  for (const metric of metrics) {
    for (const c of metric.difference ?? [metric.column]) add(c)
    if (metric.majorCounter) add(metric.majorCounter)
  }
  return out
}

function heapOldSpec (has: Set<string>, decides: boolean): MetricSpec | undefined {
  if (!has.has(NODE_HEAP_OLD[0]) || !has.has(NODE_HEAP_OLD[1])) return undefined
  return {
    column: HEAP_OLD_METRIC,
    unit: 'bytes',
    role: 'old-generation',
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

/** Every column the analysis of `metrics` reads from samples.csv. */
export function columnsNeeded (metrics: readonly MetricSpec[]): string[] {
  const out = new Set(['elapsed_s', 'requests', 'procs', 'gc_age_s', 'gc.pid', 'rss_bytes'])
  for (const m of metrics) {
    if (m.difference) m.difference.forEach((c) => out.add(c))
    else out.add(m.column)
    if (m.majorCounter) out.add(m.majorCounter)
    // When Ruby's next major GC is due, for an inconclusive verdict's "more requests".
    if (m.limit) out.add(m.limit)
  }
  return [...out]
}
