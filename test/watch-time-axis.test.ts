// A watch with no request counter has seconds in its `requests` column: the verdict's words must
// say per hour (per minute in the table) and name spans as durations, never "per request".
import t from 'tap'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeRun } from '../src/analysis/analyze-run.js'
import { verdictText } from '../src/analysis/verdict-text.js'
import { TIME_AXIS } from '../src/analysis/x-axis.js'
import type { RunVerdict } from '../src/analysis/types.js'
import { writeSyntheticSamples } from './helpers/synthetic-samples.js'

/**
 * Every sentence of the verdict but the x-axis note (which names the `requests` column) and the
 * next step (heap dumps "some thousands of requests apart": advice, not a figure).
 */
function words (v: RunVerdict): string {
  const reasons = v.metrics.flatMap((m) => [m.reason ?? '', ...m.segments.map((s) => s.reason)])
  return [v.summary, ...reasons, verdictText(v).split('\n').filter((l) => !/^(Note: x axis|Next: )/.test(l)).join('\n')].join('\n')
}

// An hour at one row a second, one "request" a second: the clock of a watch without a counter.
for (const [name, leak, verdict] of [['leak', 20_000, 'leak'], ['flat', 0, 'flat']] as const) {
  t.test(`time axis, ${name}`, async (t) => {
    const dir = join(t.testdir(), name)
    mkdirSync(dir)
    await writeSyntheticSamples(join(dir, 'samples.csv'), { rows: 3600, columns: 30, requestsPerSecond: 1, leakPerRequest: leak, seed: 3 })
    const timed = analyzeRun(dir, { xAxis: TIME_AXIS })
    t.equal(timed.verdict, verdict, timed.summary)
    const text = words(timed)
    t.notMatch(text, /request/i, 'no word of requests')
    // A series that did not grow has no scale to give ("It did not grow over this run"), only the table's rate.
    if (verdict === 'leak') {
      t.match(timed.summary, /\/h\b/, 'per hour')
      t.match(timed.summary, /grows [\d.]+ [KM]iB\/hour/)
    }
    t.match(verdictText(timed), /Growth\/min \(95% CI\)/)
    t.match(verdictText(timed), /Note: x axis: time/)

    // The same rows as a run's: per request, as before.
    const run = analyzeRun(dir)
    t.match(words(run), /request/)
  })
}
