import type { StubConfig } from './stubs.js'
import type { Role } from '../columns/meaning.js'
/** One request template: a line of a siege URL file after variables, method keyword and body are read. */
export interface UrlEntry {
  /** The file it came from (or `<inline>`), and its 1-based line: for errors, warnings and `-v`. */
  source: string
  line: number
  /** GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS. */
  method: string
  /** Absolute URL (http: or https:), resolved against the scenario's base URL when the line was relative. */
  url: string
  /** Present for lines with a method keyword (siege's "body slot"), even when empty. */
  body?: Buffer
  /** Content type for the body slot: `-T`/`contentType`, else application/x-www-form-urlencoded. */
  contentType?: string
}

export type StopCondition =
  | { kind: 'duration'; seconds: number }
  /** Total top-level requests across all users. */
  | { kind: 'requests'; count: number }
  /** Full passes over the list by each user. */
  | { kind: 'passes'; count: number }
  /** siege's -r: each user sends N lines of the list (and their redirect hops). */
  | { kind: 'repetitions'; count: number }
  /** Neither: until SIGINT, as siege does. */
  | { kind: 'forever' }

export interface TargetConfig {
  /** Base URL for relative URL-list lines. */
  url?: string
  insecure: boolean
  /** The process to sample: the one listening on this TCP port, ... */
  port?: number
  /** ... or this pid, ... */
  pid?: number
  /** ... or one memsiege starts (and stops) itself. */
  command?: string
  /** Working directory for `command`, absolute (resolved against the scenario's folder). */
  cwd?: string
  env?: Record<string, string>
  /** With `command`: a path or URL polled until it answers 2xx before the load starts. */
  ready?: string
  /** Seconds to wait for `ready`. */
  readyTimeout: number
  /** Sample the process and all its descendants (puma workers). */
  tree: boolean
  /** With `port`: a shell command that restarts the target; memsiege bisect runs it before every trial. */
  restart?: string
  /** With `command`: the GC probe memsiege injects into it (absent: auto). */
  probe?: ProbeChoice
  /** With `command`: when memsiege restarts the target itself during a run or a watch. */
  restartWhen?: RestartPolicy
}

/** `target.restartWhen`: restart a started target that exited or grew too big, as an operator would. */
export interface RestartPolicy {
  /** Restart it when it exits. */
  exited: boolean
  /** Restart it when its RSS (the process tree's) is above this many bytes. */
  rssAbove?: number
  /** A restart loop: more restarts than this within `within` seconds stop the run. */
  maxRestarts: number
  within: number
}

export const PROBE_CHOICES = ['auto', 'node', 'ruby', 'python', 'none'] as const
export type ProbeChoice = typeof PROBE_CHOICES[number]

export interface GcEndpointConfig {
  /** Path (resolved against target.url) or absolute URL of the app's GC stats. */
  url: string
  /** Seconds between fetches. */
  interval: number
  format: 'auto' | 'json' | 'prometheus'
  /** Prometheus only: the metric names to keep (all gauges and counters when absent). */
  metrics?: string[]
}

export interface SampleConfig {
  /** Seconds between rows of samples.csv. */
  interval: number
  /** Seconds between reads of /proc/PID/smaps_rollup (it walks the target's page tables). */
  pssInterval: number
  gc?: GcEndpointConfig
}

/** `bisect:` in a scenario: for `memsiege bisect` only; `memsiege run` ignores it. */
export interface BisectConfig {
  /** Named groups of endpoints, in the order written: each name with its endpoint patterns (`/api/Trello*`, `POST /api/Items`). */
  groups?: Array<{ name: string; patterns: string[] }>
  /** The budget of one trial. */
  trial?: { kind: 'duration'; seconds: number } | { kind: 'requests'; count: number }
  /** The group or endpoint whose trial is the baseline ("no leak" for this app). */
  baseline?: string
  /** Share of the control's growth a culprit must account for (0.1 for `minShare: 10`). */
  minShare?: number
}

/** `analysis:` as written (strings, so that summary.json's config can be read back by `memsiege analyze`). */
export interface AnalysisConfig {
  /** `20%`, `2m`, `5000` (requests; also as a number) or `auto`. */
  warmup?: string | number
  /** Columns to judge instead of the default choice. */
  metrics?: string[]
  /** What columns mean when their names don't say: column → role. */
  columns?: Record<string, Role>
  /** Growth limits such as `2KB/request`, `50MB/h`. */
  maxGrowth?: string[]
  failOn?: 'leak' | 'inconclusive'
}

/** One of the targets of a side-by-side run (`targets:`, or `--vs`). */
export interface SideTarget {
  /** Labels the target and names its sub-folder of the results. */
  name: string
  target: TargetConfig
  /** The top-level sample settings with this target's own keys over them. */
  sample: SampleConfig
}

/** Two or more targets loaded with the same requests (src/run/side-by-side.ts). */
export interface SidesConfig {
  targets: SideTarget[]
  /** Request k of a user goes to every target before any target gets request k+1 of that user. */
  lockstep: boolean
}

export interface Scenario {
  name: string
  /** The scenario file, when there is one (siege flags build a scenario without a file). */
  file?: string
  target: TargetConfig
  urls: {
    /** The URL file, when the list came from one; absent for an inline list or a command-line URL. */
    file?: string
    /** The list's text as read, copied into the results folder. */
    text: string
    entries: UrlEntry[]
  }
  concurrency: number
  stop: StopCondition
  /** siege -d: after each request, think for a uniform random 0..delay seconds. */
  delay: number
  order: 'sequential' | 'random'
  /** Extra request headers in order (siege -H), names as written. */
  headers: Array<[string, string]>
  /** Per-request timeout, seconds (connect, headers and body each). */
  timeout: number
  methodOverride?: { header: string }
  follow: boolean
  cookies: boolean
  /** `--find-source`: the probe records allocation sites after the warm-up (src/source/). */
  findSource?: boolean
  /** `fast`: raw keep-alive sockets for plain http: (undici for the rest); `undici`: undici for everything. Absent: the environment's MEMSIEGE_TRANSPORT, else fast. */
  transport?: 'fast' | 'undici'
  /** Worker threads the users are spread over (1: all in the main thread). */
  workers?: number
  /** Fixed rate (open model), requests per second: starts follow a schedule, not free users. */
  rate?: number
  /** With `rate`: requests in flight at most (default 1000). */
  maxInFlight?: number
  sample: SampleConfig
  /** Results folder; default results/<UTC time>-<name>/. */
  out?: string
  /** A run that decides (scenario key `untilDecided`, `--until-decided`): the stop condition is the least it lasts (maxExtension default DEFAULT_MAX_EXTENSION). */
  decide?: { maxExtension: number }
  /** Settings of `memsiege bisect`. */
  bisect?: BisectConfig
  /** The leak verdict's settings (scenario key `analysis`). */
  analysis?: AnalysisConfig
  /** Record/replay proxies started with the run for the APIs the target calls. */
  stubs?: StubConfig[]
  /** `targets:`: `target` and `sample` are then the first target's, and the URL list is resolved against its url. */
  sides?: SidesConfig
}

/** The default cap of a run that decides, as a multiple of its first length. */
export const DEFAULT_MAX_EXTENSION = 8
