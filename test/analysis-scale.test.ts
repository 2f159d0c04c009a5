/**
 * A 24-hour run at 1 Hz: 86,400 rows of 60 columns (a 34 MB samples.csv, written here, not
 * checked in). It must be analysed correctly; how fast is reported as a comment (no timed
 * assertion: the machine may be busy), measured in a child process so that its peak RSS is the
 * analysis's alone: `npx tap test/analysis-scale.test.ts` prints it.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyzeRun } from '../src/analysis/analyze-run.js'
import { writeSyntheticSamples } from './helpers/synthetic-samples.js'

const work = mkdtempSync(join(tmpdir(), 'memsiege-scale-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const ROWS = 86_400

t.test('24 hours at 1 Hz, leaking 50 bytes per request under a GC saw', async (t) => {
  const dir = join(work, 'leak')
  mkdirSync(dir)
  await writeSyntheticSamples(join(dir, 'samples.csv'), { rows: ROWS, columns: 60, leakPerRequest: 50, requestsPerSecond: 100 })
  t.comment(`samples.csv: ${(statSync(join(dir, 'samples.csv')).size / 1048576).toFixed(1)} MB`)
  const v = analyzeRun(dir)
  t.equal(v.rows, ROWS)
  t.equal(v.verdict, 'leak')
  t.equal(v.attribution, 'object-leak')
  const heap = v.metrics.find((m) => m.metric === 'gc.memoryUsage.heapUsed')!
  t.notOk(v.metrics.some((m) => m.metric === 'heap_old_bytes'), 'no young-generation column: heapUsed itself decides')
  t.ok(heap.decides)
  t.equal(heap.verdict, 'leak')
  t.ok(Math.abs(heap.per_request!.value - 50) < 1, `heapUsed: ${heap.per_request!.value.toFixed(2)} B/request (50 leaked)`)
  t.ok(heap.per_request!.low <= 50 && heap.per_request!.high >= 50, 'inside its interval')
  // 100 requests/s: 50 B/request is 17.2 MB/h.
  t.ok(Math.abs(heap.per_hour!.value - 50 * 100 * 3600) < 0.05 * 50 * 100 * 3600, `per hour: ${(heap.per_hour!.value / 1048576).toFixed(1)} MB/h`)
  t.equal(v.metrics.find((m) => m.metric === 'rss_anon_bytes')?.verdict, 'leak', 'RSS follows the heap')
  t.equal(v.metrics.find((m) => m.metric === 'native_bytes')?.verdict, 'flat', 'and nothing grows outside it')
  t.equal(v.metrics.find((m) => m.metric === 'threads')?.verdict, 'flat')
  for (const m of v.metrics) t.ok(m.segments[0].windows <= 400, `${m.metric}: ${m.segments[0].windows} floors (Theil–Sen is O(n²): at most 400)`)

  // The speed figure, from a child process using the built code (npm test builds it first).
  const dist = fileURLToPath(new URL('../dist/analysis/analyze-run.js', import.meta.url))
  const script = `import(${JSON.stringify(dist)}).then((m) => { const t0 = performance.now(); const v = m.analyzeRun(${JSON.stringify(dir)}); process.stdout.write(JSON.stringify({ ms: performance.now() - t0, maxRssMB: process.resourceUsage().maxRSS / 1024, verdict: v.verdict })) })`
  try {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { ms: number; maxRssMB: number; verdict: string }
    t.equal(out.verdict, 'leak')
    t.comment(`analysed ${ROWS} rows × 60 columns in ${Math.round(out.ms)} ms, peak RSS of the whole node process ${Math.round(out.maxRssMB)} MB`)
  } catch (err) {
    t.comment(`speed not measured (is dist/ built? npx tsc -p .): ${(err as Error).message.split('\n')[0]}`)
  }
})

t.test('24 hours at 1 Hz, no leak', async (t) => {
  const dir = join(work, 'flat')
  mkdirSync(dir)
  await writeSyntheticSamples(join(dir, 'samples.csv'), { rows: ROWS, columns: 60, leakPerRequest: 0, seed: 7 })
  const v = analyzeRun(dir)
  t.equal(v.verdict, 'flat', v.summary)
  t.equal(v.attribution, 'none')
})
