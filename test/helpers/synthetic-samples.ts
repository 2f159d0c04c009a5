/**
 * A synthetic samples.csv as memsiege writes it (same columns, same formats), for the analysis's
 * speed and scale tests: a 24-hour run at 1 Hz is 86,400 rows. The target it describes is known:
 * a Node app whose heap leaks `leakPerRequest` bytes per request under a GC sawtooth, with RSS
 * following the heap and threads flat.
 */
import { createWriteStream } from 'node:fs'
import { stringify } from 'csv-stringify/sync'

export interface SyntheticOptions {
  rows: number
  /** Total columns, padded with other gc.* columns as a real Node probe gives (default 60). */
  columns?: number
  requestsPerSecond?: number
  leakPerRequest?: number
  /** GC fetches every this many rows (gc_age_s grows in between). */
  gcEvery?: number
  seed?: number
}

const BASE = [
  'time', 'elapsed_s', 'requests', 'errors', 'rps', 'p50_ms', 'p99_ms', 'bytes',
  'rss_bytes', 'rss_anon_bytes', 'rss_file_bytes', 'swap_bytes', 'hwm_bytes', 'pss_bytes', 'threads', 'procs', 'cpu_percent',
  'gc_age_s', 'gc_errors', 'gc.pid', 'gc.uptime_s',
  'gc.memoryUsage.rss', 'gc.memoryUsage.heapTotal', 'gc.memoryUsage.heapUsed', 'gc.memoryUsage.external', 'gc.memoryUsage.arrayBuffers',
  'gc.gc_count.minor', 'gc.gc_count.major', 'gc.gc_count.total',
]

/** Writes the file and resolves when it is flushed. */
export async function writeSyntheticSamples (path: string, o: SyntheticOptions): Promise<void> {
  const width = Math.max(BASE.length + 3, o.columns ?? 60)
  // Prometheus-style names need quoting: the reader's header parser must cope.
  const extra = Array.from({ length: width - BASE.length - 2 }, (_, i) => `gc.heap_spaces.space_${i}.used_size`)
  const header = [...BASE, ...extra, 'gc.http_requests_total{code="200",method="get"}', 'self_rss_bytes']
  const rps = o.requestsPerSecond ?? 100
  const leak = o.leakPerRequest ?? 0
  const gcEvery = o.gcEvery ?? 5
  let seed = o.seed ?? 1
  const random = () => {
    // xorshift32: reproducible noise without a dependency.
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return ((seed >>> 0) % 1_000_000) / 1_000_000
  }
  const out = createWriteStream(path)
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)))
  await write(stringify([header]))
  const t0 = Date.parse('2026-01-01T00:00:00Z')
  let requests = 0
  let majors = 0
  let gc: number[] = []
  let lines: string[] = []
  for (let r = 0; r < o.rows; r++) {
    requests += Math.round(rps * (0.9 + 0.2 * random()))
    const live = 20e6 + leak * requests
    // The saw: garbage piles up for ~30 s, then a major GC clears it.
    const garbage = ((r % 30) / 30) * 30e6 * random()
    if (r % 30 === 0) majors++
    const heapUsed = live + garbage
    const heapTotal = live + 40e6
    const rss = heapTotal + 30e6 + 2e6 * random()
    if (r % gcEvery === 0) gc = [heapUsed, heapTotal, rss]
    const age = (r % gcEvery) + 0.004
    const row: Array<string | number> = [
      new Date(t0 + r * 1000).toISOString(), r, requests, 0, rps, 1.234, 9.876, requests * 512,
      Math.round(rss), Math.round(rss - 25e6), 25_000_000, 0, Math.round(rss * 1.1), r % 30 === 0 ? Math.round(rss * 0.9) : '', 11, 1, 12.5,
      age, 0, 4242, r,
      Math.round(gc[2]), Math.round(gc[1]), Math.round(gc[0]), 2_000_000, 10_000,
      r * 3, majors, r * 3 + majors,
      ...extra.map((_, i) => 1000 * i + r),
      requests, 60_000_000,
    ]
    lines.push(row.join(','))
    if (lines.length === 1000) {
      await write(lines.join('\n') + '\n')
      lines = []
    }
  }
  if (lines.length) await write(lines.join('\n') + '\n')
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))
}
