/**
 * Live: the demo's /leak endpoint, run by memsiege, must be called `leak` within 30,000 requests.
 * The metric that decides is the runtime heap: heap_old_bytes, gc.memoryUsage.heapUsed without
 * V8's young generation (src/analysis/metrics.ts says why); the run's verdict, the worst of
 * heap_old_bytes, native_bytes (memory outside the heap) and threads, must agree. RSS is
 * reported, not asserted: for Node it is the sum of those two.
 */
import t from 'tap'
import { liveDemoVerdict } from './helpers/live-demo.js'

t.test('demo /leak', async (t) => {
  const v = await liveDemoVerdict(t, 'leak')
  t.equal(v.metrics.find((m) => m.metric === 'heap_old_bytes')?.verdict, 'leak', 'heap_old_bytes')
  t.equal(v.verdict, 'leak', v.summary)
  t.equal(v.attribution, 'object-leak')
  t.equal(v.scale?.fresh_process, true, 'memsiege started the target for the run')
  t.match(v.summary, /over a day of traffic at that rate\. The target was started for this run/)
})
