/**
 * The default rule of runs that decide (src/analysis/decision.ts), on test/corpus recordings
 * whole and cut short (the first rows of samples.csv: what a look part-way through the run saw).
 */
import t, { type Test } from 'tap'
import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { verdictOfResultsDir, verdictSettingsFor } from '../src/analysis/verdict-of-dir.js'
import { defaultDecision, untilConclusive, type Decision } from '../src/analysis/decision.js'

const corpus = fileURLToPath(new URL('./corpus/', import.meta.url))

/** The rule on `name`'s first `share` of rows (1: all of them). */
function decision (t: Test, name: string, share = 1): Decision & { verdict: string } {
  let dir = join(corpus, name)
  if (share < 1) {
    const lines = readFileSync(join(dir, 'samples.csv'), 'utf8').trim().split('\n')
    const cut = t.testdir({ 'samples.csv': lines.slice(0, Math.round(lines.length * share)).join('\n') + '\n' })
    if (existsSync(join(dir, 'summary.json'))) copyFileSync(join(dir, 'summary.json'), join(cut, 'summary.json'))
    dir = cut
  }
  const v = verdictOfResultsDir(dir, verdictSettingsFor(dir))
  return { ...defaultDecision(v), verdict: `${v.verdict} (${v.attribution})` }
}

t.test('inconclusive: undecided, saying on what and how many more requests', async (t) => {
  const d = decision(t, 'puma-fresh-4-threads-6k')
  t.equal(d.decided, false, d.verdict)
  t.match(d.decided ? '' : d.reason, /^inconclusive on rss_anon_bytes, about [\d,]+ more requests needed \(/)
})

t.test('an object leak, a settled cache, a flat fresh puma: decided', async (t) => {
  for (const name of ['demo-leak', 'puma-body-leak', 'puma-cache-fast', 'puma-fresh']) t.ok(decision(t, name).decided, name)
})

t.test('a native leak of a fresh process: open while the heap is still open, decided once its rate holds with the heap flat', async (t) => {
  const early = decision(t, 'puma-native-leak', 0.3)
  t.equal(early.verdict, 'leak (native-or-fragmentation)')
  t.match(early.decided ? '' : early.reason, /^leak on rss_anon_bytes of a fresh process, while gc\.old_objects is still inconclusive/)
  const whole = decision(t, 'puma-native-leak')
  t.ok(whole.decided, whole.verdict)
})

t.test('a cache of strings still filling: its growth outside the heap is not called decided', async (t) => {
  const d = decision(t, 'puma-cache-fast', 0.3)
  t.equal(d.verdict, 'leak (native-or-fragmentation)')
  t.equal(d.decided, false)
})

t.test('a bisect trial\'s rule: only inconclusive is undecided', async (t) => {
  const dir = join(corpus, 'puma-native-leak')
  t.ok(untilConclusive(verdictOfResultsDir(dir, verdictSettingsFor(dir))).decided)
})
