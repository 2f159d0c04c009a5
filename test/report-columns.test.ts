/**
 * Reports choose the columns they read and draw by the role each column has in the registry:
 * as summary.json's `columns` declares it, as the run's `analysis.columns` says, and for a
 * folder from before, as recognised by name (the analysis's own fallback).
 */
import t, { type Test } from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadReportInput } from '../src/report/report-input.js'
import { memoryModel } from '../src/report/memory-model.js'
import type { ColumnMeanings } from '../src/columns/index.js'
import type { RunSummary } from '../src/recorder/summary-json.js'
import { fakeSummary } from './helpers/report.js'

const HEADER = ['time', 'elapsed_s', 'requests', 'rss_bytes', 'gc.app.kept', 'gc.app.made_total', 'gc.app.arena', 'gc.stat.heap_live_slots']

/** A results folder of 60 rows: the app's figures under names memsiege doesn't know, and Ruby's live slots. */
function folder (t: Test, summary: Partial<RunSummary>): string {
  const dir = t.testdir()
  const rows = Array.from({ length: 60 }, (_, i) => [
    new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), i, i * 100, 100e6 + i * 1000, 5000 + i, i * 900, 4e6, 200_000 + i,
  ].join(','))
  writeFileSync(join(dir, 'samples.csv'), [HEADER.join(','), ...rows].join('\n') + '\n')
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(fakeSummary({ results_dir: dir, ...summary })))
  return dir
}

const declared: ColumnMeanings = {
  'gc.app.kept': { runtime: 'unknown', role: 'heap-live', unit: 'objects' },
  'gc.app.made_total': { runtime: 'unknown', role: 'other', unit: 'objects' },
  'gc.app.arena': { runtime: 'unknown', role: 'heap-size', unit: 'bytes' },
  'gc.stat.heap_live_slots': { runtime: 'ruby', role: 'other', unit: 'slots' },
}

t.test('summary.json\'s columns: unusual names drawn by their declared roles', async (t) => {
  const input = await loadReportInput(folder(t, { columns: declared }))
  const read = Object.keys(input.series.columns)
  t.ok(read.includes('gc.app.kept') && read.includes('gc.app.arena'), 'memory levels are read')
  t.notOk(read.includes('gc.app.made_total'), 'a counter (role other) is not read')
  t.notOk(read.includes('gc.stat.heap_live_slots'), 'the declared role wins over the name')
  const model = memoryModel(input)
  t.equal(model.objects?.column, 'gc.app.kept', 'the live heap in objects on the second axis')
  t.equal(model.objects?.label, 'heap objects')
  t.equal(model.objects?.unit, 'objects')
})

t.test('a folder from before: recognised by name, as the analysis does', async (t) => {
  const input = await loadReportInput(folder(t, {}))
  const read = Object.keys(input.series.columns)
  t.notOk(read.includes('gc.app.kept'), 'an unknown name is no memory level')
  const model = memoryModel(input)
  t.equal(model.objects?.column, 'gc.stat.heap_live_slots')
  t.equal(model.objects?.label, 'live slots')
  t.equal(model.objects?.unit, 'slots')
})

t.test('the run\'s analysis.columns gives an unknown name its role', async (t) => {
  const base = fakeSummary()
  const config = { ...base.config, analysis: { columns: { 'gc.app.kept': 'old-generation' } } } as unknown as RunSummary['config']
  const input = await loadReportInput(folder(t, { config }))
  const model = memoryModel(input)
  t.equal(model.objects?.column, 'gc.stat.heap_live_slots', 'the live heap before the old generation')
  t.ok(Object.keys(input.series.columns).includes('gc.app.kept'), 'and the declared column is read')
  const only = { ...declared, 'gc.app.kept': { runtime: 'unknown', role: 'old-generation', unit: 'objects' } } satisfies ColumnMeanings
  const old = memoryModel(await loadReportInput(folder(t, { columns: only })))
  t.equal(old.objects?.column, 'gc.app.kept', 'the old generation when it is the only heap column')
  t.equal(old.objects?.label, 'old objects')
})

t.test('a folder whose summary.json has a bad analysis: still drawn', async (t) => {
  const base = fakeSummary()
  const config = { ...base.config, analysis: { columns: { 'gc.app.kept': 'no-such-role' } } } as unknown as RunSummary['config']
  const model = memoryModel(await loadReportInput(folder(t, { config })))
  t.equal(model.objects?.column, 'gc.stat.heap_live_slots', 'bad settings are left out, as the analysis does')
})
