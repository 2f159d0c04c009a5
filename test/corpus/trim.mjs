// Keeps the samples.csv columns the analysis and its readers need, so that the corpus stays
// small: node test/corpus/trim.mjs IN.csv OUT.csv
import { readFileSync, writeFileSync } from 'node:fs'
import { stringify } from 'csv-stringify/sync'
import { parseCsvRecord } from '../../dist/analysis/csv-record.js'

const KEEP = /^(time|elapsed_s|requests|errors|rps|p50_ms|p99_ms|rss_bytes|rss_anon_bytes|rss_file_bytes|hwm_bytes|pss_bytes|threads|procs|cpu_percent|gc_age_s|gc_errors|gc\.pid|gc\.rss_bytes|gc\.rss_anon_bytes|gc\.memoryUsage\..*|gc\.heap\.total_physical_size|gc\.heap\.total_heap_size|gc\.heap\.used_heap_size|gc\.heap_spaces\.(new_space|new_large_object_space|old_space)\.space_used_size|gc\.gc_count\..*|gc\.(stat\.)?(count|heap_allocated_pages|heap_live_slots|heap_free_slots|old_objects|old_objects_limit|major_gc_count|minor_gc_count|total_allocated_objects|total_freed_objects)|gc\.memstats\.(HeapAlloc|HeapInuse|HeapSys|HeapObjects|Sys|NumGC|StackInuse)|gc\.goroutines|self_rss_bytes)$/

const [input, output] = process.argv.slice(2)
const text = readFileSync(input, 'utf8')
const rows = []
for (let i = 0; i < text.length;) {
  const record = parseCsvRecord(text, i, true)
  i = record.end
  rows.push(record.fields)
}
const keep = rows[0].map((name, i) => (KEEP.test(name) ? i : -1)).filter((i) => i >= 0)
writeFileSync(output, stringify(rows.filter((r) => r.length === rows[0].length).map((r) => keep.map((i) => r[i]))))
