/**
 * The columns memsiege writes itself, declared by the code that writes them (the load columns,
 * the /proc sampler, memsiege's own memory, the GC sampler's bookkeeping).
 */
import type { ColumnMeanings } from './meaning.js'

export const LOAD_MEANINGS: ColumnMeanings = {
  time: { runtime: 'memsiege', role: 'other', unit: 'timestamp', source: 'load' },
  elapsed_s: { runtime: 'memsiege', role: 'other', unit: 's', source: 'load' },
  requests: { runtime: 'memsiege', role: 'other', unit: 'count', source: 'load' },
  errors: { runtime: 'memsiege', role: 'other', unit: 'count', source: 'load' },
  rps: { runtime: 'memsiege', role: 'other', unit: 'req/s', source: 'load' },
  p50_ms: { runtime: 'memsiege', role: 'other', unit: 'ms', source: 'load' },
  p99_ms: { runtime: 'memsiege', role: 'other', unit: 'ms', source: 'load' },
  bytes: { runtime: 'memsiege', role: 'other', unit: 'bytes', source: 'load' },
}

const proc = (role: 'rss' | 'threads' | 'other', unit: 'bytes' | 'threads' | 'count' | '%') => ({ runtime: 'os', role, unit, source: '/proc' } as const)

export const PROC_MEANINGS: ColumnMeanings = {
  rss_bytes: proc('rss', 'bytes'),
  rss_anon_bytes: proc('rss', 'bytes'),
  rss_file_bytes: proc('rss', 'bytes'),
  swap_bytes: proc('rss', 'bytes'),
  hwm_bytes: proc('rss', 'bytes'),
  pss_bytes: proc('rss', 'bytes'),
  threads: proc('threads', 'threads'),
  procs: proc('other', 'count'),
  cpu_percent: proc('other', '%'),
}

export const SELF_MEANINGS: ColumnMeanings = {
  self_rss_bytes: { runtime: 'memsiege', role: 'other', unit: 'bytes', source: "memsiege's own" },
  self_heap_used_bytes: { runtime: 'memsiege', role: 'other', unit: 'bytes', source: "memsiege's own" },
}

export const GC_FIXED_MEANINGS: ColumnMeanings = {
  gc_age_s: { runtime: 'memsiege', role: 'other', unit: 's', source: 'GC sampler' },
  gc_errors: { runtime: 'memsiege', role: 'other', unit: 'count', source: 'GC sampler' },
}

export const FIXED_MEANINGS: ColumnMeanings = { ...LOAD_MEANINGS, ...PROC_MEANINGS, ...SELF_MEANINGS, ...GC_FIXED_MEANINGS }
