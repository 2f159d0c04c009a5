#!/usr/bin/env node
// node bench/verdict-stability.mjs — is the leak verdict stable under machine load?
//
// For each target: three runs on an otherwise idle machine, then three with a busy loop pinned to
// the target's core (a `taskset`-pinned `node -e 'for(;;){}'`, started before the run and killed
// after it). Every run starts the target fresh (memsiege's target.command), so each is the same
// question asked again. Prints each run's verdict and attribution, how many of the six agree, and
// how many give the same answer to "leak or not".
// Not a timed test: the figures are verdicts, not speeds.
//
// Targets (all on 127.0.0.1, started by memsiege, pinned to core 0; memsiege on core 1):
//   puma-flat   test/fixtures/analysis-apps/puma.ru /flat  (puma -t 8:8): keeps nothing
//   puma-leak   the same app's /leak: keeps 10 KB a request
//   demo-cache  memsiege's demo server /cache: an LRU cache of 1000 × 10 KB, filled by the first ~12,000 requests
//
// Environment:
//   BENCH_STABILITY_TARGETS=puma-flat,puma-leak,demo-cache
//   BENCH_STABILITY_REQUESTS=30000   requests per run (a run is interrupted after 5 minutes)
//   BENCH_STABILITY_RUNS=3           runs per condition (idle, busy)
//   BENCH_BUSY_CORE=0                the core the busy loop is pinned to (the target's)
// Results: printed, and written to results/verdict-stability-<UTC time>.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, detectHelpers, freePort, installCleanupHandlers, makeTempDir, startProcess, stopChild } from './lib/proc.mjs'
import { table } from './lib/report.mjs'
import { namesEnv, positiveIntEnv } from './lib/env.mjs'
import { MEMSIEGE_CLI, ROOT } from './lib/tools.mjs'

const TARGET_CORE = 0
const LOAD_CORE = 1
const RUN_LIMIT_MS = 5 * 60 * 1000
const env = process.env

const config = {
  targets: namesEnv('BENCH_STABILITY_TARGETS', 'puma-flat,puma-leak,demo-cache'),
  requests: positiveIntEnv('BENCH_STABILITY_REQUESTS', 30000),
  runs: positiveIntEnv('BENCH_STABILITY_RUNS', 3),
  busyCore: Number(env.BENCH_BUSY_CORE ?? TARGET_CORE)
}

const PUMA_APP = 'test/fixtures/analysis-apps/puma.ru'
/** name → what memsiege starts and loads; `command` gets the port. */
const TARGETS = {
  'puma-flat': { command: (port) => `puma -t 8:8 -b tcp://127.0.0.1:${port} ${PUMA_APP}`, ready: '/flat', urls: ['/flat?q=memsiege&page=2'] },
  'puma-leak': { command: (port) => `puma -t 8:8 -b tcp://127.0.0.1:${port} ${PUMA_APP}`, ready: '/flat', urls: ['/leak?q=memsiege&page=2'] },
  'demo-cache': { command: (port) => `node dist/demo/server.js --port ${port}`, ready: '/stats', urlFile: cacheUrls }
}

/** 1000 keys, each asked 12 times in a row: the demo's cache fills over ~12,000 requests. */
function cacheUrls (dir) {
  const path = join(dir, 'cache-urls.txt')
  writeFileSync(path, Array.from({ length: 12000 }, (_, i) => `/cache?key=k${Math.floor(i / 12)}`).join('\n') + '\n')
  return path
}

async function judge (name, busy) {
  const t = TARGETS[name]
  const dir = makeTempDir(`stability-${name}`)
  const port = await freePort()
  const urls = t.urlFile ? JSON.stringify(t.urlFile(dir)) : `[ ${t.urls.map((u) => JSON.stringify(u)).join(', ')} ]`
  const scenario = join(dir, 'scenario.yml')
  writeFileSync(scenario, [
    `name: ${name}`,
    'target:',
    `  url: http://127.0.0.1:${port}`,
    `  command: taskset -c ${TARGET_CORE} ${t.command(port)}`,
    `  cwd: ${JSON.stringify(ROOT)}`,
    '  env: { RACK_ENV: production }',
    `  ready: ${t.ready}`,
    `urls: ${urls}`,
    'concurrency: 4',
    'delay: 5ms',
    `requests: ${config.requests}`,
    'sample:',
    '  interval: 100ms',
    '  gc: { url: /__memsiege/gc, interval: 100ms }',
    ''
  ].join('\n'))
  const loop = busy ? startProcess([process.execPath, '-e', 'for (;;) {}'], { core: config.busyCore }) : undefined
  try {
    const out = join(dir, 'out')
    const run = startProcess([process.execPath, MEMSIEGE_CLI, 'run', scenario, '--out', out, '-q'], { core: LOAD_CORE, cwd: ROOT })
    // Bounded in time too: an interrupted run still writes its results and verdict.
    const limit = setTimeout(() => run.child.kill('SIGINT'), RUN_LIMIT_MS)
    const result = await run.done
    clearTimeout(limit)
    let summary
    try {
      summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    } catch {
      return { ok: false, note: `memsiege exited ${result.code ?? result.signal}: ${result.stderr.trim().split('\n').slice(-2).join(' | ')}` }
    }
    const v = summary.verdict
    return { ok: Boolean(v), verdict: v?.verdict, attribution: v?.attribution, rps: summary.transaction_rate_per_s, requests: summary.transactions, summary: v?.summary }
  } finally {
    if (loop) await stopChild(loop.child)
  }
}

async function main () {
  installCleanupHandlers()
  const helpers = detectHelpers()
  if (!helpers.taskset) throw new Error('taskset is missing (Debian util-linux): the busy loop must be pinned')
  for (const name of config.targets) if (!TARGETS[name]) throw new Error(`unknown target "${name}" (known: ${Object.keys(TARGETS).join(', ')})`)
  console.log(`verdict stability: ${config.runs} runs idle and ${config.runs} with core ${config.busyCore} busy, ${config.requests} requests each, per target`)
  const results = []
  for (const name of config.targets) {
    for (const busy of [false, true]) {
      for (let i = 0; i < config.runs; i++) {
        const r = await judge(name, busy)
        results.push({ target: name, busy, ...r })
        console.log(`  ${name} ${busy ? 'busy' : 'idle'} #${i + 1}: ${r.ok ? `${r.verdict}${r.attribution !== 'none' ? ` (${r.attribution})` : ''}, ${Math.round(r.rps)} requests/s` : r.note}`)
      }
    }
  }
  const rows = config.targets.map((name) => {
    const mine = results.filter((r) => r.target === name)
    const label = (r) => (r.ok ? `${r.verdict}${r.attribution && r.attribution !== 'none' ? `/${r.attribution}` : ''}` : 'failed')
    const counts = new Map()
    for (const r of mine) counts.set(label(r), (counts.get(label(r)) ?? 0) + 1)
    const [top, n] = [...counts].sort((a, b) => b[1] - a[1])[0]
    // The question that matters: leak or not (flat and plateau, say, both answer "not").
    const leaks = mine.filter((r) => r.ok && r.verdict === 'leak').length
    const answer = leaks * 2 > mine.length ? 'leak' : 'not a leak'
    const same = answer === 'leak' ? leaks : mine.filter((r) => r.ok && r.verdict !== 'leak').length
    return [name, mine.filter((r) => !r.busy).map(label).join(' '), mine.filter((r) => r.busy).map(label).join(' '), `${n}/${mine.length} ${top}`, `${same}/${mine.length} ${answer}`]
  })
  console.log('')
  console.log(table(['target', 'idle', `busy (core ${config.busyCore})`, 'same verdict', 'same leak answer'], rows))
  mkdirSync(join(ROOT, 'results'), { recursive: true })
  const file = join(ROOT, 'results', `verdict-stability-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, JSON.stringify({ config, results }, null, 2) + '\n')
  console.log(`\nwritten: ${file}`)
}

main().then(() => cleanup()).catch(async (err) => {
  process.stderr.write(`verdict-stability: ${err.message}\n`)
  await cleanup()
  process.exit(1)
})
