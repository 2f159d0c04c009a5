import t from 'tap'
import { parseScenario } from '../src/scenario/load.js'
import { analysisOptions } from '../src/analysis/options.js'
import { ConfigError } from '../src/errors.js'

const BASE = 'urls: [ "http://127.0.0.1:8000/" ]\n'
const load = (yaml: string) => parseScenario(BASE + yaml, '/tmp/app.yml', {}, () => {})
function failure (yaml: string): string {
  try {
    load(yaml)
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  throw new Error('expected a ConfigError')
}

t.test('analysis: every key', async (t) => {
  const s = load('analysis:\n  warmup: 20%\n  metrics: [rss_bytes, gc.stat.old_objects]\n  maxGrowth: [ 2KB/request, 50MB/h ]\n  failOn: leak\n')
  t.same(s.analysis, { warmup: '20%', metrics: ['rss_bytes', 'gc.stat.old_objects'], maxGrowth: ['2KB/request', '50MB/h'], failOn: 'leak' })
  const options = analysisOptions(s.analysis)
  t.same(options.warmup, { kind: 'fraction', value: 0.2 })
  t.same(options.maxGrowth!.map((g) => g.amount), [2048, 50 * 1024 * 1024])
  t.equal(options.failOn, 'leak')
})

t.test('analysis: other forms', async (t) => {
  t.same(load('analysis:\n  warmup: 5000\n').analysis, { warmup: 5000 }, 'a number is requests')
  t.same(analysisOptions(load('analysis:\n  warmup: 5000\n').analysis).warmup, { kind: 'requests', value: 5000 })
  t.same(load('analysis:\n  warmup: 2m\n').analysis, { warmup: '2m' })
  t.same(load('analysis:\n  maxGrowth: 2KB/request\n').analysis, { maxGrowth: ['2KB/request'] }, 'one limit as a string')
  t.same(load('analysis:\n  failOn: inconclusive\n').analysis, { failOn: 'inconclusive' })
  t.same(load('analysis: {}\n').analysis, {})
  t.equal(load('name: x\n').analysis, undefined, 'absent: no key')
})

t.test('analysis: mistakes name file, line and column', async (t) => {
  t.equal(failure('analysis:\n  warmup: soon\n'), '/tmp/app.yml:3:11: analysis.warmup: bad warm-up "soon": expected a share of the requests (20%), a duration (2m, 90s) or a number of requests (5000), or auto')
  t.equal(failure('analysis:\n  warmup: 120%\n'), '/tmp/app.yml:3:11: analysis.warmup: bad warm-up "120%": must be less than 100%')
  t.equal(failure('analysis:\n  warmup: -5\n'), '/tmp/app.yml:3:11: analysis.warmup: must be at least 0, got -5')
  t.equal(failure('analysis:\n  maxGrowth: [ 2KB/request, lots ]\n'), '/tmp/app.yml:3:29: analysis.maxGrowth item 2: bad growth limit "lots": expected an amount per request or per time, such as 2KB/request or 50MB/h')
  t.equal(failure('analysis:\n  maxGrowth: 2QB/h\n'), '/tmp/app.yml:3:14: analysis.maxGrowth: bad growth limit "2QB/h": unknown unit "QB" (use B, KB, MB, GB, objects, slots, pages or threads)')
  t.equal(failure('analysis:\n  failOn: always\n'), '/tmp/app.yml:3:11: analysis.failOn: expected "leak" or "inconclusive", got "always"')
  t.equal(failure('analysis:\n  metrics: []\n'), '/tmp/app.yml:3:12: analysis.metrics: empty list')
  t.equal(failure('analysis:\n  warmpu: 20%\n'), '/tmp/app.yml:3:3: unknown key "warmpu" in analysis (did you mean "warmup"?)')
  t.equal(failure('analysis:\n  max_growth: 2KB/request\n'), '/tmp/app.yml:3:3: unknown key "max_growth" in analysis (did you mean "maxGrowth"?)')
  t.equal(failure('analysis: 20%\n'), '/tmp/app.yml:2:11: analysis: expected a mapping, got a string ("20%")')
})

t.test('flags override the scenario, and are checked too', async (t) => {
  const options = analysisOptions({ warmup: '20%', failOn: 'leak' }, { warmup: '5000', failOn: 'inconclusive', maxGrowth: ['1MB/h'] })
  t.same(options.warmup, { kind: 'requests', value: 5000 })
  t.equal(options.failOn, 'inconclusive')
  t.equal(options.maxGrowth![0].amount, 1024 * 1024)
  t.throws(() => analysisOptions(undefined, { failOn: 'sometimes' }), /--fail-on: expected leak or inconclusive/)
  t.throws(() => analysisOptions(undefined, { maxGrowth: ['fast'] }), /bad growth limit/)
})

t.test('analysis.columns: a role for an unusual name, checked', async (t) => {
  const s = load('analysis:\n  columns:\n    gc.my_heap: old-generation\n    "gc.app_workers{pool=\\"a\\"}": threads\n')
  t.same(s.analysis, { columns: { 'gc.my_heap': 'old-generation', 'gc.app_workers{pool="a"}': 'threads' } })
  t.same(analysisOptions(s.analysis).columns, { 'gc.my_heap': 'old-generation', 'gc.app_workers{pool="a"}': 'threads' })
  t.equal(failure('analysis:\n  columns:\n    gc.my_heap: old-gen\n'), '/tmp/app.yml:4:17: analysis.columns.gc.my_heap: expected "rss", "native", "heap-live", "old-generation", "heap-size", "major-gc-count", "threads" or "other", got "old-gen"')
  t.equal(failure('analysis:\n  columns: heap\n'), '/tmp/app.yml:3:12: analysis.columns: expected a mapping of names to values, got a string ("heap")')
  t.throws(() => analysisOptions({ columns: { 'gc.x': 'heap' as never } }), /analysis.columns.gc.x: expected one of rss, native/, 'a hand-edited summary.json is checked too')
})
