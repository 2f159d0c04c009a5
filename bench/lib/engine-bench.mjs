// The engine's own checks in `npm run bench`: worker threads against one thread, and the fixed
// rate's accuracy (achieved against asked; a stalling target's p99 from the schedule, from the
// send, and as autocannon -R reports it).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { autocannonBin, MEMSIEGE_CLI, ROOT } from './tools.mjs'
import { freePort, makeTempDir, startProcess, stopChild } from './proc.mjs'

/** memsiege's CLI with `flags`; resolves with summary.json and the process's CPU seconds. */
export async function memsiegeSummary (url, flags, core) {
  const out = join(makeTempDir('memsiege'), 'run')
  const proc = startProcess([process.execPath, MEMSIEGE_CLI, ...flags, '-b', '-q', '--out', out, url], { core, peak: true, cwd: ROOT })
  const result = await proc.done
  if (result.code !== 0) return { ok: false, note: `memsiege exited ${result.code ?? result.signal}: ${result.stderr.trim().split('\n').pop()}` }
  return { ok: true, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')), cpuS: result.cpuS }
}

/** One `-c concurrency -r reps --workers N` run pinned to `core` (a core or a list such as "1-3"): req/s, counts, CPU. */
async function workersRun (url, { concurrency, reps, workers, core }) {
  const r = await memsiegeSummary(url, ['-c', String(concurrency), '-r', String(reps), '--workers', String(workers)], core)
  return r.ok
    ? { workers, ok: true, rps: r.summary.transaction_rate_per_s, transactions: r.summary.transactions, failed: r.summary.failed_transactions, cpuS: r.cpuS, cpuUsPerRequest: r.cpuS * 1e6 / r.summary.transactions }
    : { workers, ok: false, note: r.note }
}

/** req/s of a `-c concurrency -t seconds` run: sizes the worker runs so that they last about as long. */
export async function calibratedRps (url, { concurrency, seconds, core }) {
  const r = await memsiegeSummary(url, ['-c', String(concurrency), '-t', `${seconds}S`], core)
  return r.ok ? r.summary.transaction_rate_per_s : undefined
}

/**
 * `--workers 1` and `--workers 2` on the same core, the same repetitions budget, back to back in
 * each of `pairs`, in alternating order (1 then 2, 2 then 1: a machine whose speed drifts, as a
 * shared virtual one does by tens of percent from one run to the next, favours neither): req/s,
 * CPU and the counts, which must be equal. `measure` wraps a run to add the machine's CPU figures.
 */
export async function workerComparison (url, { concurrency, reps, core, pairs, measure = (fn) => fn() }) {
  const runs = []
  for (let pair = 1; pair <= pairs; pair++) {
    for (const workers of pair % 2 ? [1, 2] : [2, 1]) runs.push({ pair, ...await measure(() => workersRun(url, { concurrency, reps, workers, core })) })
  }
  return runs
}

/** `--workers 1..cores.length` pinned to the generator's `cores` (a target elsewhere): req/s and speed-up over one. */
export async function workerScaling (url, { concurrency, reps, cores }) {
  const rows = []
  for (let workers = 1; workers <= cores.length; workers++) rows.push(await workersRun(url, { concurrency, reps, workers, core: cores.join(',') }))
  return rows
}

/** memsiege -R at each rate for `seconds` against `url`: achieved/asked, late starts, p99s. */
export async function rateAccuracy (url, { rates, seconds, core }) {
  const rows = []
  for (const rate of rates) {
    const r = await memsiegeSummary(url, ['-c', '1', '-t', `${seconds}S`, '-R', `${rate}/s`, '--max-in-flight', '200'], core)
    rows.push(r.ok
      ? { rate, ok: true, achieved: r.summary.rate.achieved_per_s, late: r.summary.rate.late_starts, p99: r.summary.latency.p99_ms, rawP99: r.summary.rate.latency_raw.p99_ms }
      : { rate, ok: false, note: r.note })
  }
  return rows
}

/** The stalling target (bench/stall-target.mjs) at a fixed rate: memsiege's corrected and raw p99 beside autocannon -R's. */
export async function stallCheck ({ rate, seconds, targetCore, core }) {
  const port = await freePort()
  let ready
  const listening = new Promise((resolve) => { ready = resolve })
  const target = startProcess([process.execPath, join(ROOT, 'bench', 'stall-target.mjs'), String(port)], { core: targetCore, onStdout: (d) => { if (d.includes('listening')) ready() } })
  await listening
  const url = `http://127.0.0.1:${port}/`
  try {
    const ours = await memsiegeSummary(url, ['-c', '1', '-t', `${seconds}S`, '-R', `${rate}/s`], core)
    const ac = autocannonBin()
    let autocannon
    if (ac) {
      const proc = startProcess([process.execPath, ac.path, '-c', '50', '-R', String(rate), '-d', String(seconds), '-j', url], { core, cwd: ROOT })
      const result = await proc.done
      const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop()
      const doc = line ? JSON.parse(line) : undefined
      autocannon = doc && { p99: doc.latency.p99, p50: doc.latency.p50, requests: doc.requests.total }
    }
    return {
      rate,
      seconds,
      memsiege: ours.ok ? { p50: ours.summary.latency.p50_ms, p99: ours.summary.latency.p99_ms, rawP50: ours.summary.rate.latency_raw.p50_ms, rawP99: ours.summary.rate.latency_raw.p99_ms, requests: ours.summary.transactions } : { note: ours.note },
      autocannon
    }
  } finally {
    await stopChild(target.child)
  }
}
