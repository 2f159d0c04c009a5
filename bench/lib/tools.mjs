// The load generators: memsiege (its CLI), autocannon (npm) and wrk (Debian). Each run returns
// { ok, rps, requests, errors, elapsedS, peakMiB, lastRssMiB, note }.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { hasCommand, makeTempDir, startProcess } from './proc.mjs'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const MEMSIEGE_CLI = join(ROOT, 'dist', 'cli.js')
const require = createRequire(join(ROOT, 'package.json'))

const MiB = (kib) => (kib === undefined ? undefined : kib / 1024)

function failure (result, note) {
  const tail = `${result.stderr}`.trim().split('\n').slice(-3).join(' | ')
  return { ok: false, note: `${note}${tail ? `: ${tail}` : ''}`, peakMiB: MiB(result.peakKiB), lastRssMiB: MiB(result.lastRssKiB), cpuS: result.cpuS }
}

/** Path of autocannon's CLI script, or undefined when it is not installed. */
export function autocannonBin () {
  try {
    const pkgPath = require.resolve('autocannon/package.json')
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'))
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.autocannon
    return { path: join(dirname(pkgPath), bin), version: pkg.version }
  } catch {
    return undefined
  }
}

export function wrkVersion () {
  if (!hasCommand('wrk')) return undefined
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' })
  return `${r.stdout}${r.stderr}`.split('\n')[0].trim()
}

/** memsiege in siege-flag mode; `stop` is ['-t', '10S'] or ['-r', '10000']. Figures come from summary.json. */
export async function runMemsiege ({ url, concurrency, stop, core, pid }) {
  const out = join(makeTempDir('memsiege'), 'run')
  // Sampling the target's /proc as a real run does, so that the sampler's clock is measured under load.
  const sample = pid ? ['--pid', String(pid)] : []
  const proc = startProcess([process.execPath, MEMSIEGE_CLI, '-c', String(concurrency), ...stop, ...sample, '-b', '-q', '--out', out, url], { core, peak: true, cwd: ROOT })
  const result = await proc.done
  if (result.code !== 0) return failure(result, `memsiege exited ${result.code ?? result.signal}`)
  let summary
  try {
    summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  } catch (err) {
    return failure(result, `no summary.json (${err.message})`)
  }
  return {
    ok: true,
    rps: summary.transaction_rate_per_s,
    requests: summary.transactions,
    errors: (summary.failed_transactions ?? 0),
    elapsedS: summary.elapsed_s,
    peakMiB: MiB(result.peakKiB),
    lastRssMiB: MiB(result.lastRssKiB),
    cpuS: result.cpuS,
    latenessMs: sampleLateness(join(out, 'samples.csv'))
  }
}

/**
 * How late each row of samples.csv was taken against its 1 s schedule, in ms: the sampler must
 * keep its clock while the load saturates the core. The baseline row (0 s) and the last row
 * (taken when the run ends, off schedule) are left out.
 */
function sampleLateness (csvPath) {
  let lines
  try {
    lines = readFileSync(csvPath, 'utf8').trim().split('\n')
  } catch {
    return []
  }
  const col = lines[0].split(',').indexOf('elapsed_s')
  return lines.slice(2, -1).map((line) => {
    const elapsed = Number(line.split(',')[col])
    return (elapsed - Math.round(elapsed)) * 1000
  })
}

export async function runAutocannon ({ url, concurrency, seconds, core }) {
  const bin = autocannonBin()
  if (!bin) return { ok: false, note: 'autocannon not installed (npm install)' }
  const proc = startProcess([process.execPath, bin.path, '-c', String(concurrency), '-d', String(seconds), '-j', url], { core, peak: true, cwd: ROOT })
  const result = await proc.done
  if (result.code !== 0) return failure(result, `autocannon exited ${result.code ?? result.signal}`)
  let doc
  try {
    const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop()
    doc = JSON.parse(line)
  } catch (err) {
    return failure(result, `autocannon printed no JSON (${err.message})`)
  }
  const responses = (doc['1xx'] ?? 0) + (doc['2xx'] ?? 0) + (doc['3xx'] ?? 0) + (doc['4xx'] ?? 0) + (doc['5xx'] ?? 0)
  const requests = responses || doc.requests.total
  return {
    ok: true,
    rps: requests / doc.duration,
    requests,
    errors: (doc.errors ?? 0) + (doc.timeouts ?? 0) + (doc.non2xx ?? 0),
    elapsedS: doc.duration,
    peakMiB: MiB(result.peakKiB),
    lastRssMiB: MiB(result.lastRssKiB),
    cpuS: result.cpuS
  }
}

/** A bare undici dispatch loop (bench/undici-loop.mjs): the ceiling of the HTTP client memsiege uses. */
export async function runUndiciLoop ({ url, concurrency, seconds, core }) {
  const proc = startProcess([process.execPath, join(ROOT, 'bench', 'undici-loop.mjs'), url, String(concurrency), String(seconds)], { core, peak: true, cwd: ROOT })
  const result = await proc.done
  if (result.code !== 0) return failure(result, `undici-loop exited ${result.code ?? result.signal}`)
  let doc
  try {
    doc = JSON.parse(result.stdout.trim().split('\n').pop())
  } catch (err) {
    return failure(result, `undici-loop printed no JSON (${err.message})`)
  }
  return { ok: true, rps: doc.rps, requests: doc.requests, errors: 0, elapsedS: doc.elapsed_s, peakMiB: MiB(result.peakKiB), lastRssMiB: MiB(result.lastRssKiB), cpuS: result.cpuS }
}

export async function runWrk ({ url, concurrency, seconds, core }) {
  if (!hasCommand('wrk')) return { ok: false, note: 'wrk not installed' }
  const proc = startProcess(['wrk', '-t1', `-c${concurrency}`, `-d${seconds}s`, url], { core, peak: true })
  const result = await proc.done
  if (result.code !== 0) return failure(result, `wrk exited ${result.code ?? result.signal}`)
  const text = result.stdout
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1])
  if (!Number.isFinite(rps)) return failure(result, 'no "Requests/sec" in wrk output')
  const m = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(text)
  const unit = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text)
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0)
  return {
    ok: true,
    rps,
    requests: m ? Number(m[1]) : undefined,
    errors: non2xx + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
    elapsedS: m ? Number(m[2]) * unit[m[3]] : undefined,
    peakMiB: MiB(result.peakKiB),
    lastRssMiB: MiB(result.lastRssKiB),
    cpuS: result.cpuS
  }
}

export function memsiegeAvailable () {
  return existsSync(MEMSIEGE_CLI)
}
