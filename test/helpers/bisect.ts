/** Shared by the live bisect tests: scenarios for the fixture apps, and `memsiege bisect` as a child process. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BisectDocument } from '../../src/bisect/state.js'
import { CLI, type CliResult } from './cli.js'

/** `memsiege bisect`, as a user runs it. */
export const BISECT_COMMAND: string[] = [CLI, 'bisect']
export const BISECT_APP = fileURLToPath(new URL('../fixtures/bisect-app.mjs', import.meta.url))
export const PUMA_BISECT_DIR = fileURLToPath(new URL('../fixtures/puma-bisect/', import.meta.url))

/**
 * Trials short enough for a test, long enough for the analysis to decide on RSS past the fixture
 * app's warm-up: sized in requests, so that a slow or busy machine runs the same trials, slower.
 */
export const TRIAL_REQUESTS = '4000'

/**
 * Trials on the puma fixture (test/fixtures/puma-bisect): shorter, because Ruby's old generation
 * only settles at a major GC, which puma rarely runs within a few thousand requests; longer trials
 * grow it past what matters and leave the baselines inconclusive.
 */
export const PUMA_TRIAL_REQUESTS = '1500'

export interface AppScenario {
  dir: string
  name: string
  port: number
  endpoints: number
  leak?: string[]
  fill?: string[]
  pin?: string[]
  /** Extra YAML lines at the end (bisect: …). */
  extra?: string
}

/**
 * A scenario that starts test/fixtures/bisect-app.mjs for every trial: GET /api/e0 … e{N-1}, 4 users,
 * RSS sampled 10 times a second (a trial's 4,000 requests take 2 s at the app's fastest).
 */
export function appScenario (s: AppScenario): string {
  const flags = [
    `--port ${s.port}`,
    `--endpoints ${s.endpoints}`,
    s.leak?.length ? `--leak ${s.leak.join(',')}` : '',
    s.fill?.length ? `--fill ${s.fill.join(',')}` : '',
    s.pin?.length ? `--pin ${s.pin.join(',')}` : ''
  ].filter(Boolean).join(' ')
  const urls = Array.from({ length: s.endpoints }, (_, i) => `  - /api/e${i}`).join('\n')
  const yaml = `name: ${s.name}
target:
  url: http://127.0.0.1:${s.port}
  command: ${JSON.stringify(`${process.execPath} ${BISECT_APP} ${flags}`)}
  ready: /api/e0
urls:
${urls}
concurrency: 4
sample:
  interval: 100ms
${s.extra ?? ''}`
  const file = join(s.dir, `${s.name}.yml`)
  writeFileSync(file, yaml)
  return file
}

/** Runs `memsiege bisect ARGS`; killed after `timeoutMs` (by default just under tap's 300-s cap per file) so that no test can hang. */
export function runBisect (args: string[], options: { cwd?: string; timeoutMs?: number; onSpawn?: (child: ChildProcess) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...BISECT_COMMAND, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d })
    child.stderr.on('data', (d: Buffer) => { stderr += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 280_000)
    child.on('error', reject)
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      resolve({ status, signal, stdout, stderr })
    })
    options.onSpawn?.(child)
  })
}

export function readDoc (dir: string): BisectDocument {
  return JSON.parse(readFileSync(join(dir, 'bisect.json'), 'utf8')) as BisectDocument
}

/** `control half half verify rest`: the roles of the trials run, for messages. */
export function roles (doc: BisectDocument): string {
  return doc.trials.map((t) => `${t.role}${t.status === 'done' ? '' : `(${t.status})`}:${t.verdict ?? '-'}`).join(' ')
}

export interface PumaScenario {
  dir: string
  name: string
  port: number
  /** BISECT_* switches of test/fixtures/puma-bisect/config.ru. */
  env: Record<string, string>
  urls: string[]
  /** Extra YAML lines (methodOverride: true, bisect: …). */
  extra?: string
}

/** A scenario that starts a fresh puma (test/fixtures/puma-bisect) for every trial: 4 threads, 4 users, RSS sampled 10 times a second. */
export function pumaScenario (s: PumaScenario): string {
  const env = { RACK_ENV: 'production', ...s.env }
  const yaml = `name: ${s.name}
target:
  url: http://127.0.0.1:${s.port}
  command: puma -b tcp://127.0.0.1:${s.port} -t 4:4 config.ru
  cwd: ${JSON.stringify(PUMA_BISECT_DIR)}
  env: ${JSON.stringify(env)}
  ready: /api/e0
urls: ${JSON.stringify(s.urls)}
concurrency: 4
sample: { interval: 100ms }
${s.extra ?? ''}`
  const file = join(s.dir, `${s.name}.yml`)
  writeFileSync(file, yaml)
  return file
}
