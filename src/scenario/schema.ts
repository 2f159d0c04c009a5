/**
 * The scenario file's keys: their types, limits and defaults, as data. `validate.ts` walks a YAML
 * document against this table; `load.ts` turns the result into a `Scenario`.
 *
 * Durations are seconds (a number, or a string such as `30s`, `10m`, `500ms`; a bare number is
 * seconds). Every mapping rejects keys it does not list.
 */

import { ROLES } from '../columns/meaning.js'
import { stubsSpec } from './stubs.js'
import { PROBE_CHOICES } from './types.js'
import { MAX_RATE } from '../units/rate.js'

/** Checks on a string's content, implemented in validate.ts. */
export type StringFormat =
  /** An absolute http: or https: URL. */
  | 'http-url'
  /** A path starting with `/` (resolved against target.url), or an absolute http(s) URL. */
  | 'path-or-http-url'
  /** A header name the HTTP client will send (header-check.ts). */
  | 'header-name'
  /** Only characters a header can carry: no line breaks, nothing beyond Latin-1. */
  | 'header-value'
  /** `type/subtype` with optional parameters. */
  | 'media-type'
  /** Usable as part of a folder name: no slashes or control characters. */
  | 'name'
  /** An environment variable's name: not empty, no `=` or NUL. */
  | 'env-name'
  /** Not empty or only blanks. */
  | 'non-empty'
  /** analysis.warmup: `20%`, `2m`, `5000` or `auto` (src/analysis/warmup.ts). */
  | 'warmup'
  /** analysis.maxGrowth: `2KB/request`, `50MB/h` (src/analysis/thresholds.ts). */
  | 'growth-limit'
  /** rate: `500/s`, `30k/s`, `1200/m` (src/units/rate.ts). */
  | 'rate'
  /** An amount of memory: `1.5GB`, `800MB` (src/units/size.ts). */
  | 'size'

interface SpecBase {
  /** One line for people reading this table. */
  doc: string
  /** A mapping reports the key as missing when absent. */
  required?: boolean
  /** Added to the message when the value has the wrong type. */
  hint?: string
}

export interface StringSpec extends SpecBase {
  type: 'string'
  default?: string
  format?: StringFormat
}

export interface BooleanSpec extends SpecBase {
  type: 'boolean'
  default?: boolean
}

export interface IntegerSpec extends SpecBase {
  type: 'integer'
  min: number
  max?: number
  default?: number
}

/** Seconds: a number, or a duration string (bare numbers are seconds). */
export interface DurationSpec extends SpecBase {
  type: 'duration'
  /** When true, 0 is rejected too. */
  positive: boolean
  /** Seconds; a year (duration.ts) when absent. */
  max?: number
  default?: number
}

export interface EnumSpec extends SpecBase {
  type: 'enum'
  values: readonly string[]
  default?: string
}

export interface ListSpec extends SpecBase {
  type: 'list'
  of: Spec
  /** Fewest items allowed. */
  minItems: number
}

/** A mapping of free names to string values (env, headers), in the order written. */
export interface DictSpec extends SpecBase {
  type: 'dict'
  keyFormat: StringFormat
  valueFormat?: StringFormat
  /** Accept numbers as values, turned into strings (env: `SLOTS: 10000`). */
  numbersAsStrings: boolean
  /** Values of this spec instead of strings (bisect.groups: name → list of patterns). */
  of?: Spec
}

/** A mapping with a fixed set of keys. */
export interface MapSpec extends SpecBase {
  type: 'map'
  keys: Record<string, Spec>
  /** Build it from its keys' defaults when absent. */
  defaultEmpty?: boolean
  /** Groups of keys of which at most one may be given; `{keys}` in the message becomes "a and b". */
  exclusive?: ReadonlyArray<{ keys: readonly string[]; message: string }>
  /** key → the key it is only used with. */
  requires?: Record<string, string>
}

/** Anything at all (a mapping or nothing); not looked into. */
export interface AnyMapSpec extends SpecBase {
  type: 'any-map'
}

/** The first option whose YAML kind (string, number, boolean, mapping, list) fits the value. */
export interface OneOfSpec extends SpecBase {
  type: 'one-of'
  options: readonly Spec[]
  default?: unknown
}

export type Spec = StringSpec | BooleanSpec | IntegerSpec | DurationSpec | EnumSpec | ListSpec | DictSpec | MapSpec | AnyMapSpec | OneOfSpec

/** Timeouts and sampling intervals: beyond a day they are typos, and some timers cannot hold more. */
const A_DAY = 24 * 3600

/** Most concurrent users accepted: beyond this memsiege itself is what you would be measuring. */
export const MAX_CONCURRENCY = 10000

/** The header `methodOverride: true` uses. */
export const DEFAULT_METHOD_OVERRIDE_HEADER = 'X-Method'

const TARGET: MapSpec = {
  type: 'map',
  doc: 'The server under test and the process to sample.',
  defaultEmpty: true,
  exclusive: [{ keys: ['port', 'pid', 'command'], message: 'target: give only one of port, pid or command (got {keys})' }],
  requires: { cwd: 'command', env: 'command', ready: 'command', readyTimeout: 'ready', restart: 'port', restartWhen: 'command', probe: 'command' },
  keys: {
    url: { type: 'string', format: 'http-url', doc: 'Base URL; relative URL-list lines resolve against it.' },
    insecure: { type: 'boolean', default: false, doc: 'Accept self-signed TLS certificates.' },
    port: { type: 'integer', min: 1, max: 65535, doc: 'Sample the process listening on this TCP port.' },
    pid: { type: 'integer', min: 1, doc: 'Sample this process.' },
    command: { type: 'string', format: 'non-empty', doc: 'A shell command memsiege starts, samples and stops.' },
    cwd: { type: 'string', format: 'non-empty', doc: "Working directory for command, relative to the scenario's folder." },
    env: { type: 'dict', keyFormat: 'env-name', numbersAsStrings: true, doc: 'Extra environment for command.' },
    ready: { type: 'string', format: 'path-or-http-url', doc: 'With command: polled until it answers 2xx before the load starts.' },
    readyTimeout: { type: 'duration', positive: true, max: A_DAY, default: 30, doc: 'Seconds to wait for ready.' },
    tree: { type: 'boolean', default: true, doc: 'Sample the process and all its descendants.' },
    restart: { type: 'string', format: 'non-empty', doc: 'With port: a command that restarts the target (memsiege bisect runs it before every trial).' },
    probe: { type: 'enum', values: [...PROBE_CHOICES], doc: "With command: inject memsiege's GC probe into the app (auto: recognise node, ruby or python from the command; default auto)." },
    restartWhen: {
      type: 'map',
      doc: 'With command: memsiege restarts the target when it exits or grows too big, and the run goes on.',
      keys: {
        exited: { type: 'boolean', default: false, doc: 'Restart it when it exits.' },
        rssAbove: {
          type: 'one-of',
          doc: 'Restart it when its RSS is above this (1GB, 800MB).',
          options: [
            { type: 'integer', min: 1, doc: 'Bytes.' },
            { type: 'string', format: 'size', doc: 'An amount such as 1.5GB.' },
          ],
        },
        maxRestarts: { type: 'integer', min: 1, default: 3, doc: 'A restart loop: more restarts than this within `within` stop the run.' },
        within: { type: 'duration', positive: true, max: A_DAY, default: 60, doc: 'The window of maxRestarts.' },
      },
    },
  },
}

const SAMPLE: MapSpec = {
  type: 'map',
  doc: 'What to read from the target while the load runs.',
  defaultEmpty: true,
  keys: {
    interval: { type: 'duration', positive: true, max: A_DAY, default: 1, doc: 'Seconds between rows of samples.csv.' },
    pssInterval: { type: 'duration', positive: true, max: A_DAY, default: 30, doc: 'Seconds between reads of smaps_rollup.' },
    gc: {
      type: 'map',
      doc: "The app's GC statistics endpoint.",
      keys: {
        url: { type: 'string', format: 'path-or-http-url', required: true, doc: 'Path (resolved against target.url) or absolute URL.' },
        interval: { type: 'duration', positive: true, max: A_DAY, default: 5, doc: 'Seconds between fetches.' },
        format: { type: 'enum', values: ['auto', 'json', 'prometheus'], default: 'auto', doc: 'How to read the response.' },
        metrics: { type: 'list', minItems: 1, of: { type: 'string', format: 'non-empty', doc: 'A metric name.' }, doc: 'Prometheus only: the metrics to keep.' },
      },
    },
  },
}

export const scenarioSchema: MapSpec = {
  type: 'map',
  doc: 'A memsiege scenario.',
  exclusive: [
    { keys: ['duration', 'requests', 'passes'], message: 'conflicting stop conditions: {keys}' },
    { keys: ['target', 'targets'], message: 'give target or targets, not both' },
    { keys: ['rate', 'passes'], message: 'a fixed rate stops on duration or requests, not passes ({keys})' },
    { keys: ['untilDecided', 'passes'], message: 'untilDecided needs a stop that is a length of load (duration or requests), not passes' },
  ],
  requires: { maxInFlight: 'rate', maxExtension: 'untilDecided' },
  keys: {
    name: { type: 'string', format: 'name', doc: "Names the results folder; default: the scenario file's name without extension." },
    target: TARGET,
    targets: {
      type: 'list',
      minItems: 2,
      doc: 'Targets loaded side by side with the same requests, each a target block with a name (its sub-folder) and, optionally, its own sample settings.',
      of: {
        ...TARGET,
        doc: 'One target of a side-by-side run.',
        defaultEmpty: false,
        keys: {
          name: { type: 'string', format: 'name', required: true, doc: 'Labels the target and names its sub-folder of the results.' },
          ...TARGET.keys,
          sample: { ...SAMPLE, defaultEmpty: false, doc: 'This target\'s sample settings, key by key over the top-level sample.' },
        },
      },
    },
    lockstep: { type: 'boolean', default: true, doc: 'With targets: request k goes to every target before any sends request k+1 (per user); false runs them independently.' },
    urls: {
      type: 'one-of',
      required: true,
      doc: "A siege URL file relative to the scenario's folder, a literal block (|) of its lines, or a list of lines.",
      options: [
        { type: 'string', format: 'non-empty', doc: 'A URL file, or the lines themselves as a literal block.' },
        { type: 'list', minItems: 1, of: { type: 'string', doc: 'One URL-list line.', hint: 'quote URL-list lines that contain ": " or " #" or start with { or [' }, doc: 'The lines of a URL list.' },
      ],
    },
    concurrency: { type: 'integer', min: 1, max: MAX_CONCURRENCY, default: 1, doc: 'Simulated users (siege -c).' },
    duration: { type: 'duration', positive: true, doc: 'Stop after this long (siege -t).' },
    requests: { type: 'integer', min: 1, doc: 'Stop after this many requests in all.' },
    passes: { type: 'integer', min: 1, doc: 'Stop after each user has gone through the list this many times.' },
    delay: { type: 'duration', positive: false, default: 0, doc: 'Think time: uniform random 0..delay seconds after each request (siege -d).' },
    order: { type: 'enum', values: ['sequential', 'random'], default: 'sequential', doc: 'Order of the list (random is siege -i).' },
    headers: { type: 'dict', keyFormat: 'header-name', valueFormat: 'header-value', numbersAsStrings: false, doc: 'Extra request headers (siege -H).' },
    contentType: { type: 'string', format: 'media-type', doc: 'Content type of bodies in the URL list (siege -T).' },
    userAgent: { type: 'string', format: 'header-value', doc: 'The User-Agent header.' },
    timeout: { type: 'duration', positive: true, max: A_DAY, default: 30, doc: 'Per-request timeout.' },
    methodOverride: {
      type: 'one-of',
      doc: 'Send every request as POST with the real method in a header (true: X-Method).',
      options: [
        { type: 'boolean', doc: 'true for the X-Method header.' },
        {
          type: 'map',
          doc: 'The header to use.',
          keys: { header: { type: 'string', format: 'header-name', default: DEFAULT_METHOD_OVERRIDE_HEADER, doc: 'Header carrying the real method.' } },
        },
      ],
    },
    follow: { type: 'boolean', default: true, doc: 'Follow redirects.' },
    cookies: { type: 'boolean', default: true, doc: 'A cookie jar per user.' },
    findSource: { type: 'boolean', default: false, doc: 'Name the allocation sites whose live memory grew, through the probe in the target (--find-source).' },
    transport: { type: 'enum', values: ['fast', 'undici'], doc: 'HTTP client: fast (own HTTP/1.1 path for http:, undici for https:) or undici for everything.' },
    workers: { type: 'integer', min: 1, max: 64, default: 1, doc: 'Worker threads the users are spread over.' },
    rate: {
      type: 'one-of',
      doc: 'Fixed rate (open model): requests start on a schedule, not when a user is free.',
      options: [
        { type: 'integer', min: 1, max: MAX_RATE, doc: 'Requests per second.' },
        { type: 'string', format: 'rate', doc: '500/s, 30k/s, 1200/m.' }
      ]
    },
    maxInFlight: { type: 'integer', min: 1, max: MAX_CONCURRENCY, doc: 'With rate: requests in flight at most (default 1000).' },
    out: { type: 'string', format: 'non-empty', doc: 'Results folder, relative to the current directory.' },
    untilDecided: { type: 'boolean', default: false, doc: 'The stop condition (duration or requests) is the least the run lasts: while the verdict is undecided it goes on, up to maxExtension times that (run --until-decided).' },
    maxExtension: { type: 'integer', min: 1, max: 1024, doc: 'With untilDecided: the longest the run may last, as a multiple of its stop condition (default 8).' },
    sample: SAMPLE,
    bisect: {
      type: 'map',
      doc: 'memsiege bisect: how to group the URL list and size a trial.',
      exclusive: [{ keys: ['trial', 'trialRequests'], message: 'bisect: give only one of {keys}' }],
      keys: {
        groups: {
          type: 'dict',
          keyFormat: 'non-empty',
          numbersAsStrings: false,
          doc: 'Named groups of endpoints that travel together: name → endpoint patterns (/api/Trello*, POST /api/Items).',
          of: {
            type: 'one-of',
            doc: 'One endpoint pattern or a list of them.',
            options: [
              { type: 'string', format: 'non-empty', doc: 'An endpoint pattern.' },
              { type: 'list', minItems: 1, of: { type: 'string', format: 'non-empty', doc: 'An endpoint pattern.' }, doc: 'Endpoint patterns.' },
            ],
          },
        },
        trial: { type: 'duration', positive: true, doc: 'How long each trial runs (--trial).' },
        trialRequests: { type: 'integer', min: 1, doc: 'How many requests each trial sends (--trial-requests).' },
        baseline: { type: 'string', format: 'non-empty', doc: 'The group or endpoint whose trial shows what "no leak" looks like (default: the cheapest of the control).' },
        minShare: { type: 'integer', min: 1, max: 100, doc: 'Percent of the control\'s growth a culprit must account for (default 10).' },
      },
    },
    analysis: {
      type: 'map',
      doc: 'The leak verdict at the end of the run (memsiege analyze).',
      keys: {
        warmup: {
          type: 'one-of',
          doc: 'Left out at the start of each segment: 20% of the requests, a duration (2m), a number of requests (5000), or auto.',
          options: [
            { type: 'integer', min: 0, doc: 'Requests.' },
            { type: 'string', format: 'warmup', doc: '20%, 2m, 5000 or auto.' },
          ],
        },
        metrics: { type: 'list', minItems: 1, of: { type: 'string', format: 'non-empty', doc: 'A samples.csv column.' }, doc: 'The columns to judge instead of the default choice; all of them decide.' },
        columns: {
          type: 'dict',
          keyFormat: 'non-empty',
          numbersAsStrings: false,
          of: { type: 'enum', values: ROLES, doc: 'What the column measures.' },
          doc: 'What a GC column whose name memsiege does not recognise measures (my_heap: old-generation): it then decides for its role.',
        },
        maxGrowth: {
          type: 'one-of',
          doc: 'Growth limits (2KB/request, 50MB/h): a leak faster than one exits 4.',
          options: [
            { type: 'string', format: 'growth-limit', doc: 'One limit.' },
            { type: 'list', minItems: 1, of: { type: 'string', format: 'growth-limit', doc: 'A limit.' }, doc: 'Several limits.' },
          ],
        },
        failOn: { type: 'enum', values: ['leak', 'inconclusive'], doc: 'Exit 4 when the verdict is leak (or, with inconclusive, leak or inconclusive).' },
      },
    },
    stubs: stubsSpec,
  },
}

/**
 * Keys people coming from siege (or other tools) may write, and the key they mean; used only to
 * suggest, never accepted.
 */
export const keyAliases: Record<string, string> = {
  concurrent: 'concurrency',
  users: 'concurrency',
  time: 'duration',
  reps: 'passes',
  repetitions: 'passes',
  file: 'urls',
  urlFile: 'urls',
  internet: 'order',
  header: 'headers',
  agent: 'userAgent',
  followLocation: 'follow',
  redirects: 'follow',
  cookie: 'cookies',
  output: 'out',
  results: 'out',
  host: 'url',
  baseUrl: 'url',
  base: 'url',
  dir: 'cwd',
  workdir: 'cwd',
  cmd: 'command',
  environment: 'env',
  warmUp: 'warmup',
  warm_up: 'warmup',
  max_growth: 'maxGrowth',
  fail_on: 'failOn',
  failon: 'failOn',
}
