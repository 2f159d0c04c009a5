/**
 * Memory outside the heap of a fresh process is only called a leak on a significant hold unless a
 * heap series rises (series-verdict.ts, allocatorCreep). A heap trend that is significant but too
 * small to matter, as one heap series in twenty shows by chance on a busy machine, explains
 * nothing: counting it let a side by side call a fresh puma's allocator creep a leak (issue 24).
 */
import t from 'tap'
import { heapExplainsGrowth } from '../src/analysis/analyze-run.js'
import type { MetricResult } from '../src/analysis/types.js'

const rising = (verdict: MetricResult['verdict'], kind: string, p = 0.01, slope = 0.5): MetricResult => ({
  metric: 'gc.old_objects',
  unit: 'objects',
  verdict,
  segments: [],
  p_value: p,
  per_request: { value: slope, low: slope / 2, high: slope * 2, level: 0.95 },
  why: { kind } as MetricResult['why']
}) as MetricResult

t.test('only a heap rise that matters explains growth outside the heap', async (t) => {
  t.ok(heapExplainsGrowth(rising('leak', 'holding'), 0.05), 'a heap that leaks')
  t.ok(heapExplainsGrowth(rising('settling', 'settling'), 0.05), 'a heap that settles')
  t.ok(heapExplainsGrowth(rising('inconclusive', 'shape-open'), 0.05), 'a heap that grows by what matters, its shape open')
  t.notOk(heapExplainsGrowth(rising('flat', 'flat'), 0.05), 'a significant trend on a flat heap')
  t.notOk(heapExplainsGrowth(rising('inconclusive', 'under-threshold'), 0.05), 'a significant trend under what matters')
  t.notOk(heapExplainsGrowth(rising('leak', 'holding', 0.2), 0.05), 'no significant trend')
  t.notOk(heapExplainsGrowth(rising('leak', 'holding', 0.01, -0.5), 0.05), 'a heap that shrinks')
})
