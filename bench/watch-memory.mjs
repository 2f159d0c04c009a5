#!/usr/bin/env node
// memsiege's own memory over a long watch: a day at one sample a second (86,400 samples)
// compressed by sampling fast, with the periodic re-analysis and report on. Prints memsiege's RSS
// (its self_rss_bytes column) first, after the warm-up, last and at its highest, and its slope per
// 1,000 samples over the run and over its last half (a growth that fades there is the allocator
// settling; one that holds would grow for as long as a watch runs): a watch whose memory grew
// with its samples could not run for days.
//
//   node bench/watch-memory.mjs
//
// Environment:
//   BENCH_WATCH_SAMPLES=86400   rows to take (a day at 1 s)
//   BENCH_WATCH_INTERVAL=5ms    between rows
//   BENCH_WATCH_EVERY=1m        re-analysis and report.html (--every)
//   BENCH_WATCH_KEEP=1          keep the results folder (its path is printed)
// The target is bench/node-target.mjs on 127.0.0.1, started by the watch (--cmd); no load.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const samples = Number(process.env.BENCH_WATCH_SAMPLES ?? 86_400)
const interval = process.env.BENCH_WATCH_INTERVAL ?? '5ms'
const every = process.env.BENCH_WATCH_EVERY ?? '1m'
const out = join(mkdtempSync(join(tmpdir(), 'memsiege-watch-bench-')), 'watch')

const watch = spawn(process.execPath, [join(root, 'dist/cli.js'), 'watch', '--cmd', `${process.execPath} ${join(root, 'bench/node-target.mjs')} 0`, '--interval', interval, '--every', every, '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] })
const exited = new Promise((resolve) => watch.once('exit', (code) => resolve(code)))
const started = Date.now()

/** Rows so far, estimated from the files' size and the mean row length (counting lines would reread them all). */
function rowsSoFar () {
  let files
  try {
    files = readdirSync(out).filter((f) => /^samples-\d{8}\.csv$/.test(f))
  } catch {
    return 0
  }
  let rows = 0
  for (const f of files) {
    const path = join(out, f)
    const size = statSync(path).size
    const head = readFileSync(path, 'latin1').slice(0, 64 * 1024).split('\n')
    if (head.length < 3) continue
    const rowBytes = (head.slice(1, -1).join('\n').length + 1) / (head.length - 2)
    rows += Math.floor((size - head[0].length - 1) / rowBytes)
  }
  return rows
}

let last = 0
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, 1000))
  if (watch.exitCode !== null) throw new Error(`the watch ended early (${watch.exitCode})`)
  const rows = rowsSoFar()
  if (rows >= samples) break
  if (Date.now() - last > 30_000) {
    last = Date.now()
    process.stderr.write(`${rows} of ${samples} samples, ${Math.round((Date.now() - started) / 1000)} s\n`)
  }
}
watch.kill('SIGINT')
const code = await exited
if (code !== 0) throw new Error(`the watch exited with ${code}`)

const files = readdirSync(out).filter((f) => /^samples-\d{8}\.csv$/.test(f)).sort()
const lines = files.flatMap((f, i) => readFileSync(join(out, f), 'utf8').split('\n').filter(Boolean).slice(i === 0 ? 0 : 1))
const header = lines[0].split(',')
const column = (name) => {
  const i = header.indexOf(name)
  return lines.slice(1).map((l) => Number(l.split(',')[i])).filter(Number.isFinite)
}
const rss = column('self_rss_bytes')
const heap = column('self_heap_used_bytes')
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`
const warm = Math.floor(rss.length / 100)
const seconds = (Date.now() - started) / 1000
/** Least-squares slope of `ys` against their row number, from `from` on, per 1,000 rows. */
const slopePer1000 = (ys, from) => {
  const xs = ys.slice(from).map((_, i) => i)
  const y = ys.slice(from)
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = y.reduce((a, b) => a + b, 0) / y.length
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (y[i] - my)
    sxx += (xs[i] - mx) ** 2
  }
  return sxx > 0 ? 1000 * sxy / sxx : NaN
}
// The last half's slope says whether it levels off: a growth that fades is the allocator warming up.
const half = Math.floor(rss.length / 2)
process.stdout.write([
  `memsiege watch: ${rss.length} samples every ${interval} (a day at 1 s is 86,400) in ${seconds.toFixed(0)} s (${(rss.length / seconds).toFixed(0)} samples/s), --every ${every}`,
  `memsiege RSS: first ${mib(rss[0])}, after 1% of the samples ${mib(rss[warm])}, last ${mib(rss.at(-1))}, highest ${mib(Math.max(...rss))}`,
  `growth from 1% to the end: ${mib(rss.at(-1) - rss[warm])}; slope ${mib(slopePer1000(rss, warm))} per 1,000 samples (last half: ${mib(slopePer1000(rss, half))})`,
  `its JS heap in use: ${mib(heap[warm])} → ${mib(heap.at(-1))}`
].join('\n') + '\n')
if (process.env.BENCH_WATCH_KEEP) process.stdout.write(`kept: ${out}\n`)
else rmSync(dirname(out), { recursive: true, force: true })
