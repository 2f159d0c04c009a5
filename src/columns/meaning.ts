/**
 * What a samples.csv column means: which runtime (or memsiege, or the kernel) it comes from, what
 * it measures (its role) and its unit. Unions rather than strings, so that a misspelt unit or
 * role is a compile error instead of a silently wrong axis label.
 */

export const RUNTIMES = ['memsiege', 'os', 'ruby', 'node', 'go', 'jvm', 'python', 'unknown'] as const
export type Runtime = typeof RUNTIMES[number]

/**
 * - rss: resident memory of the process (the kernel's figure, or the runtime's report of it)
 * - native: memory outside the runtime's heap
 * - heap-live: the runtime's live heap (objects, slots or bytes in use)
 * - old-generation: the part of the heap that survived collections (Ruby old_objects, V8 old space)
 * - heap-size: what the heap has reserved (pages, HeapSys), used or not
 * - major-gc-count: a counter of full collections (floors are taken between them)
 * - threads: threads, goroutines
 */
export const ROLES = ['rss', 'native', 'heap-live', 'old-generation', 'heap-size', 'major-gc-count', 'threads', 'other'] as const
export type Role = typeof ROLES[number]

export const UNITS = ['bytes', 'objects', 'slots', 'pages', 'threads', 'count', 'ms', 's', 'req/s', '%', 'timestamp'] as const
export type Unit = typeof UNITS[number]

export interface ColumnMeaning {
  runtime: Runtime
  role: Role
  unit: Unit
  /** Where the column comes from, for people: "Ruby GC.stat", "prometheus_exporter", "/proc". */
  source?: string
}

/** Column name → meaning: what summary.json's `columns` holds. */
export type ColumnMeanings = Record<string, ColumnMeaning>

/** How a role reads in a sentence: "old generation", "major GCs". */
export const ROLE_WORDS: Record<Role, string> = {
  rss: 'RSS',
  native: 'native memory',
  'heap-live': 'live heap',
  'old-generation': 'old generation',
  'heap-size': 'heap size',
  'major-gc-count': 'major GCs',
  threads: 'threads',
  other: 'other',
}

export function isRole (value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function isUnit (value: unknown): value is Unit {
  return typeof value === 'string' && (UNITS as readonly string[]).includes(value)
}

export function isRuntime (value: unknown): value is Runtime {
  return typeof value === 'string' && (RUNTIMES as readonly string[]).includes(value)
}
