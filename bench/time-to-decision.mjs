#!/usr/bin/env node
// node bench/time-to-decision.mjs (or BENCH_ONLY=decide npm run bench) — how long does a run take to decide?
//
// For each target, started fresh by memsiege: one `run --until-decided` from a first length of
// BENCH_DECIDE_START seconds (extended at each doubling while undecided, up to 8×), then one run
// of that fixed length. Prints, per target, the verdict the run that decides reached, the
// requests and the wall time it took and how far it was extended, and the fixed run's verdict.
//
// Targets (all on 127.0.0.1, started by memsiege):
//   puma-flat     test/fixtures/puma-real, endpoints that keep nothing (puma -t 8:8)
//   puma-cache    the same app's bounded cache (4,000 × 4 KiB, full after ~16,000 requests)
//   puma-native   the same app, a 16 KiB malloc never freed on one endpoint in ten
//   puma-heap     the same app, Ruby objects kept on one endpoint (form-body searches, X-Method POSTs)
//   node-leak     memsiege's demo server /leak: 10 KB of objects kept a request
//
// Environment:
//   BENCH_DECIDE_TARGETS=puma-flat,puma-cache,puma-native,puma-heap,node-leak
//   BENCH_DECIDE_START=20    seconds: the first length, and the fixed run's length
//   BENCH_DECIDE_MAX=8       the cap, as a multiple of the first length
// Results: printed, and written to results/time-to-decision-<UTC time>.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, installCleanupHandlers, freePort, makeTempDir, startProcess } from './lib/proc.mjs'
import { table } from './lib/report.mjs'
import { namesEnv, positiveIntEnv } from './lib/env.mjs'
import { MEMSIEGE_CLI, ROOT } from './lib/tools.mjs'

const config = {
  targets: namesEnv('BENCH_DECIDE_TARGETS', 'puma-flat,puma-cache,puma-native,puma-heap,node-leak'),
  start: positiveIntEnv('BENCH_DECIDE_START', 20),
  max: positiveIntEnv('BENCH_DECIDE_MAX', 8)
}

const PUMA = join(ROOT, 'test/fixtures/puma-real')
const puma = (urls, appEnv, extra = []) => ({
  command: (port) => `puma -b tcp://127.0.0.1:${port} -t 8:8 config.ru`,
  cwd: PUMA,
  env: { RACK_ENV: 'production', ...appEnv },
  ready: '/gc',
  urls: JSON.stringify(join(PUMA, 'urls', urls)),
  gc: '/gc',
  extra
})
/** name → what memsiege starts and loads; `command` gets the port. */
const TARGETS = {
  'puma-flat': puma('plain.txt', {}),
  'puma-cache': puma('cache.txt', { APP_CACHE: '/api/cache' }),
  'puma-native': puma('plain.txt', { APP_NATIVE_LEAK: '/api/e3' }),
  'puma-heap': puma('search.txt', { APP_BODY_LEAK: '/api/search' }, ['methodOverride: true']),
  'node-leak': { command: (port) => `node dist/demo/server.js --port ${port}`, cwd: ROOT, env: {}, ready: '/stats', urls: '[ /leak ]', gc: '/__memsiege/gc', extra: ['delay: 5ms'] }
}

async function runOnce (name, decide) {
  const t = TARGETS[name]
  const dir = makeTempDir(`decide-${name}`)
  const port = await freePort()
  const scenario = join(dir, 'scenario.yml')
  writeFileSync(scenario, [
    `name: ${name}`,
    'target:',
    `  url: http://127.0.0.1:${port}`,
    `  command: ${t.command(port)}`,
    `  cwd: ${JSON.stringify(t.cwd)}`,
    `  env: ${JSON.stringify(t.env)}`,
    `  ready: ${t.ready}`,
    `urls: ${t.urls}`,
    'concurrency: 4',
    `duration: ${config.start}s`,
    ...t.extra,
    'sample:',
    '  interval: 250ms',
    '  pssInterval: 10s',
    `  gc: { url: ${t.gc}, interval: 250ms }`,
    ''
  ].join('\n'))
  const out = join(dir, 'out')
  const started = Date.now()
  const run = startProcess([process.execPath, MEMSIEGE_CLI, 'run', scenario, '--out', out, '-q', ...(decide ? ['--until-decided', '--max-extension', String(config.max)] : [])], { cwd: ROOT })
  const result = await run.done
  const wallS = (Date.now() - started) / 1000
  try {
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    return { ok: Boolean(s.verdict), verdict: s.verdict?.verdict, attribution: s.verdict?.attribution, requests: s.transactions + s.failed_transactions, elapsedS: s.elapsed_s, wallS, extension: s.extension, summary: s.verdict?.summary }
  } catch {
    return { ok: false, note: `memsiege exited ${result.code ?? result.signal}: ${result.stderr.trim().split('\n').slice(-2).join(' | ')}` }
  }
}

const label = (r) => (r.ok ? `${r.verdict}${r.attribution && r.attribution !== 'none' ? ` (${r.attribution})` : ''}` : `failed: ${r.note}`)

async function main () {
  installCleanupHandlers()
  for (const name of config.targets) if (!TARGETS[name]) throw new Error(`unknown target "${name}" (known: ${Object.keys(TARGETS).join(', ')})`)
  console.log(`time to decision: --until-decided from ${config.start} s (up to ${config.max}×), then a fixed ${config.start} s run, per target, -c 4`)
  const results = []
  for (const name of config.targets) {
    const decided = await runOnce(name, true)
    console.log(`  ${name} until decided: ${label(decided)}${decided.ok ? `, ${decided.requests} requests, ${decided.wallS.toFixed(0)} s` : ''}`)
    for (const step of decided.extension?.steps ?? []) console.log(`    extended to ${step.to}×: ${step.reason}`)
    const fixed = await runOnce(name, false)
    console.log(`  ${name} fixed ${config.start} s: ${label(fixed)}`)
    results.push({ target: name, decided, fixed })
  }
  const rows = results.map(({ target, decided: d, fixed: f }) => [
    target, label(d), d.ok ? String(d.requests) : '-', d.ok ? `${d.elapsedS.toFixed(0)} s (${d.wallS.toFixed(0)} s)` : '-', d.extension ? `${d.extension.reached}× (${d.extension.ended})` : '-', label(f), f.ok ? String(f.requests) : '-'
  ])
  console.log('')
  console.log(table(['target', 'until decided', 'requests', 'run (wall)', 'extended', `fixed ${config.start} s`, 'requests'], rows))
  mkdirSync(join(ROOT, 'results'), { recursive: true })
  const file = join(ROOT, 'results', `time-to-decision-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, JSON.stringify({ config, results }, null, 2) + '\n')
  console.log(`\nwritten: ${file}`)
}

main().then(() => cleanup()).catch(async (err) => {
  process.stderr.write(`time-to-decision: ${err.message}\n`)
  await cleanup()
  process.exit(1)
})
