#!/usr/bin/env node
// node bench/fleet.mjs — `memsiege analyze --prom` on days of a fleet's history: wall time and
// memsiege's peak RSS, and whether it names exactly the leaking instances and the hour each started.
//
// For each fleet size: BENCH_FLEET_HOURS of history at BENCH_FLEET_STEP seconds (memory with a GC
// sawtooth and noise, a request counter, process_start_time_seconds; test/fixtures/fleet-history.mjs),
// one instance in 16 leaking (64 B a request, ~4.5 MiB/h) from an hour between 12 and 47, one in
// 11 restarted at hour 36 (some of them leaking ones), backfilled with promtool into a temp folder,
// served by a Prometheus started on it (127.0.0.1, free port), then judged by
//   memsiege analyze --prom URL --memory app_memory_bytes --requests app_requests_total
//     --start-time process_start_time_seconds --since START --until END --step STEP --json
// under /usr/bin/time (peak RSS). Targets for 50 instances: under 30 s, under 300 MiB.
//
// Environment:
//   BENCH_FLEET_INSTANCES=50,500   fleet sizes
//   BENCH_FLEET_HOURS=72           hours of history
//   BENCH_FLEET_STEP=15            seconds between samples (and memsiege's --step)
// Results: printed, and written to results/fleet-<UTC time>.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, detectHelpers, installCleanupHandlers, makeTempDir, startProcess } from './lib/proc.mjs'
import { table } from './lib/report.mjs'
import { MEMSIEGE_CLI, ROOT } from './lib/tools.mjs'
import { instanceName, writeFleetHistory } from '../test/fixtures/fleet-history.mjs'
import { backfill, startPrometheus } from '../test/fixtures/prometheus.mjs'

const env = process.env
const config = {
  sizes: (env.BENCH_FLEET_INSTANCES ?? '50,500').split(',').map(Number).filter((n) => n > 0),
  hours: Number(env.BENCH_FLEET_HOURS ?? 72),
  step: Number(env.BENCH_FLEET_STEP ?? 15)
}
const log = (s = '') => process.stdout.write(`${s}\n`)

function fleetSpec (instances, start) {
  const leaking = []
  const restarts = []
  for (let i = 0; i < instances; i++) {
    if (i % 16 === 7) leaking.push({ index: i, fromHour: 12 + ((i * 7) % 36), bytesPerRequest: 64 })
    if (i % 11 === 3) restarts.push({ index: i, atHour: 36 })
  }
  return { instances, hours: config.hours, stepS: config.step, start, leaking, restarts }
}

async function benchSize (instances) {
  const dir = makeTempDir(`fleet-${instances}`)
  const end = Math.floor(Date.now() / 3_600_000) * 3600 - 3600
  const spec = fleetSpec(instances, end - config.hours * 3600)
  let t = Date.now()
  const files = await writeFleetHistory(dir, spec)
  const generateS = (Date.now() - t) / 1000
  t = Date.now()
  backfill(files, join(dir, 'data'))
  const backfillS = (Date.now() - t) / 1000
  const prom = await startPrometheus(dir, { readyMs: 600_000 })
  try {
    t = Date.now()
    const { done } = startProcess([process.execPath, MEMSIEGE_CLI, 'analyze', '--prom', prom.url,
      '--memory', 'app_memory_bytes', '--requests', 'app_requests_total', '--start-time', 'process_start_time_seconds',
      '--since', String(spec.start), '--until', String(end - config.step), '--step', `${config.step}s`, '--json'], { peak: true, cwd: ROOT })
    const r = await done
    const wallS = (Date.now() - t) / 1000
    if (r.code !== 4 && r.code !== 0) throw new Error(`memsiege exited ${r.code}: ${r.stderr}`)
    const fleet = JSON.parse(r.stdout)
    const named = fleet.instances.filter((v) => v.verdict === 'leak').map((v) => v.instance).sort()
    const expected = spec.leaking.map((l) => instanceName(l.index)).sort()
    // Over the leaks named (a missed one shows in `exact`).
    const hourErrors = spec.leaking.flatMap((l) => {
      const v = fleet.instances.find((x) => x.instance === instanceName(l.index) && x.verdict === 'leak')
      return v ? [v.since ? Math.abs((Date.parse(v.since) / 1000 - spec.start) / 3600 - l.fromHour) : Infinity] : []
    })
    const restartsSeen = spec.restarts.every((s) => fleet.instances.find((x) => x.instance === instanceName(s.index))?.restarts === 1)
    return {
      instances,
      points: instances * Math.floor((config.hours * 3600) / config.step),
      generate_s: generateS,
      backfill_s: backfillS,
      wall_s: wallS,
      peak_rss_mib: r.peakKiB / 1024,
      exact: JSON.stringify(named) === JSON.stringify(expected),
      named,
      expected,
      worst_hour_error: Math.max(0, ...hourErrors),
      restarts_seen: restartsSeen,
      verdicts: Object.fromEntries(['leak', 'inconclusive', 'settling', 'plateau', 'flat'].map((v) => [v, fleet.instances.filter((x) => x.verdict === v).length]))
    }
  } finally {
    await prom.stop()
  }
}

async function main () {
  installCleanupHandlers()
  detectHelpers()
  const results = []
  for (const size of config.sizes) {
    log(`fleet of ${size}: ${config.hours} h at ${config.step} s…`)
    results.push(await benchSize(size))
  }
  log()
  log(table(['instances', 'points', 'memsiege wall', 'peak RSS', 'exactly the leaks', 'start hour off by', 'restarts', 'verdicts', '(generate, backfill)'], results.map((r) => [
    String(r.instances),
    r.points.toLocaleString('en-US'),
    `${r.wall_s.toFixed(1)} s`,
    `${r.peak_rss_mib.toFixed(0)} MiB`,
    r.exact ? 'yes' : `no: ${r.named.length} of ${r.expected.length}, missed ${r.expected.filter((x) => !r.named.includes(x)).join(' ') || 'none'}, wrongly ${r.named.filter((x) => !r.expected.includes(x)).join(' ') || 'none'}`,
    `≤ ${r.worst_hour_error.toFixed(2)} h`,
    r.restarts_seen ? 'all seen' : 'missed',
    Object.entries(r.verdicts).filter(([, n]) => n).map(([v, n]) => `${n} ${v}`).join(', '),
    `${r.generate_s.toFixed(0)} s, ${r.backfill_s.toFixed(0)} s`
  ])))
  const small = results.find((r) => r.instances === 50)
  if (small) log(`50 instances: ${small.wall_s < 30 ? 'met' : 'MISSED'} < 30 s, ${small.peak_rss_mib < 300 ? 'met' : 'MISSED'} < 300 MiB`)
  mkdirSync(join(ROOT, 'results'), { recursive: true })
  const file = join(ROOT, 'results', `fleet-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, JSON.stringify({ config, results }, null, 2))
  log(`results: ${file}`)
  await cleanup()
}

main().catch(async (err) => {
  process.stderr.write(`bench: ${err.stack ?? err}\n`)
  await cleanup()
  process.exitCode = 1
})
