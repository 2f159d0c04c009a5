/**
 * The analysis returns its reasons as data (kind, numbers, unit) and one module words them:
 * on recordings of each run verdict, the reason objects carry the figures, and the stored words
 * are exactly what verdict-words.ts makes of them.
 */
import t, { type Test } from 'tap'
import { join } from 'node:path'
import { analyzeRun } from '../src/analysis/analyze-run.js'
import { findBreaches } from '../src/analysis/breaches.js'
import type { RoledVerdict } from '../src/analysis/attribution.js'
import { parseGrowthLimit } from '../src/units/growth-limit.js'
import { breachText, floorWindowText, noteText, seriesReasonText, summaryText, thresholdText } from '../src/analysis/verdict-words.js'
import type { RunVerdict } from '../src/analysis/types.js'
import type { RunReason, SeriesReason } from '../src/analysis/reasons.js'
import { repoRoot } from './fixtures/sampler-helpers.js'

const corpus = join(repoRoot, 'test', 'corpus')

/** The words stored beside each reason are the words module's for that reason. */
function wordsMatch (t: Test, v: RunVerdict): void {
  t.equal(v.summary, summaryText(v.why!.summary, v.why!.hint, v.verdict, v.scale), 'summary worded from why.summary')
  t.same(v.breaches, v.why!.breaches.map(breachText))
  t.same(v.notes ?? [], v.why!.notes.map(noteText))
  for (const m of v.metrics) {
    if (m.why) t.equal(m.reason, seriesReasonText(m.why), `${m.metric}: reason worded from why`)
    for (const s of m.segments) {
      t.equal(s.reason, seriesReasonText(s.why!))
      if (s.threshold) t.equal(s.threshold.why, thresholdText(s.threshold))
      if (s.floor_window) t.equal(s.floor_method, floorWindowText(s.floor_window))
    }
  }
}

/** A recording's verdict, its words checked, and its summary reason, which must be of `kind`. */
function judged<K extends RunReason['kind']> (t: Test, name: string, kind: K): { v: RunVerdict; s: Extract<RunReason, { kind: K }> } {
  const v = analyzeRun(join(corpus, name))
  wordsMatch(t, v)
  t.equal(v.why!.summary.kind, kind, `${name}: ${kind}`)
  return { v, s: v.why!.summary as Extract<RunReason, { kind: K }> }
}

/** A metric's pooled reason, which must be of `kind`. */
function reasonOf<K extends SeriesReason['kind']> (t: Test, v: RunVerdict, metric: string, kind: K): Extract<SeriesReason, { kind: K }> {
  const why = v.metrics.find((m) => m.metric === metric)!.why!
  t.equal(why.kind, kind, `${metric}: ${kind}`)
  return why as Extract<SeriesReason, { kind: K }>
}

t.test('leak: the lead metric, its rate per request, and a holding rise', async (t) => {
  const { v, s } = judged(t, 'demo-leak', 'leak')
  t.equal(s.metric, 'heap_old_bytes')
  t.equal(s.unit, 'bytes')
  t.ok(s.per_request! > 9000 && s.per_request! < 11500, `about 10 KiB/request: ${s.per_request}`)
  t.equal(v.why!.hint, 'object-leak')
  const heap = v.metrics.find((m) => m.metric === 'heap_old_bytes')!
  t.equal(heap.role, 'old-generation', 'the registry\'s role, not heap-live')
  const why = reasonOf(t, v, 'heap_old_bytes', 'holding')
  t.equal(why.unit, 'bytes')
  t.ok(why.rise.p < 0.05, 'a significant trend')
  t.ok(why.rise.per_request.low < why.rise.per_request.value && why.rise.per_request.value < why.rise.per_request.high, 'the rate with its interval')
  t.ok(why.rise.requests > 1000 && why.rise.growth > 0)
  t.ok(why.late > 0)
})

t.test('flat: the metrics, and a series whose interval stays under the threshold', async (t) => {
  const { v, s } = judged(t, 'demo-flat', 'flat')
  t.same(s.metrics, v.deciding)
  const seg = v.metrics.find((m) => m.metric === 'threads')!.segments[0]
  const why = seg.why!
  t.equal(why.kind, 'flat')
  if (why.kind !== 'flat') return
  t.ok(why.at_most < why.threshold.value, 'at most under what would matter')
  t.same(why.threshold, { value: seg.threshold!.value, basis: seg.threshold!.basis })
  t.equal(why.threshold.basis.kind, 'minimum', 'threads: at least one thread matters')
})

t.test('plateau: what grew and stopped, with the early and late rates', async (t) => {
  const { v, s } = judged(t, 'demo-cache', 'plateau')
  t.ok(s.parts.some((p) => p.metric === 'heap_old_bytes' && p.growth! > 0))
  const why = reasonOf(t, v, 'heap_old_bytes', 'stopped')
  t.ok(why.early > why.late.value, `slowed: ${why.early} → ${why.late.value}`)
})

t.test('settling: the growth, its rates and where it is heading; the allocator warm-up hint', async (t) => {
  const { v, s } = judged(t, 'puma-cache', 'settling')
  t.equal(v.why!.hint, 'allocator-warmup')
  const part = s.parts[0]
  t.equal(part.metric, 'rss_anon_bytes')
  t.ok(part.growth! > 0 && part.requests > 0)
  t.ok(part.early! > part.late!.value)
  const why = reasonOf(t, v, 'rss_anon_bytes', 'settling')
  t.ok(why.heading === undefined || why.heading.value > 0)
  t.ok(v.scale && v.scale.requests! > 0, 'the scale says over how many requests')
})

t.test('inconclusive: each open metric with its reason, and the requests that would settle it', async (t) => {
  const { s } = judged(t, 'puma-rare-gc', 'inconclusive')
  const old = s.open.find((o) => o.metric === 'gc.stat.old_objects')!
  t.equal(old.why!.kind, 'no-major-gc')
  t.equal(old.why!.unit, 'objects')
  t.ok(s.more_requests > 30_000)
})

t.test('notes, missing columns and breaches as data', async (t) => {
  const restart = analyzeRun(join(corpus, 'demo-leak-restart'))
  const note = restart.why!.notes.find((n) => n.kind === 'restarted')
  t.equal(note?.kind === 'restarted' && note.rows.length, 2, 'two segments, with their rows')

  const missing = analyzeRun(join(corpus, 'demo-flat'), { metrics: ['rss_byte'] })
  const s = missing.why!.summary
  t.equal(s.kind, 'columns-missing')
  if (s.kind === 'columns-missing') t.same(s.missing, [{ name: 'rss_byte', did_you_mean: 'rss_bytes' }])
  t.match(missing.summary, /none of the columns asked for is in samples\.csv: rss_byte \(did you mean rss_bytes\?\)/)
  t.same(missing.why!.notes, [{ kind: 'columns-missing', missing: [{ name: 'rss_byte', did_you_mean: 'rss_bytes' }] }])
  // `rss` is one letter from the load's `rps`: the suggestion is a memory series.
  const short = analyzeRun(join(corpus, 'demo-flat'), { metrics: ['rss'] })
  t.match(short.summary, /: rss \(did you mean rss_bytes\?\)/)
  t.notMatch(short.summary, /did you mean rps/)

  const heap: RoledVerdict = { metric: 'gc.memoryUsage.heapUsed', unit: 'bytes', role: 'heap-live', decides: true, verdict: 'leak', segments: [], per_request: { value: 10240, low: 9000, high: 11000, level: 0.95 } }
  const breaches = findBreaches('leak', [heap], { failOn: 'leak', maxGrowth: [parseGrowthLimit('2KB/request')] })
  t.same(breaches, [
    { kind: 'fail-on', verdict: 'leak', fail_on: 'leak' },
    { kind: 'max-growth', metric: 'gc.memoryUsage.heapUsed', unit: 'bytes', rate: 10240, per: 'request', limit: '2KB/request' },
  ])
  t.same(breaches.map(breachText), ['verdict is leak (--fail-on leak)', 'gc.memoryUsage.heapUsed grows 10 KiB/request, over the limit of 2KB/request'])
})
