#!/usr/bin/env node
// npm run bench — memsiege against autocannon and wrk on targets this script installs and starts itself.
//
// Targets (pinned to core 0): nginx (Debian nginx-light, temp prefix, one process) and bench/node-target.mjs.
// Load generators (pinned to core 1): memsiege (node dist/cli.js), autocannon (npm), wrk (Debian).
// Interleaved: for each round, for each target, for each concurrency, for each tool, one run of BENCH_SECONDS.
// Then the memory-growth check: memsiege's RSS after 100 k requests and after BENCH_GROWTH_REQUESTS.
//
// Environment:
//   BENCH_SECONDS=10            seconds per run
//   BENCH_ROUNDS=3              interleaved rounds (medians are over these)
//   BENCH_CONCURRENCY=15,100    concurrencies
//   BENCH_TARGETS=nginx,node    targets
//   BENCH_TOOLS=memsiege,autocannon,wrk
//   BENCH_WARMUP=2              seconds of wrk against each target before the first round (0: none)
//   BENCH_GROWTH=1              0 skips the memory-growth check
//   BENCH_GROWTH_REQUESTS=2000000  requests of the long growth run (the short one is 100 000)
//   BENCH_BUILD=1               0: do not rebuild dist/ when src/ is newer
//   BENCH_STRICT=0              1: exit 1 when a target (1.10× autocannon, ≤ 10 MiB growth) is missed
//   BENCH_ENGINE=1              0 skips the engine checks: --workers 1 vs 2 (and scaling over free cores), fixed-rate accuracy, a stalling target at a fixed rate
//   BENCH_WORKER_PAIRS=8        pairs of --workers 1 and 2 runs (alternating order) in the worker check
//   BENCH_STABILITY=1           0 skips the verdict-stability check (bench/verdict-stability.mjs, its own BENCH_STABILITY_* variables)
//   BENCH_DECIDE=1              0 skips the time-to-decision table (bench/time-to-decision.mjs, its own BENCH_DECIDE_* variables)
//   BENCH_ONLY=decide           only the time-to-decision table
//   BENCH_SOURCE=1              0 skips the cost of --find-source per runtime (bench/find-source-cost.mjs, its own BENCH_SOURCE_* variables)
//   BENCH_FLEET=1               0 skips analyze --prom over a backfilled fleet (bench/fleet.mjs, its own BENCH_FLEET_* variables)
// Traffic goes to 127.0.0.1 only.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { ensureDebianPackages } from './lib/deps.mjs'
import { cleanup, detectHelpers, installCleanupHandlers, isExiting, machineBusyS, processCpuS, sleep } from './lib/proc.mjs'
import { fmt, median, ratios, summarize, table } from './lib/report.mjs'
import { startNginx, startNodeTarget } from './lib/targets.mjs'
import { calibratedRps, rateAccuracy, stallCheck, workerComparison, workerScaling } from './lib/engine-bench.mjs'
import { autocannonBin, MEMSIEGE_CLI, memsiegeAvailable, ROOT, runAutocannon, runMemsiege, runUndiciLoop, runWrk, wrkVersion } from './lib/tools.mjs'

const TARGET_CORE = 0
const LOAD_CORE = 1
const RATIO_TARGET = 1.10
const GROWTH_LIMIT_MIB = 10
const GROWTH_USERS = 10
const GROWTH_BASE_REQUESTS = 100_000
const WORKER_USERS = 100
const WORKER_RATIO_TARGET = 0.95
const WORKER_MIN_REPS = 200
const WORKER_MAX_REPS = 20_000
/** Generator cores tried for the scaling table, at most. */
const WORKER_MAX_SCALING = 4

const env = process.env
const intEnv = (name, def) => {
  const raw = env[name]
  if (raw === undefined || raw === '') return def
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${raw}"`)
  return n
}
const listEnv = (name, def) => (env[name] ? env[name].split(',').map((s) => s.trim()).filter(Boolean) : def)

const config = {
  seconds: Math.max(1, intEnv('BENCH_SECONDS', 10)),
  rounds: Math.max(1, intEnv('BENCH_ROUNDS', 3)),
  workerPairs: Math.max(1, intEnv('BENCH_WORKER_PAIRS', 8)),
  concurrencies: listEnv('BENCH_CONCURRENCY', ['15', '100']).map(Number),
  targets: listEnv('BENCH_TARGETS', ['nginx', 'node']),
  tools: listEnv('BENCH_TOOLS', ['memsiege', 'undici', 'autocannon', 'wrk']),
  warmup: intEnv('BENCH_WARMUP', 2),
  growth: env.BENCH_GROWTH !== '0',
  growthRequests: Math.max(GROWTH_USERS, intEnv('BENCH_GROWTH_REQUESTS', 2_000_000)),
  build: env.BENCH_BUILD !== '0',
  strict: env.BENCH_STRICT === '1',
  stability: env.BENCH_STABILITY !== '0',
  decide: env.BENCH_DECIDE !== '0',
  source: env.BENCH_SOURCE !== '0',
  fleet: env.BENCH_FLEET !== '0',
  engine: env.BENCH_ENGINE !== '0'
}

const log = (line = '') => process.stdout.write(`${line}\n`)
const warn = (line) => process.stderr.write(`bench: warning: ${line}\n`)

/** --workers 1 against 2 on one core, over free cores when the machine has them: printed and returned. */
async function workerChecks (target, groups) {
  const users = WORKER_USERS
  // Sized to last about BENCH_SECONDS at one thread's rate: a thread's start-up is then as small a
  // part of the run as it is of a real one.
  const rps = median(groups.filter((g) => g.target === target.name && g.tool === 'memsiege' && g.concurrency === users).map((g) => g.medianRps)) ??
    await calibratedRps(target.url, { concurrency: users, seconds: 3, core: LOAD_CORE })
  const reps = Math.min(WORKER_MAX_REPS, Math.max(WORKER_MIN_REPS, Math.ceil((rps ?? 0) * config.seconds / users)))
  const pairsCount = config.workerPairs
  log(`Worker threads — memsiege -c ${users} -r ${reps} (${fmt(users * reps)} requests, about ${config.seconds} s at ${fmt(rps)} req/s) against ${target.name}: ${pairsCount} pair(s) of --workers 1 and 2 back to back, in alternating order, both pinned to core ${LOAD_CORE}`)
  log('(one core for both threads: 2 workers can only be as fast as one; the counts must be the same)')
  const runs = await workerComparison(target.url, { concurrency: users, reps, core: LOAD_CORE, pairs: pairsCount, measure: (fn) => measured(target.pid, fn) })
  log(table(['pair', 'workers', 'req/s', 'transactions', 'failed', 'CPU µs/req', 'others CPU%'],
    runs.map((w) => w.ok ? [w.pair, w.workers, fmt(w.rps), w.transactions, w.failed, fmt(w.cpuUsPerRequest, 1), fmt(w.otherCpuPct)] : [w.pair, w.workers, `FAILED (${w.note})`, '', '', '', ''])))
  const pairs = []
  for (let pair = 1; pair <= pairsCount; pair++) {
    const [one, two] = [1, 2].map((workers) => runs.find((r) => r.pair === pair && r.workers === workers))
    if (one?.ok && two?.ok) pairs.push({ rps: two.rps / one.rps, cpu: two.cpuUsPerRequest / one.cpuUsPerRequest, same: one.transactions === two.transactions && one.failed === two.failed })
  }
  const rpsRatio = median(pairs.map((p) => p.rps))
  const cpuRatio = median(pairs.map((p) => p.cpu))
  const sameCounts = pairs.length > 0 && pairs.every((p) => p.same)
  const met = rpsRatio === undefined ? undefined : rpsRatio >= WORKER_RATIO_TARGET && sameCounts
  const times = (x) => (x === undefined ? 'n/a' : `${x.toFixed(2)}×`)
  log(`2 workers / 1 worker by pair: req/s ${pairs.map((p) => times(p.rps)).join(' ') || 'n/a'} (median ${times(rpsRatio)}), CPU/req ${pairs.map((p) => times(p.cpu)).join(' ') || 'n/a'} (median ${times(cpuRatio)}); counts ${sameCounts ? 'identical' : 'DIFFER'}` +
    ` — target req/s ≥ ${WORKER_RATIO_TARGET.toFixed(2)}× with identical counts: ${met === undefined ? 'n/a' : met ? 'MET' : 'MISSED'}`)
  log()
  const free = os.cpus().map((_, core) => core).filter((core) => core !== TARGET_CORE).slice(0, WORKER_MAX_SCALING)
  let scaling
  if (free.length < 2) {
    log(`Scaling over free cores: not measurable here — ${os.cpus().length} core(s), the target on core ${TARGET_CORE} and the generator on core ${LOAD_CORE}; with 3 or more cores this prints req/s of --workers 1..N on N cores of the generator's own`)
  } else {
    log(`Scaling — memsiege -c ${users} -r ${reps} against ${target.name} (core ${TARGET_CORE}), the generator pinned to cores ${free.join(',')}`)
    scaling = await workerScaling(target.url, { concurrency: users, reps, cores: free })
    const base = scaling[0]?.ok ? scaling[0].rps : undefined
    log(table(['workers', 'req/s', 'speed-up', 'transactions', 'CPU µs/req'],
      scaling.map((w) => w.ok ? [w.workers, fmt(w.rps), times(base && w.rps / base), w.transactions, fmt(w.cpuUsPerRequest, 1)] : [w.workers, `FAILED (${w.note})`, '', '', ''])))
    log('(the target has one core: once it is saturated, more workers cannot add req/s)')
  }
  return { users, reps, runs, rpsRatio, cpuRatio, sameCounts, met, scaling, freeCores: free }
}

/** The engine's checks: worker threads, the fixed rate's accuracy, a stalling target at a fixed rate: printed and returned. */
async function engineChecks (target, groups) {
  const seconds = Math.max(3, config.seconds)
  log()
  const workers = await workerChecks(target, groups)
  log()
  log(`Fixed rate — memsiege -R against ${target.name}, ${seconds} s each (target: achieved within 1% of asked)`)
  const rates = await rateAccuracy(target.url, { rates: [1000, 10000, 30000], seconds, core: LOAD_CORE })
  log(table(['asked/s', 'achieved/s', 'achieved/asked', 'late starts', 'p99 ms (from schedule)', 'p99 ms (raw)'],
    rates.map((r) => r.ok ? [fmt(r.rate), fmt(r.achieved), `${(100 * r.achieved / r.rate).toFixed(1)}%`, r.late, fmt(r.p99, 2), fmt(r.rawP99, 2)] : [fmt(r.rate), `FAILED (${r.note})`, '', '', '', ''])))
  log()
  const stall = await stallCheck({ rate: 100, seconds: Math.max(10, seconds), targetCore: TARGET_CORE, core: LOAD_CORE })
  log(`A target answering in 20 ms that stalls 1 s in every 5 s, at 100 req/s for ${stall.seconds} s — what each tool's p99 shows:`)
  const m = stall.memsiege
  log(table(['tool', 'p50 ms', 'p99 ms', 'requests'], [
    ['memsiege (from schedule)', fmt(m.p50, 1), fmt(m.p99, 1), m.requests ?? m.note],
    ['memsiege (raw, from send)', fmt(m.rawP50, 1), fmt(m.rawP99, 1), m.requests ?? ''],
    ['autocannon -R 100 -c 50', fmt(stall.autocannon?.p50, 1), fmt(stall.autocannon?.p99, 1), stall.autocannon?.requests ?? 'n/a']
  ]))
  return { workers, rates, stall }
}

async function main () {
  installCleanupHandlers()
  if (env.BENCH_ONLY === 'decide') {
    const problem = buildMemsiege()
    if (problem) throw new Error(problem)
    timeToDecision()
    return
  }
  log('memsiege bench — all traffic to 127.0.0.1')
  for (const w of ensureDebianPackages(log)) warn(w)
  const helpers = detectHelpers()
  if (!helpers.taskset) warn('taskset (util-linux) not found: targets and load generators are NOT pinned to separate cores')
  if (os.cpus().length < 2) warn(`only ${os.cpus().length} CPU: pinning target and load generator to different cores is not possible`)
  if (!helpers.time) warn('/usr/bin/time not found: peak RSS is polled from /proc (VmHWM) instead')

  const memsiegeNote = config.tools.includes('memsiege') ? buildMemsiege() : undefined
  const ac = autocannonBin()
  if (config.tools.includes('autocannon') && !ac) warn('autocannon is not installed: run `npm install` (it is a devDependency)')

  const started = {}
  for (const name of config.targets) {
    try {
      started[name] = name === 'nginx' ? await startNginx(TARGET_CORE) : name === 'node' ? await startNodeTarget(TARGET_CORE) : undefined
      if (!started[name]) warn(`unknown target "${name}" (nginx, node)`)
    } catch (err) {
      warn(`target ${name} did not start: ${err.message}`)
    }
  }
  const targets = config.targets.filter((t) => started[t])
  if (targets.length === 0) throw new Error('no target started')

  let memsiegeOk = config.tools.includes('memsiege') && memsiegeAvailable()
  let memsiegeProblem = memsiegeNote
  if (memsiegeOk) {
    const smoke = await runMemsiege({ url: started[targets[0]].url, concurrency: 1, stop: ['-r', '1'], core: LOAD_CORE })
    if (!smoke.ok) {
      memsiegeOk = false
      memsiegeProblem = `memsiege smoke run failed: ${smoke.note}`
    }
  } else if (config.tools.includes('memsiege') && !memsiegeProblem) {
    memsiegeProblem = `${MEMSIEGE_CLI} does not exist (npm run build)`
  }
  if (memsiegeProblem) warn(memsiegeProblem)

  const machine = {
    cpu: os.cpus()[0]?.model,
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    node: process.versions.node,
    nginx: started.nginx?.version,
    wrk: wrkVersion(),
    autocannon: ac?.version,
    pinned: helpers.taskset ? `targets on core ${TARGET_CORE}, load generators on core ${LOAD_CORE}` : 'no (taskset missing)'
  }
  log(`machine: ${machine.cpus} × ${machine.cpu}, load average ${machine.loadavg.join(' ')}`)
  log(`versions: node ${machine.node}, nginx ${machine.nginx ?? 'n/a'}, ${machine.wrk ?? 'wrk n/a'}, autocannon ${machine.autocannon ?? 'n/a'}`)
  log(`pinning: ${machine.pinned}`)
  if (machine.loadavg[0] > 1) warn(`the machine is busy (load average ${machine.loadavg[0]}): figures will be noisy; see the "others CPU%" column`)
  for (const t of targets) log(`target ${t}: ${started[t].url} (pid ${started[t].pid})`)
  log(`plan: ${config.rounds} round(s) × ${targets.length} target(s) × c=${config.concurrencies.join(',')} × ${config.tools.join(', ')}, ${config.seconds} s each`)

  if (config.warmup > 0) {
    for (const t of targets) {
      if (isExiting()) return
      log(`warm-up: ${t}, ${config.warmup} s`)
      if (wrkVersion()) await runWrk({ url: started[t].url, concurrency: 15, seconds: config.warmup, core: LOAD_CORE })
      else if (ac) await runAutocannon({ url: started[t].url, concurrency: 15, seconds: config.warmup, core: LOAD_CORE })
    }
  }

  const runs = []
  const total = config.rounds * targets.length * config.concurrencies.length * config.tools.length
  log()
  for (let round = 1; round <= config.rounds; round++) {
    for (const target of targets) {
      for (const concurrency of config.concurrencies) {
        for (const tool of config.tools) {
          if (isExiting()) return
          const args = { url: started[target].url, concurrency, seconds: config.seconds, core: LOAD_CORE }
          const r = await measured(started[target].pid, async () => {
            if (tool === 'memsiege') return memsiegeOk ? runMemsiege({ ...args, pid: started[target].pid, stop: ['-t', `${config.seconds}S`] }) : { ok: false, note: memsiegeProblem }
            if (tool === 'autocannon') return runAutocannon(args)
            if (tool === 'wrk') return runWrk(args)
            if (tool === 'undici') return runUndiciLoop(args)
            return { ok: false, note: `unknown tool "${tool}"` }
          })
          const run = { round, target, concurrency, tool, ...r }
          runs.push(run)
          const detail = r.ok
            ? `${fmt(r.rps)} req/s, peak RSS ${fmt(r.peakMiB, 1)} MiB, CPU % generator ${fmt(r.genCpuPct)} target ${fmt(r.targetCpuPct)} others ${fmt(r.otherCpuPct)}${r.errors ? `, ${r.errors} errors` : ''}`
            : `FAILED (${r.note})`
          log(`[${String(runs.length).padStart(String(total).length)}/${total}] round ${round} ${target.padEnd(5)} c=${String(concurrency).padEnd(3)} ${tool.padEnd(10)} ${detail}`)
          await sleep(500)
        }
      }
    }
  }

  const groups = summarize(runs, targets, config.concurrencies, config.tools)
  const rat = ratios(groups, targets, config.concurrencies, RATIO_TARGET, runs)
  log()
  log(`Throughput — medians of ${config.rounds} interleaved run(s) of ${config.seconds} s`)
  log(table(
    ['target', 'c', 'tool', 'median req/s', 'runs req/s', 'CPU µs/req', 'peak RSS MiB', 'gen CPU%', 'target CPU%', 'others CPU%', 'errors'],
    groups.map((g) => [g.target, g.concurrency, g.tool, fmt(g.medianRps), g.rpsRuns.map((x) => fmt(x)).join(' '), fmt(g.medianCpuUsPerRequest, 1), fmt(g.medianPeakMiB, 1),
      fmt(g.medianGenCpuPct), fmt(g.medianTargetCpuPct), fmt(g.medianOtherCpuPct), g.okRuns ? g.errors : 'n/a']),
    3
  ))
  log('(medians; CPU% = 100 per fully busy core over the run\'s wall time; "others" = the rest of the machine, e.g. other people\'s tests)')
  log()
  const times = (x) => (x === undefined ? 'n/a' : `${x.toFixed(2)}×`)
  log(`Ratios of medians (target: memsiege ≥ ${RATIO_TARGET.toFixed(2)}× autocannon at every concurrency)`)
  log(table(
    ['target', 'c', 'memsiege/undici', 'memsiege/autocannon', 'memsiege/wrk', `≥ ${RATIO_TARGET.toFixed(2)}×?`, 'CPU/req vs autocannon (≤ 0.80×)', 'CPU/req vs wrk'],
    rat.map((r) => [r.target, r.concurrency, times(r.vsUndici), times(r.vsAutocannon), times(r.vsWrk), r.met === undefined ? 'n/a' : r.met ? 'MET' : 'MISSED',
      r.cpuVsAutocannon === undefined ? 'n/a' : `${r.cpuVsAutocannon.toFixed(2)}× ${r.cpuVsAutocannon <= 0.8 ? 'MET' : 'MISSED'}`, times(r.cpuVsWrk)]),
    2
  ))
  log()
  log('The same ratios within each round (memsiege and autocannon run back to back, under the same load from the rest of the machine)')
  log(table(
    ['target', 'c', 'req/s memsiege/autocannon by round', 'CPU/req memsiege/autocannon by round'],
    rat.map((r) => [r.target, r.concurrency, r.rounds.rpsVsAutocannon.map(times).join(' ') || 'n/a', r.rounds.cpuVsAutocannon.map(times).join(' ') || 'n/a']),
    2
  ))
  log()
  log('CPU-seconds per 100k requests (medians; whole process, start-up included)')
  log(table(['target', 'c', ...config.tools], targets.flatMap((t) => config.concurrencies.map((c) => [t, c, ...config.tools.map((tool) => fmt(groups.find((g) => g.target === t && g.concurrency === c && g.tool === tool)?.cpuS100k, 2))])), 2))
  for (const g of groups) for (const note of g.notes) warn(`${g.target} c=${g.concurrency} ${g.tool}: ${note}`)

  const lateness = runs.flatMap((r) => r.latenessMs ?? []).sort((a, b) => a - b)
  if (lateness.length > 0) {
    const p99 = lateness[Math.min(lateness.length - 1, Math.ceil(lateness.length * 0.99) - 1)]
    log()
    log(`Sampler clock under full load — lateness of ${lateness.length} samples.csv rows against their 1 s schedule:`)
    log(`  median ${fmt(median(lateness), 1)} ms, p99 ${fmt(p99, 1)} ms, max ${fmt(lateness.at(-1), 1)} ms (target: p99 ≤ 50 ms): ${p99 <= 50 ? 'MET' : 'MISSED'}`)
  }

  let engine
  if (config.engine && memsiegeOk && !isExiting()) engine = await engineChecks(started[targets.includes('nginx') ? 'nginx' : targets[0]], groups)

  let growth
  if (config.growth) {
    if (isExiting()) return
    growth = await growthCheck(started[targets.includes('nginx') ? 'nginx' : targets[0]], memsiegeOk, memsiegeProblem)
  }

  const file = writeResults({ config, machine, runs, groups, ratios: rat, engine, growth })
  log()
  log(`results: ${file}`)
  await cleanup()

  // The verdict's stability under load: its own script (targets started fresh each run), after
  // this bench's targets are stopped, so that only its busy loop keeps a core busy.
  if (config.stability && !isExiting()) {
    log()
    spawnSync(process.execPath, [join(ROOT, 'bench', 'verdict-stability.mjs')], { stdio: 'inherit', cwd: ROOT })
  }
  if (config.decide && !isExiting()) {
    log()
    timeToDecision()
  }
  if (config.source && !isExiting()) {
    log()
    spawnSync(process.execPath, [join(ROOT, 'bench', 'find-source-cost.mjs')], { stdio: 'inherit', cwd: ROOT })
  }
  // A fleet's history in Prometheus: no load, only memsiege reading and judging it.
  if (config.fleet && !isExiting()) {
    log()
    spawnSync(process.execPath, [join(ROOT, 'bench', 'fleet.mjs')], { stdio: 'inherit', cwd: ROOT })
  }

  const missed = rat.some((r) => r.met === false) || growth?.met === false
  process.exitCode = config.strict && missed ? 1 : 0
}

/**
 * Runs fn (one load-generator run) and adds CPU figures: the generator's own (from /usr/bin/time),
 * the target's (from /proc), and everything else on the machine (noise from other work).
 */
async function measured (targetPid, fn) {
  const wall0 = performance.now()
  const busy0 = machineBusyS()
  const target0 = processCpuS(targetPid)
  const self0 = process.cpuUsage()
  const r = await fn()
  const wallS = (performance.now() - wall0) / 1000
  const busy = machineBusyS() - busy0
  const target = processCpuS(targetPid) - target0
  const selfUsage = process.cpuUsage(self0)
  const self = (selfUsage.user + selfUsage.system) / 1e6
  const pct = (s) => (Number.isFinite(s) && wallS > 0 ? Math.max(0, (s / wallS) * 100) : undefined)
  return {
    ...r,
    wallS,
    genCpuPct: pct(r.cpuS),
    targetCpuPct: pct(target),
    otherCpuPct: r.cpuS === undefined ? undefined : pct(busy - target - r.cpuS - self)
  }
}

/** memsiege's RSS at the end of a 100 k-request run and of a BENCH_GROWTH_REQUESTS run (c = 10, -r). */
async function growthCheck (target, memsiegeOk, memsiegeProblem) {
  log()
  log(`Memory growth — memsiege -c ${GROWTH_USERS} -r N against ${target.name}; RSS = last VmRSS polled every 200 ms before exit`)
  if (!memsiegeOk) {
    warn(`growth check skipped: ${memsiegeProblem}`)
    return { skipped: memsiegeProblem }
  }
  const sizes = [GROWTH_BASE_REQUESTS, config.growthRequests]
  const results = []
  for (const requests of sizes) {
    const reps = Math.ceil(requests / GROWTH_USERS)
    const t0 = Date.now()
    const r = await runMemsiege({ url: target.url, concurrency: GROWTH_USERS, stop: ['-r', String(reps)], core: LOAD_CORE })
    const wall = (Date.now() - t0) / 1000
    results.push({ requests: GROWTH_USERS * reps, wallS: wall, ...r })
    log(r.ok
      ? `  ${fmt(r.requests).padStart(10)} requests in ${fmt(r.elapsedS, 1)} s (${fmt(r.rps)} req/s): RSS at end ${fmt(r.lastRssMiB, 1)} MiB, peak ${fmt(r.peakMiB, 1)} MiB${r.errors ? `, ${r.errors} errors` : ''}`
      : `  ${fmt(GROWTH_USERS * reps).padStart(10)} requests: FAILED (${r.note})`)
    if (isExiting()) return { results }
  }
  const [small, large] = results
  const growthMiB = small.ok && large.ok && small.lastRssMiB !== undefined && large.lastRssMiB !== undefined ? large.lastRssMiB - small.lastRssMiB : undefined
  const met = growthMiB === undefined ? undefined : growthMiB <= GROWTH_LIMIT_MIB
  log(`  growth ${fmt(small.requests)} → ${fmt(large.requests)} requests: ${growthMiB === undefined ? 'n/a' : `${growthMiB >= 0 ? '+' : ''}${fmt(growthMiB, 1)} MiB`} (target ≤ ${GROWTH_LIMIT_MIB} MiB): ${met === undefined ? 'n/a' : met ? 'MET' : 'MISSED'}`)
  return { users: GROWTH_USERS, results, growthMiB, limitMiB: GROWTH_LIMIT_MIB, met }
}

/** The time-to-decision table: its own script (targets started fresh for each run). */
function timeToDecision () {
  spawnSync(process.execPath, [join(ROOT, 'bench', 'time-to-decision.mjs')], { stdio: 'inherit', cwd: ROOT })
}

/** Rebuilds dist/ when src/ is newer. Returns a problem note when memsiege cannot be used. */
function buildMemsiege () {
  if (!config.build) return undefined
  const newest = (dir) => {
    let t = 0
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
    }
    return t
  }
  let stale = true
  try {
    stale = newest(join(ROOT, 'src')) > statSync(MEMSIEGE_CLI).mtimeMs
  } catch {}
  if (!stale) return undefined
  log('building memsiege (tsc -p tsconfig.json)…')
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' })
  if (r.status === 0) return undefined
  const first = `${r.stdout}${r.stderr}`.trim().split('\n').slice(0, 5).join('\n  ')
  if (memsiegeAvailable()) {
    warn(`the build failed; using the existing dist/ (it may be stale):\n  ${first}`)
    return undefined
  }
  return `memsiege does not build:\n  ${first}`
}

function writeResults (doc) {
  const dir = join(ROOT, 'results')
  mkdirSync(dir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  const file = join(dir, `bench-${stamp}.json`)
  writeFileSync(file, JSON.stringify({ schema: 'memsiege-bench/1', written_at: new Date().toISOString(), ...doc }, null, 2) + '\n')
  return file
}

main().catch(async (err) => {
  if (isExiting()) return // Ctrl-C: the signal handler stops the children and exits
  process.stderr.write(`bench: ${err.stack ?? err}\n`)
  await cleanup()
  process.exit(1)
})
