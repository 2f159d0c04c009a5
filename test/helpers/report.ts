/** Inputs for the report tests: synthetic runs, hand-written verdicts, and real short runs of a fixture app. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MetricVerdict, RunVerdict, SegmentVerdict } from '../../src/analysis/types.js'
import { VERDICT_ORDER } from '../../src/analysis/attribution.js'
import type { RunSummary } from '../../src/recorder/summary-json.js'
import type { ReportInput, SeriesData } from '../../src/report/report-input.js'
import { runCli } from './cli.js'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort, killGroup, spawnWithLine } from '../fixtures/sampler-helpers.js'
import { waitFor } from './wait.js'

/** A summary.json as a run writes it, with the figures a report reads. */
export function fakeSummary (over: Partial<RunSummary> = {}): RunSummary {
  return {
    schemaVersion: 1,
    name: 'synthetic',
    versions: { memsiege: '0.1.0', node: '20', undici: '7' },
    started_at: '2026-01-01T00:00:00.000Z',
    ended_at: '2026-01-01T01:00:00.000Z',
    interrupted: false,
    results_dir: '/tmp/synthetic',
    config: { name: 'synthetic', concurrency: 4, stop: { kind: 'duration', seconds: 3600 }, delay: 0, order: 'sequential', timeout: 30, follow: true, cookies: true, sample: { interval: 1, pssInterval: 30 }, target: { insecure: false, readyTimeout: 30, tree: true, pid: 1 }, headers: [], urls: { lines: 1 } } as unknown as RunSummary['config'],
    transactions: 360000,
    availability_percent: 100,
    elapsed_s: 3600,
    data_transferred_bytes: 1e8,
    response_time_ms: 1.2,
    transaction_rate_per_s: 100,
    throughput_bytes_per_s: 27777,
    concurrency: 3.9,
    successful_transactions: 360000,
    failed_transactions: 0,
    longest_ms: 50,
    shortest_ms: 0.1,
    latency: { p50_ms: 1, p90_ms: 2, p99_ms: 5, p999_ms: 9, max_ms: 50, min_ms: 0.1, mean_ms: 1.2 },
    status_codes: { 200: 360000 },
    errors: { refused: 0, reset: 0, timeout: 0, dns: 0, tls: 0, other: 0 },
    endpoints: [],
    events: [],
    ...over
  } as RunSummary
}

/**
 * A sawtooth: RSS climbs `slope` bytes per request between collections and drops back to a floor
 * that itself rises by `floorSlope` per request; rows `gap` are empty (the target was gone).
 */
export function sawtoothInput (opts: { rows: number; slope?: number; floorSlope?: number; gap?: [number, number]; rate?: number; name?: string; objects?: boolean }): ReportInput {
  const { rows } = opts
  const rate = opts.rate ?? 100
  const elapsed_s: number[] = []
  const requests: number[] = []
  const rss: Array<number | null> = []
  const objects: Array<number | null> = []
  const rps: Array<number | null> = []
  const p99: Array<number | null> = []
  for (let i = 0; i < rows; i++) {
    const r = i * rate
    elapsed_s.push(i)
    requests.push(r)
    const inGap = opts.gap && i >= opts.gap[0] && i < opts.gap[1]
    const tooth = (i % 60) * rate * (opts.slope ?? 2000)
    rss.push(inGap ? null : 100 * 2 ** 20 + r * (opts.floorSlope ?? 0) + tooth)
    objects.push(inGap ? null : 500_000 + r * 0.5 + (i % 60) * 1000)
    rps.push(i === 0 ? 0 : rate)
    p99.push(i === 0 ? null : 3 + (i % 7))
  }
  const columns: SeriesData['columns'] = { rss_bytes: rss, rps, p99_ms: p99 }
  if (opts.objects !== false) columns['gc.stat.heap_live_slots'] = objects
  const summary = fakeSummary({ name: opts.name ?? 'synthetic', elapsed_s: rows - 1, transactions: requests[rows - 1] })
  return { dir: '/tmp/synthetic', summary, series: { elapsed_s, requests, columns }, events: [] }
}

/** The floor (minimum of each window of `window` rows) as [requests, value]. */
export function floorOf (series: SeriesData, column: string, window: number, from = 0, to = series.elapsed_s.length): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const values = series.columns[column]
  for (let start = from; start + window <= to; start += window) {
    let best = -1
    for (let i = start; i < start + window; i++) {
      const v = values[i]
      if (v !== null && (best < 0 || v < (values[best] as number))) best = i
    }
    if (best >= 0) out.push([series.requests[best], values[best] as number])
  }
  return out
}

/** Least squares through the floor, with a made-up ±10% interval: a hand-written verdict for a test. */
export function handSegment (series: SeriesData, column: string, window: number, from = 0, to = series.elapsed_s.length, verdict: SegmentVerdict['verdict'] = 'leak'): SegmentVerdict {
  const floor = floorOf(series, column, window, from, to)
  const n = floor.length
  const mx = floor.reduce((s, p) => s + p[0], 0) / n
  const my = floor.reduce((s, p) => s + p[1], 0) / n
  const sxy = floor.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0)
  const sxx = floor.reduce((s, p) => s + (p[0] - mx) ** 2, 0)
  const slope = sxx > 0 ? sxy / sxx : 0
  const intercept = my - slope * mx
  const spread = Math.abs(slope) * 0.1 + 1e-9
  const rate = series.requests[to - 1] / Math.max(1e-9, series.elapsed_s[to - 1])
  return {
    rows: [from, to],
    requests: [series.requests[from], series.requests[to - 1]],
    elapsed_s: [series.elapsed_s[from], series.elapsed_s[to - 1]],
    verdict,
    per_request: { value: slope, low: slope - spread, high: slope + spread, level: 0.95 },
    per_hour: { value: slope * rate * 3600, low: (slope - spread) * rate * 3600, high: (slope + spread) * rate * 3600, level: 0.95 },
    p_value: 0.0001,
    warmup: { elapsed_s: 0, requests: 0 },
    windows: n,
    reason: 'the floor rises with every window <b>(hand-written for a test)</b>',
    fit: { intercept, slope_per_request: slope },
    floor
  }
}

export function handVerdict (metrics: MetricVerdict[], summary = 'RSS grows by about 10 KiB per request: a leak. <script>alert(1)</script>'): RunVerdict {
  const worst = metrics.reduce((w, m) => VERDICT_ORDER[m.verdict] > VERDICT_ORDER[w] ? m.verdict : w, 'flat' as RunVerdict['verdict'])
  return { verdict: worst, summary, attribution: worst === 'leak' ? 'object-leak' : 'none', hint: 'Take a heap snapshot & compare.', metrics, settings: {}, breaches: [] }
}

/** Adds a hand-written verdict to a results folder's summary.json, as `memsiege analyze` would. */
/** Replaces the verdict a run saved in its summary.json; `undefined` removes it (a run from before verdicts). */
export function writeVerdict (dir: string, verdict: RunVerdict | undefined): void {
  const path = join(dir, 'summary.json')
  const summary = JSON.parse(readFileSync(path, 'utf8'))
  writeFileSync(path, JSON.stringify({ ...summary, verdict }, null, 2) + '\n')
}

/** test/fixtures/gc-steps-app.mjs: a full GC every 50 requests, so that floors come at fixed request counts. */
const GC_STEPS_APP = fileURLToPath(new URL('../fixtures/gc-steps-app.mjs', import.meta.url))

/** Starts the fixture app on `port` (0: any) in its own process group. */
async function startApp (port = 0) {
  const { child, line } = await spawnWithLine(process.execPath, ['--expose-gc', GC_STEPS_APP, '--port', String(port)])
  const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(line)
  if (!m) throw new Error(`gc-steps-app said: ${line}`)
  return { child, url: m[1], port: Number(m[2]), pid: child.pid! }
}

/**
 * A real short run of the built CLI against test/fixtures/gc-steps-app.mjs, sampled every 100 ms
 * with the GC endpoint, sized in requests so that a slow or busy machine records the same run as
 * a fast one: the app collects every 50 requests, so the floors between major GCs are there
 * whatever the machine (a think time keeps a fast one from finishing within a few samples). With
 * `restartAfter`, once that many requests are done, memsiege is paused while the server is killed
 * and a new one started on the same port — a pause, so that no request of the budget goes to a
 * port nobody listens on — and the run records target_exited and target_restarted.
 */
export async function realRun (out: string, opts: { path: string; requests: number; name: string; restartAfter?: number }): Promise<{ status: number | null; stderr: string }> {
  const port = await freePort()
  let app = await startApp(port)
  const scenario = join(out + '.yml')
  writeFileSync(scenario, [
    `name: ${JSON.stringify(opts.name)}`,
    'target:',
    `  url: ${app.url}`,
    `urls: ["${opts.path}"]`,
    'concurrency: 2',
    `requests: ${opts.requests}`,
    'delay: 20ms',
    'timeout: 10s',
    'sample:',
    '  interval: 100ms',
    '  gc: { url: /__memsiege/gc, interval: 100ms }',
    ''
  ].join('\n'))
  const target = opts.restartAfter === undefined ? ['--pid', String(app.pid)] : ['--port', String(port)]
  let memsiege: ChildProcess | undefined
  const running = runCli(['run', scenario, ...target, '--out', out, '--quiet', '--keep-going'], { timeoutMs: 180_000, onSpawn: (child) => { memsiege = child } })
  try {
    if (opts.restartAfter !== undefined) {
      const requestsDone = () => { try { return Number(readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n').at(-1)!.split(',')[2]) || 0 } catch { return 0 } }
      await waitFor(() => requestsDone() >= opts.restartAfter!, 60_000, `${opts.restartAfter} requests`)
      memsiege!.kill('SIGSTOP')
      try {
        await killGroup(app.child)
        app = await startApp(port)
      } finally {
        memsiege!.kill('SIGCONT')
      }
    }
    const r = await running
    return { status: r.status, stderr: r.stderr }
  } catch (err) {
    memsiege?.kill('SIGKILL')
    throw err
  } finally {
    await killGroup(app.child)
  }
}
