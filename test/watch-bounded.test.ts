/**
 * A long watch's periodic verdict and report read the folder in bounded memory
 * (analysis/bounded-samples.ts): under the bound they read every row and say what the full
 * reading says; over it, the verdict from one floor per bucket is the full one. And a watch's
 * report names its x axis (time, or the app's request counter), never a load it did not send.
 */
import t from 'tap'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { verdictOfResultsDir } from '../src/analysis/verdict-of-dir.js'
import { readSamplesBounded } from '../src/analysis/bounded-samples.js'
import { TIME_AXIS } from '../src/analysis/x-axis.js'
import { readSeries } from '../src/report/report-input.js'
import { writeReport } from '../src/report/write-report.js'
import { compareHtml } from '../src/report/compare-html.js'
import { loadAnalysedRun } from '../src/report/verdict-source.js'
import type { RunVerdict } from '../src/analysis/types.js'

const corpus = fileURLToPath(new URL('./corpus/', import.meta.url))
const recordings = readdirSync(corpus).filter((d) => statSync(join(corpus, d)).isDirectory()).sort()

/** The verdict in the words a reader acts on: the run's, its attribution, each series'. */
function verdictOf (v: RunVerdict): string {
  return [`${v.verdict} (${v.attribution})`, ...v.metrics.map((m) => `${m.metric}: ${m.verdict}`)].join(', ')
}

/**
 * A recording as a watch sampling `k` times as often would have written it: each row followed by
 * k − 1 rows at clocks in between (elapsed_s, requests, and gc_age_s, which ages with them as
 * the GC endpoint's reading is repeated), holding the row's readings. Real rows, recorded values:
 * only the row count is a long watch's.
 */
function stretched (name: string, into: string, k: number): string {
  const dir = join(into, name)
  mkdirSync(dir)
  for (const f of ['events.csv', 'summary.json']) if (existsSync(join(corpus, name, f))) copyFileSync(join(corpus, name, f), join(dir, f))
  const [header, ...lines] = readFileSync(join(corpus, name, 'samples.csv'), 'utf8').split('\n').filter(Boolean)
  const names = header.match(/("([^"]|"")*"|[^,]+)/g)!
  const [ie, ir, ia] = ['elapsed_s', 'requests', 'gc_age_s'].map((c) => names.indexOf(c))
  const rows = lines.map((l) => l.split(','))
  const out = [header]
  rows.forEach((row, i) => {
    const next = rows[i + 1]
    for (let j = 0; j < (next ? k : 1); j++) {
      const cells = [...row]
      if (j > 0) {
        const de = (Number(next[ie]) - Number(row[ie])) * j / k
        cells[ie] = (Number(row[ie]) + de).toFixed(3)
        cells[ir] = String(Math.round(Number(row[ir]) + (Number(next[ir]) - Number(row[ir])) * j / k))
        if (ia >= 0 && row[ia] !== '') cells[ia] = (Number(row[ia]) + de).toFixed(3)
      }
      out.push(cells.join(','))
    }
  })
  writeFileSync(join(dir, 'samples.csv'), out.join('\n') + '\n')
  return dir
}

t.test('under the bound every row is read: the verdict is the full one, to the last figure', async (t) => {
  for (const name of recordings) {
    const dir = join(corpus, name)
    t.same(verdictOfResultsDir(dir, { maxRows: 10_000 }), verdictOfResultsDir(dir), name)
  }
})

t.test('a long watch read one floor per bucket gets the verdict of every row', async (t) => {
  const into = t.testdir()
  // About 20,000 rows each, read as 2,500: the share a day at 1 s (86,400 rows) keeps of 10,000.
  for (const name of recordings) {
    const lines = readFileSync(join(corpus, name, 'samples.csv'), 'utf8').split('\n').length
    const dir = stretched(name, into, Math.ceil(20_000 / lines))
    const full = verdictOfResultsDir(dir)
    const maxRows = Math.floor(full.rows! / 8)
    const bounded = verdictOfResultsDir(dir, { maxRows })
    t.equal(verdictOf(bounded), verdictOf(full), `${name}: ${verdictOf(full)}`)
    t.equal(bounded.rows, full.rows, `${name}: the rows of the files are told, not those kept`)
    t.same(bounded.metrics[0].segments.map((s) => s.rows.length), full.metrics[0].segments.map((s) => s.rows.length), `${name}: the same segments`)
  }
})

t.test('the bucketed table: at most maxRows rows, the files\' first and last rows, each series\' floor', async (t) => {
  const dir = stretched('puma-fresh-live', t.testdir(), 20)
  const path = join(dir, 'samples.csv')
  const pick = (): string[] => ['elapsed_s', 'requests', 'rss_anon_bytes']
  const full = readSamplesBounded([path], pick, () => ({ lowest: [] }), 1e9)
  const table = readSamplesBounded([path], pick, () => ({ lowest: [{ columns: ['rss_anon_bytes'] }] }), 1000)
  t.ok(table.rows <= 1000, `${table.rows} rows kept of ${table.rowsRead}`)
  t.equal(table.rowsRead, full.rows)
  t.equal(table.rowOf[0], 0)
  t.equal(table.rowOf[table.rows - 1], full.rows - 1)
  t.equal(table.bucket & (table.bucket - 1), 0, `a bucket is a power of two rows: ${table.bucket}`)
  // Each bucket's lowest reading is its floor: the lowest of every bucket of the full column.
  const rss = full.columns.get('rss_anon_bytes')!
  const kept = table.columns.get('rss_anon_bytes')!
  let checked = 0
  for (let b = 0; b * table.bucket < full.rows; b++) {
    const low = Math.min(...rss.subarray(b * table.bucket, (b + 1) * table.bucket))
    const floors = [...kept.keys()].filter((r) => Math.floor(table.rowOf[r] / table.bucket) === b && !Number.isNaN(kept[r]))
    if (floors.length === 1 && kept[floors[0]] === low) checked++
  }
  t.equal(checked, Math.ceil(full.rows / table.bucket), 'one reading per bucket, its lowest')
})

t.test('a report of a long recording reads a bounded table that keeps each bucket\'s peaks and floors', async (t) => {
  const dir = stretched('puma-fresh-live', t.testdir(), 20)
  const files = [join(dir, 'samples.csv')]
  const full = readSeries(files, () => ['rss_bytes'], undefined, 1e9)
  const bounded = readSeries(files, () => ['rss_bytes'], undefined, 2000)
  t.ok(bounded.elapsed_s.length <= 2000, `${bounded.elapsed_s.length} rows`)
  t.equal(bounded.rows_read, full.elapsed_s.length)
  const values = (s: typeof full) => s.columns.rss_bytes.filter((v): v is number => v !== null)
  t.equal(Math.max(...values(bounded)), Math.max(...values(full)), 'the highest RSS is drawn')
  t.equal(Math.min(...values(bounded)), Math.min(...values(full)), 'and the lowest')
})

/** A corpus run's folder made a watch's: summary.json with the x axis a watch records. */
function asWatch (name: string, into: string, xAxis: string): string {
  const dir = join(into, name)
  mkdirSync(dir)
  copyFileSync(join(corpus, name, 'samples.csv'), join(dir, 'samples.csv'))
  const summary = JSON.parse(readFileSync(join(corpus, name, 'summary.json'), 'utf8'))
  summary.x_axis = xAxis
  summary.transactions = 0
  summary.failed_transactions = 0
  delete summary.verdict
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary))
  return dir
}

t.test('a watch\'s report names its x axis: time since the watch started, no requests it did not send', async (t) => {
  const dir = asWatch('puma-fresh', t.testdir(), TIME_AXIS)
  await writeReport(dir)
  const html = readFileSync(join(dir, 'report.html'), 'utf8')
  const svg = readFileSync(join(dir, 'memory.svg'), 'utf8')
  t.match(html, /"clockLabel":"time since the watch started"/)
  t.notMatch(html, /time since the load started/)
  t.match(html, /watched \(no request counter: the x axis is time\)/)
  t.notMatch(html, /0 requests|\? users/)
  t.match(svg, /time since the watch started/)
  t.notMatch(svg, /\/request|0 requests/)
  const compare = compareHtml(await Promise.all([dir, dir].map(async (d) => {
    const { input, verdict, from } = await loadAnalysedRun(d)
    return { input, ...(verdict ? { verdict } : {}), verdictFrom: from }
  })))
  t.match(compare, /Memory against time watched/)
  t.match(compare, /"x":\{"label":"time watched","time":true\}/)
})

t.test('a watch on the app\'s request counter: the requests it counted; a run keeps its load', async (t) => {
  const into = t.testdir()
  const dir = asWatch('puma-fresh', into, 'requests counted by the Prometheus counter app_requests_total at http://127.0.0.1:1/metrics')
  await writeReport(dir)
  const svg = readFileSync(join(dir, 'memory.svg'), 'utf8')
  t.match(svg, /[\d,]+ requests counted by the app in/)
  t.match(readFileSync(join(dir, 'report.html'), 'utf8'), /"clockLabel":"time since the watch started"/)
  const run = join(into, 'run')
  mkdirSync(run)
  for (const f of ['samples.csv', 'summary.json']) copyFileSync(join(corpus, 'puma-fresh', f), join(run, f))
  await writeReport(run)
  t.match(readFileSync(join(run, 'report.html'), 'utf8'), /"clockLabel":"time since the load started"/)
  t.match(readFileSync(join(run, 'memory.svg'), 'utf8'), /time since the load started/)
})
