/**
 * Live: the demo's /flat endpoint, run by memsiege, must be called `flat` within 30,000 requests.
 * The metric that decides is the runtime heap: heap_old_bytes, gc.memoryUsage.heapUsed without
 * V8's young generation (src/analysis/metrics.ts says why); the run's verdict, the worst of
 * heap_old_bytes, native_bytes (memory outside the heap) and threads, must agree. RSS is
 * reported, not asserted: for Node it is the sum of those two.
 */
import t from 'tap'
import { liveDemoVerdict } from './helpers/live-demo.js'

t.test('demo /flat', async (t) => {
  const v = await liveDemoVerdict(t, 'flat')
  t.equal(v.metrics.find((m) => m.metric === 'heap_old_bytes')?.verdict, 'flat', 'heap_old_bytes')
  t.equal(v.verdict, 'flat', v.summary)
})
