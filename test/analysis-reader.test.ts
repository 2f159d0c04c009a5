import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { parseCsvRecord } from '../src/analysis/csv-record.js'
import { readSamples, readSamplesHeader } from '../src/analysis/samples-reader.js'

const dir = mkdtempSync(join(tmpdir(), 'memsiege-reader-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const file = (text: string) => {
  const path = join(dir, `samples-${n++}.csv`)
  writeFileSync(path, text)
  return path
}

t.test('RFC 4180 records', async (t) => {
  t.same(parseCsvRecord('a,b,c\nd', 0), { fields: ['a', 'b', 'c'], end: 6 })
  t.same(parseCsvRecord('"a,b","say ""hi""",\n', 0)?.fields, ['a,b', 'say "hi"', ''])
  t.same(parseCsvRecord('"two\nlines",x\r\nnext', 0), { fields: ['two\nlines', 'x'], end: 15 }, 'a quoted line break and CRLF')
  t.equal(parseCsvRecord('"open', 0, false), undefined, 'more text may complete it')
  t.equal(parseCsvRecord('a,b', 0, false), undefined, 'no line break yet')
  t.same(parseCsvRecord('a,b', 0, true)?.fields, ['a', 'b'], 'the end of the text ends it')
})

t.test('the header is parsed as CSV: GC column names carry quotes and commas', async (t) => {
  const header = ['time', 'elapsed_s', 'requests', 'gc.http_requests_total{code="200",method="get"}', 'gc.label{v="a\nb"}', 'rss_bytes']
  const rows = [
    ['2026-01-01T00:00:00.000Z', 0, 0, 5, 1, 1000],
    ['2026-01-01T00:00:01.000Z', 1, 10, '', 2, 2000],
    ['2026-01-01T00:00:02.000Z', 2, 20, 7, 3, ''],
  ]
  const path = file(stringify([header, ...rows]))
  t.same(readSamplesHeader(path), header)
  const table = readSamples(path, (h) => [h[3], 'requests', 'rss_bytes', 'not-there'])
  t.equal(table.rows, 3)
  t.equal(table.startTime, '2026-01-01T00:00:00.000Z')
  t.same(Array.from(table.columns.get('requests')!), [0, 10, 20])
  t.same(Array.from(table.columns.get(header[3])!), [5, NaN, 7], 'an empty cell is NaN: no reading')
  t.same(Array.from(table.columns.get('rss_bytes')!), [1000, 2000, NaN])
  t.notOk(table.columns.has('not-there'))
  t.notOk(table.columns.has('elapsed_s'), 'only the columns asked for')
})

t.test('a quoted data cell goes through the full parser', async (t) => {
  const path = file('time,requests,note,rss_bytes\nT0,1,"a, b",100\nT1,2,plain,200\n')
  const table = readSamples(path, () => ['requests', 'rss_bytes'])
  t.same(Array.from(table.columns.get('rss_bytes')!), [100, 200])
})

t.test('a row cut short at the end is left out', async (t) => {
  const path = file('time,requests,rss_bytes,threads\nT0,1,100,5\nT1,2,200,5\nT2,3,30')
  const table = readSamples(path, () => ['requests', 'rss_bytes'])
  t.equal(table.rows, 2)
  t.equal(table.skipped, 1)
})

t.test('CRLF line ends, blank lines', async (t) => {
  const path = file('time,requests,rss_bytes\r\nT0,1,100\r\n\r\nT1,2,200\r\n')
  const table = readSamples(path, () => ['rss_bytes'])
  t.same(Array.from(table.columns.get('rss_bytes')!), [100, 200])
})

t.test('rows across read chunks (the reader reads 4 MB at a time)', async (t) => {
  const lines = ['time,elapsed_s,requests,padding,rss_bytes']
  const pad = 'x'.repeat(90)
  for (let i = 0; i < 60_000; i++) lines.push(`T${i},${i},${i * 10},${pad},${1000 + i}`)
  const path = file(lines.join('\n') + '\n')
  const table = readSamples(path, () => ['requests', 'rss_bytes'])
  t.equal(table.rows, 60_000)
  const rss = table.columns.get('rss_bytes')!
  let ok = true
  for (let i = 0; i < rss.length; i++) if (rss[i] !== 1000 + i) ok = false
  t.ok(ok, 'every value in place')
})

t.test('an empty file', async (t) => {
  t.throws(() => readSamplesHeader(file('')), /empty/)
})
