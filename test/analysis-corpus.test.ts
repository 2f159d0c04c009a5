/**
 * The labelled corpus: samples.csv files recorded by memsiege from real runs of real targets
 * (test/corpus/README.md says how), each with the verdicts it must get (expected.json):
 * `verdict` and `attribution` for the run, and a verdict per metric. A list means any of them
 * is right (a flat endpoint's RSS may grow a little and stop: flat or plateau, never leak).
 */
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyzeRun } from '../src/analysis/analyze-run.js'

const corpus = fileURLToPath(new URL('./corpus/', import.meta.url))
type Expected = Record<string, Record<string, string | string[]>>
const expected = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as Expected

t.test('every recording is labelled', async (t) => {
  const dirs = readdirSync(corpus).filter((d) => statSync(join(corpus, d)).isDirectory()).sort()
  t.same(dirs, Object.keys(expected).sort())
})

for (const [name, labels] of Object.entries(expected)) {
  t.test(name, async (t) => {
    const v = analyzeRun(join(corpus, name))
    const table = v.metrics.map((m) => `${m.metric}: ${m.verdict}`).join(', ')
    t.comment(`${v.verdict} (${v.attribution}): ${table}`)
    // A known miss, with why: reported as todo until the analysis gets it right.
    const todo = typeof labels.todo === 'string' ? labels.todo : undefined
    for (const [key, want] of Object.entries(labels)) {
      if (key === 'todo') continue
      const got = key === 'verdict'
        ? v.verdict
        : key === 'attribution'
          ? v.attribution
          : key === 'segments'
            ? String(v.segments)
            : v.metrics.find((m) => m.metric === key)?.verdict
      const ok = Array.isArray(want) ? want.includes(got ?? '') : got === want
      t.ok(ok, `${key}: ${got} (expected ${Array.isArray(want) ? want.join(' or ') : want})`, todo ? { todo } : {})
    }
  })
}

t.test('an inconclusive verdict says how many more requests would settle it', async (t) => {
  const v = analyzeRun(join(corpus, 'puma-rare-gc'))
  const old = v.metrics.find((m) => m.metric === 'gc.stat.old_objects')!
  t.match(old.reason, /no major GC ran/)
  t.ok(old.more_requests! > 30_000, `until two more major GCs (old_objects_limit): ${old.more_requests}`)
  t.match(v.summary, /more requests should settle it/)
})

t.test('a restart splits the run; each segment is judged on its own', async (t) => {
  const v = analyzeRun(join(corpus, 'demo-leak-restart'))
  const heap = v.metrics.find((m) => m.metric === 'heap_old_bytes')!
  t.equal(heap.segments.length, 2)
  t.ok(heap.segments[1].requests[0] > heap.segments[0].requests[1], 'the second starts after the first ends')
  t.equal(heap.segments[1].verdict, 'leak', 'the restarted target leaks again')
  t.ok(Math.abs(heap.per_request!.value - 10240) < 1024, `about 10 KB/request over both: ${heap.per_request!.value.toFixed(0)} B`)
  t.match(v.notes?.join(' ') ?? '', /restarted: 2 segments/)
})
