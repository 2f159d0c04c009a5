import t from 'tap'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyzeCommand } from '../src/commands/analyze.js'
import type { RunVerdict } from '../src/analysis/types.js'

const corpus = fileURLToPath(new URL('./corpus/', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'memsiege-analyze-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

/** Runs the command with stdout and stderr captured. */
async function run (args: Parameters<typeof analyzeCommand>[0]): Promise<{ status: number; stdout: string; stderr: string; warnings: string[] }> {
  let stdout = ''
  let stderr = ''
  const warnings: string[] = []
  const out = process.stdout.write.bind(process.stdout)
  const err = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((chunk: string) => { stdout += chunk; return true }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string) => { stderr += chunk; return true }) as typeof process.stderr.write
  try {
    const status = await analyzeCommand(args, (m) => warnings.push(m))
    return { status, stdout, stderr, warnings }
  } finally {
    process.stdout.write = out
    process.stderr.write = err
  }
}

t.test('text: the verdict, the table, the next step', async (t) => {
  const r = await run({ dir: join(corpus, 'demo-leak'), json: false })
  t.equal(r.status, 0)
  t.match(r.stdout, /^Memory:\t\tLEAK \(object leak\)\n/)
  t.match(r.stdout, /Leak: heap_old_bytes grows 10(\.\d)? KiB\/request/)
  t.match(r.stdout, /Next: Compare two heap dumps/)
  t.match(r.stdout, /Metric +Verdict +Growth\/request \(95% CI\) +Growth\/hour +p +Early → late \/request +Warm-up left out/)
  t.match(r.stdout, /\* heap_old_bytes +leak +10(\.\d)? KiB \(/)
  t.match(r.stdout, /\n {2}gc\.memoryUsage\.heapUsed +leak/, 'heapUsed is reported, not deciding')
  t.match(r.stdout, /\* native_bytes +flat/)
})

t.test('--json: the RunVerdict document', async (t) => {
  const r = await run({ dir: join(corpus, 'demo-flat'), json: true })
  t.equal(r.status, 0)
  const v = JSON.parse(r.stdout) as RunVerdict
  t.equal(v.verdict, 'flat')
  t.equal(v.attribution, 'none')
  t.same(v.breaches, [])
  const heap = v.metrics.find((m) => m.metric === 'heap_old_bytes')!
  t.equal(heap.unit, 'bytes')
  t.equal(heap.segments.length, 1)
  const seg = heap.segments[0]
  t.ok(seg.per_request && seg.per_hour && seg.p_value !== undefined && seg.early_per_request !== undefined && seg.late_per_request !== undefined, 'the evidence')
  t.ok(seg.warmup.requests > 0 && seg.warmup.elapsed_s > 0, 'the warm-up left out')
  t.ok(seg.floor.length === seg.windows && seg.fit, 'the floors and the fitted line, for charts')
})

t.test('--fail-on and maxGrowth exit 4', async (t) => {
  const leak = join(corpus, 'demo-leak')
  t.equal((await run({ dir: leak, json: false, failOn: 'leak' })).status, 4)
  const limited = await run({ dir: leak, json: false, maxGrowth: ['2KB/request'] })
  t.equal(limited.status, 4)
  t.match(limited.stdout, /Breach: heap_old_bytes grows 10(\.\d)? KiB\/request, over the limit of 2KB\/request/)
  t.equal((await run({ dir: leak, json: false, maxGrowth: ['20KB/request'] })).status, 0, 'a leak under the limit passes')
  t.equal((await run({ dir: join(corpus, 'demo-flat'), json: false, failOn: 'leak' })).status, 0)
  t.equal((await run({ dir: join(corpus, 'puma-rare-gc'), json: false, failOn: 'inconclusive' })).status, 4)
  t.equal((await run({ dir: join(corpus, 'puma-rare-gc'), json: false, failOn: 'leak' })).status, 0)
})

t.test("the run's own analysis settings (summary.json config.analysis) apply; flags win", async (t) => {
  const dir = join(work, 'run')
  cpSync(join(corpus, 'demo-leak'), dir, { recursive: true })
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ config: { analysis: { failOn: 'leak', warmup: '30%' } } }))
  const r = await run({ dir, json: true })
  t.equal(r.status, 4)
  t.equal((JSON.parse(r.stdout) as RunVerdict).settings.warmup, '30%')
  t.equal((await run({ dir, json: true, warmup: '5000' })).stdout.includes('"warmup": "5000 requests"'), true)
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ config: { analysis: { warmup: 'whenever' } } }))
  const bad = await run({ dir, json: false })
  t.equal(bad.status, 0, 'bad stored settings are ignored')
  t.match(bad.warnings[0], /analysis settings ignored: bad warm-up "whenever"/)
})

t.test('bad input exits 2 with one line', async (t) => {
  const missing = await run({ dir: join(work, 'nope'), json: false })
  t.equal(missing.status, 2)
  t.match(missing.stderr, /^memsiege: .*nope: no such results folder\n$/)
  const empty = join(work, 'empty')
  cpSync(join(corpus, 'demo-flat'), empty, { recursive: true, filter: (src) => !src.endsWith('samples.csv') })
  t.match((await run({ dir: empty, json: false })).stderr, /no samples\.csv/)
  const other = join(work, 'other')
  cpSync(join(corpus, 'demo-flat'), other, { recursive: true })
  writeFileSync(join(other, 'samples.csv'), 'a,b\n1,2\n')
  t.match((await run({ dir: other, json: false })).stderr, /no "requests" column/)
  t.equal((await run({ dir: join(corpus, 'demo-flat'), json: false, failOn: 'always' })).status, 2)
})

t.test('a run too short to say anything', async (t) => {
  const dir = join(work, 'short')
  cpSync(join(corpus, 'demo-flat'), dir, { recursive: true })
  const lines = readFileSync(join(dir, 'samples.csv'), 'utf8').split('\n')
  writeFileSync(join(dir, 'samples.csv'), lines.slice(0, 2).join('\n') + '\n')
  const one = await run({ dir, json: true })
  t.equal(one.status, 0)
  t.match((JSON.parse(one.stdout) as RunVerdict).summary, /too little to analyse/)
  writeFileSync(join(dir, 'samples.csv'), lines.slice(0, 9).join('\n') + '\n')
  const eight = JSON.parse((await run({ dir, json: true })).stdout) as RunVerdict
  t.equal(eight.verdict, 'inconclusive')
  t.ok(eight.metrics.every((m) => m.verdict === 'inconclusive'), 'every metric: too few floors')
  t.ok(eight.metrics.find((m) => m.metric === 'heap_old_bytes')!.more_requests! > 0)
})
