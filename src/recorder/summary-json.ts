import { createRequire } from 'node:module'
import type { Scenario } from '../scenario/types.js'
import { latencyPercentiles, type LatencyPercentiles } from '../counters/latency-histogram.js'
import type { RunStats } from '../counters/run-stats.js'
import { siegeFigures, type SiegeFigures } from '../counters/siege-figures.js'
import { version } from '../version.js'
import { rateFigures, type RateFigures } from '../counters/rate-figures.js'
import { usersOf } from '../engine/load-engine.js'
import type { ColumnMeanings } from '../columns/index.js'
import type { EventRecord } from './events-csv.js'
import { redactEnv, redactHeaders, redactText, redactUrl, scenarioSecrets } from './redact.js'
import { writeFileWhole } from './write-whole.js'

export const SCHEMA_VERSION = 1

export interface EndpointSummary {
  endpoint: string
  transactions: number
  successful: number
  failed: number
  bytes: number
  latency: LatencyPercentiles
}

export interface RunSummary extends SiegeFigures {
  schemaVersion: number
  name: string
  versions: { memsiege: string; node: string; undici: string }
  started_at: string
  ended_at: string
  interrupted: boolean
  results_dir: string
  config: ReturnType<typeof effectiveConfig>
  latency: LatencyPercentiles
  status_codes: Record<string, number>
  errors: RunStats['errors']
  endpoints: EndpointSummary[]
  /** What happened to the target: exits and restarts, as in events.csv. */
  events: EventRecord[]
  /** What each samples.csv column means, as the samplers that wrote it declared. */
  columns?: ColumnMeanings
  /** A fixed-rate run (`rate:`, `-R`): asked and achieved rate, late starts, latency from the send. */
  rate?: RateFigures
  /** Why the run (or watch) stopped before its stop condition: a restart loop. */
  stopped_because?: string
  /** A watch's: what its `requests` column counts (memsiege sent no load). */
  x_axis?: string
  /** A watch's summary rewritten while it runs (`--every`): not the final one yet. */
  in_progress?: boolean
  /** The record/replay proxies the run started for the target (scenario key `stubs`). */
  stubs?: StubSummary[]
}

/** What one `memsiege stub` answered during a run. */
export interface StubSummary {
  mode: 'record' | 'replay' | 'pass-through'
  /** Where it listened (http://127.0.0.1:PORT). */
  url: string
  /** The upstream of a reverse proxy; absent for a forward proxy. */
  upstream?: string
  requests: number
  /** Answered from a recording. */
  hits: number
  /** Answered by a hand-written rule. */
  rule_hits: number
  /** Matched neither a recording nor a rule (answered as the rules file's `unmatched` says). */
  misses: number
  passed_through: number
  recorded: number
  /** Not forwarded: a host outside loopback with loopbackOnly, or a client outside loopback. */
  refused: number
  /** From the request's arrival to the answer, as the stub saw it (delays included). */
  latency: LatencyPercentiles
}

export interface RunTimes {
  startedAt: Date
  endedAt: Date
  elapsedS: number
}

export function buildSummary (scenario: Scenario, stats: RunStats, times: RunTimes, dir: string, interrupted: boolean, events: EventRecord[]): RunSummary {
  return {
    schemaVersion: SCHEMA_VERSION,
    name: scenario.name,
    versions: { memsiege: version, node: process.versions.node, undici: undiciVersion() },
    started_at: times.startedAt.toISOString(),
    ended_at: times.endedAt.toISOString(),
    interrupted,
    results_dir: dir,
    config: effectiveConfig(scenario),
    ...siegeFigures(stats, times.elapsedS),
    latency: latencyPercentiles(stats.latency),
    status_codes: stats.statusCodes(),
    errors: stats.errors,
    endpoints: stats.endpoints.all().map((e) => ({
      endpoint: e.key,
      transactions: e.transactions,
      successful: e.successful,
      failed: e.failed,
      bytes: e.bytes,
      latency: latencyPercentiles(e.latency)
    })),
    events,
    ...(scenario.rate !== undefined ? { rate: rateFigures(stats, times.endedAt, scenario.rate, usersOf(scenario)) } : {})
  }
}

/** summary.json, written whole; throws WriteWholeError naming it. */
export function writeSummary (path: string, summary: RunSummary): void {
  writeFileWhole(path, JSON.stringify(summary, null, 2) + '\n')
}

/** The scenario as it ran, without the parsed list (copied beside it) and without secrets. */
function effectiveConfig (scenario: Scenario) {
  const { urls, headers, target, ...rest } = scenario
  const known = scenarioSecrets(scenario)
  const text = (value: string | undefined): string | undefined => value === undefined ? undefined : redactText(value, known)
  return {
    ...rest,
    ...(rest.sample.gc ? { sample: { ...rest.sample, gc: { ...rest.sample.gc, url: text(rest.sample.gc.url)! } } } : {}),
    target: { ...target, url: redactUrl(target.url), command: text(target.command), restart: text(target.restart), env: redactEnv(target.env) },
    headers: redactHeaders(headers),
    urls: { file: urls.file, lines: urls.entries.length }
  }
}

function undiciVersion (): string {
  const require = createRequire(import.meta.url)
  return (require('undici/package.json') as { version: string }).version
}
