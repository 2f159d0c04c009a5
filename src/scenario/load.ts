/**
 * Reading a scenario file into a `Scenario`: parse the YAML with positions, check it against the
 * schema, read its URL list, apply the command line's overrides. Every mistake is a one-line
 * ConfigError naming file:line:column.
 */
import { statSync } from 'node:fs'
import { basename, dirname, extname, resolve } from 'node:path'
import { isScalar, Scalar } from 'yaml'
import { countFlag, durationFlag } from './flag-check.js'
import { headerProblem, repeatedHost } from './header-check.js'
import { DEFAULT_METHOD_OVERRIDE_HEADER, scenarioSchema } from './schema.js'
import { DEFAULT_MAX_EXTENSION, type AnalysisConfig, type BisectConfig, type GcEndpointConfig, type RestartPolicy, type SampleConfig, type Scenario, type SideTarget, type StopCondition, type TargetConfig, type UrlEntry } from './types.js'
import { parseSize } from '../units/size.js'
import { checkSides, sideSample } from './sides.js'
import type { Role } from '../columns/meaning.js'
import { parseUrlList, readUrlFile } from './urlfile/parse.js'
import { validate, type Validated } from './validate.js'
import { watchScenarioSchema } from './watch-schema.js'
import { parseYamlSource, readYamlSource, type Where, type YamlSource } from './yaml-source.js'
import { ConfigError } from '../errors.js'
import { parseRate } from '../units/rate.js'
import { buildStubs, type RawStub } from './stubs.js'

/** Command-line values that replace the scenario's. */
export interface ScenarioOverrides {
  concurrency?: number
  /** Like siege's -t: `30s`, `10m`, `1h`; a bare number is minutes, as in siege. */
  duration?: string
  requests?: number
  passes?: number
  out?: string
  /** `urls` may be left out (a watch, which sends no load): the list is then empty. */
  urlsOptional?: boolean
}

/**
 * Reads, checks and completes the scenario at `path`. A stop condition among `overrides`
 * (duration, requests or passes) replaces the scenario's; the other overrides replace their keys.
 * `warn` gets one-line warnings (default: printed to stderr).
 */
export function loadScenario (path: string, overrides: ScenarioOverrides = {}, warn: (m: string) => void = defaultWarn): Scenario {
  return buildScenario(readYamlSource(path, warn), overrides, warn)
}

/**
 * Like loadScenario, for YAML already in memory; `file` names it in messages and its folder is
 * where relative paths (urls, target.cwd, bodies) are resolved.
 */
export function parseScenario (text: string, file: string, overrides: ScenarioOverrides = {}, warn: (m: string) => void = defaultWarn): Scenario {
  return buildScenario(parseYamlSource(text, file, warn), overrides, warn)
}

function defaultWarn (message: string): void {
  process.stderr.write(`warning: ${message}\n`)
}

/** The schema's output (see schema.ts): defaults filled in, durations in seconds. */
interface RawScenario {
  name?: string
  target: Omit<TargetConfig, 'env' | 'restartWhen'> & { env?: Array<[string, string]>; restartWhen?: Omit<RestartPolicy, 'rssAbove'> & { rssAbove?: number | string } }
  /** Absent only with `urlsOptional`. */
  urls?: string | string[]
  concurrency: number
  duration?: number
  requests?: number
  passes?: number
  delay: number
  order: 'sequential' | 'random'
  headers?: Array<[string, string]>
  contentType?: string
  userAgent?: string
  timeout: number
  methodOverride?: boolean | { header: string }
  follow: boolean
  cookies: boolean
  findSource: boolean
  transport?: 'fast' | 'undici'
  workers: number
  rate?: number | string
  maxInFlight?: number
  out?: string
  untilDecided: boolean
  maxExtension?: number
  sample: RawSample
  targets?: Array<RawScenario['target'] & { name: string; sample?: RawSample }>
  lockstep: boolean
  bisect?: { groups?: Array<[string, string | string[]]>; trial?: number; trialRequests?: number; baseline?: string; minShare?: number }
  analysis?: { warmup?: number | string; metrics?: string[]; columns?: Array<[string, Role]>; maxGrowth?: string | string[]; failOn?: 'leak' | 'inconclusive' }
  stubs?: RawStub[]
}

type RawSample = { interval: number; pssInterval: number; gc?: GcEndpointConfig }

function buildScenario (src: YamlSource, overrides: ScenarioOverrides, warn: (m: string) => void): Scenario {
  const checked = validate(src, overrides.urlsOptional ? watchScenarioSchema : scenarioSchema)
  const raw = checked.value as unknown as RawScenario
  const dir = dirname(resolve(src.file))
  const at = (path: string): Where => checked.at(path)?.value ?? checked.root

  const sides = raw.targets ? buildSides(raw, checked, dir, warn) : undefined
  const target = sides ? sides[0].target : buildTarget(raw.target, dir, at, warn)
  const headers: Array<[string, string]> = [...(raw.headers ?? [])]
  if (raw.userAgent !== undefined) {
    const clash = headers.find(([name]) => name.toLowerCase() === 'user-agent')
    if (clash) throw new ConfigError(`userAgent conflicts with headers.${clash[0]}; give one of them`, at('userAgent'))
    headers.push(['User-Agent', raw.userAgent])
  }
  for (const [name, value] of raw.headers ?? []) {
    const problem = headerProblem(name, value)
    if (problem) throw new ConfigError(`headers.${name}: ${problem}`, at(`headers.${name}`))
  }
  const twice = repeatedHost(headers.map(([name]) => name))
  if (twice) throw new ConfigError(`headers: ${twice}`, at('headers'))

  const gc = raw.sample.gc
  if (gc) {
    if (gc.format === 'json' && gc.metrics) {
      throw new ConfigError('sample.gc.metrics is only used with format prometheus (or auto)', at('sample.gc.metrics'))
    }
    needsBase(gc.url, 'sample.gc.url', target, at)
  }
  const sample = sides ? sides[0].sample : sampleOf(raw.sample)

  const methodOverride =
    raw.methodOverride === true
      ? { header: DEFAULT_METHOD_OVERRIDE_HEADER }
      : typeof raw.methodOverride === 'object'
        ? { header: raw.methodOverride.header }
        : undefined

  const scenario: Scenario = {
    name: raw.name ?? basename(src.file, extname(src.file)),
    file: resolve(src.file),
    target,
    urls: readUrls(raw, src, checked, dir, target.url, warn),
    concurrency: raw.concurrency,
    stop: stopOf(raw),
    delay: raw.delay,
    order: raw.order,
    headers,
    timeout: raw.timeout,
    ...(methodOverride ? { methodOverride } : {}),
    follow: raw.follow,
    cookies: raw.cookies,
    ...(raw.findSource ? { findSource: true } : {}),
    ...(raw.transport !== undefined ? { transport: raw.transport } : {}),
    ...(raw.workers > 1 ? { workers: raw.workers } : {}),
    ...(raw.rate !== undefined ? { rate: parseRate(raw.rate) } : {}),
    ...(raw.maxInFlight !== undefined ? { maxInFlight: raw.maxInFlight } : {}),
    sample,
    ...(raw.out !== undefined ? { out: raw.out } : {}),
    ...(raw.untilDecided ? { decide: { maxExtension: raw.maxExtension ?? DEFAULT_MAX_EXTENSION } } : {}),
    ...(raw.bisect !== undefined ? { bisect: buildBisect(raw.bisect) } : {}),
    ...(raw.analysis !== undefined ? { analysis: analysisOf(raw.analysis) } : {}),
    ...(raw.stubs !== undefined ? { stubs: buildStubs(raw.stubs, dir, at) } : {}),
    ...(sides ? { sides: { targets: sides, lockstep: raw.lockstep } } : {}),
  }
  if (sides) checkSides(sides, scenario, (i, key) => at(`targets[${i}].${key}`))
  return applyOverrides(scenario, overrides)
}

function sampleOf (raw: RawSample): SampleConfig {
  const gc = raw.gc
  return {
    interval: raw.interval,
    pssInterval: raw.pssInterval,
    ...(gc ? { gc: { url: gc.url, interval: gc.interval, format: gc.format, ...(gc.metrics ? { metrics: gc.metrics } : {}) } } : {}),
  }
}

/** `targets:`: each a target block (checked as `target:` is) with its name and its own sample keys. */
function buildSides (raw: RawScenario, checked: Validated, dir: string, warn: (m: string) => void): SideTarget[] {
  const top = sampleOf(raw.sample)
  return raw.targets!.map(({ name, sample, ...block }, i) => {
    const prefix = `targets[${i}]`
    const at = (path: string): Where => checked.at(path.replace(/^target\./, `${prefix}.`))?.value ?? checked.at(prefix)?.value ?? checked.root
    if (block.url === undefined) throw new ConfigError(`${prefix} (${name}): missing url: each target needs the URL its requests go to`, at(prefix))
    const target = buildTarget(block, dir, at, warn)
    const own = sample && sampleOf(sample)
    if (own?.gc?.format === 'json' && own.gc.metrics) throw new ConfigError('sample.gc.metrics is only used with format prometheus (or auto)', at(`${prefix}.sample.gc.metrics`))
    return { name, target, sample: sideSample(top, own, (key) => checked.at(`${prefix}.sample.${key}`) !== undefined) }
  })
}

/** Values were checked by the schema (formats warmup and growth-limit); only the shape changes. */
function analysisOf (raw: NonNullable<RawScenario['analysis']>): AnalysisConfig {
  const out: AnalysisConfig = {}
  if (raw.warmup !== undefined) out.warmup = raw.warmup
  if (raw.metrics !== undefined) out.metrics = raw.metrics
  if (raw.columns !== undefined) out.columns = Object.fromEntries(raw.columns)
  if (raw.maxGrowth !== undefined) out.maxGrowth = typeof raw.maxGrowth === 'string' ? [raw.maxGrowth] : raw.maxGrowth
  if (raw.failOn !== undefined) out.failOn = raw.failOn
  return out
}

function buildTarget (raw: RawScenario['target'], dir: string, at: (path: string) => Where, warn: (m: string) => void): TargetConfig {
  const target: TargetConfig = { insecure: raw.insecure, readyTimeout: raw.readyTimeout, tree: raw.tree }
  if (raw.url !== undefined) target.url = raw.url
  if (raw.port !== undefined) target.port = raw.port
  if (raw.pid !== undefined) target.pid = raw.pid
  if (raw.command !== undefined) target.command = raw.command
  if (raw.restart !== undefined) target.restart = raw.restart
  if (raw.probe !== undefined) target.probe = raw.probe
  if (raw.restartWhen !== undefined) {
    const { rssAbove, ...rest } = raw.restartWhen
    target.restartWhen = { ...rest, ...(rssAbove !== undefined ? { rssAbove: parseSize(rssAbove) } : {}) }
    if (!target.restartWhen.exited && rssAbove === undefined) {
      const w = at('target.restartWhen')
      warn(`${w.file}:${w.line}:${w.column}: target.restartWhen has neither exited: true nor rssAbove, so it never restarts the target`)
    }
  }
  if (raw.cwd !== undefined) {
    const cwd = resolve(dir, raw.cwd)
    if (!isDirectory(cwd)) throw new ConfigError(`target.cwd: no such directory: ${cwd}`, at('target.cwd'))
    target.cwd = cwd
  }
  if (raw.env !== undefined) target.env = Object.fromEntries(raw.env)
  if (raw.ready !== undefined) {
    needsBase(raw.ready, 'target.ready', target, at)
    target.ready = raw.ready
  }
  if (raw.insecure && raw.url?.startsWith('http:')) {
    const w = at('target.insecure')
    warn(`${w.file}:${w.line}:${w.column}: target.insecure has no effect on an http: URL`)
  }
  return target
}

function buildBisect (raw: NonNullable<RawScenario['bisect']>): BisectConfig {
  const out: BisectConfig = {}
  if (raw.groups !== undefined) {
    out.groups = raw.groups.map(([name, patterns]) => ({ name, patterns: typeof patterns === 'string' ? [patterns] : patterns }))
  }
  if (raw.trial !== undefined) out.trial = { kind: 'duration', seconds: raw.trial }
  if (raw.trialRequests !== undefined) out.trial = { kind: 'requests', count: raw.trialRequests }
  if (raw.baseline !== undefined) out.baseline = raw.baseline
  if (raw.minShare !== undefined) out.minShare = raw.minShare / 100
  return out
}

/** A path (not a URL) is resolved against target.url, which must then be there. */
function needsBase (value: string, name: string, target: TargetConfig, at: (path: string) => Where): void {
  if (value.startsWith('/') && target.url === undefined) {
    throw new ConfigError(`${name} ${JSON.stringify(value)} is a path, so target.url must be set (or give an absolute URL)`, at(name))
  }
}

function stopOf (raw: RawScenario): StopCondition {
  if (raw.duration !== undefined) return { kind: 'duration', seconds: raw.duration }
  if (raw.requests !== undefined) return { kind: 'requests', count: raw.requests }
  if (raw.passes !== undefined) return { kind: 'passes', count: raw.passes }
  return { kind: 'forever' }
}

function readUrls (raw: RawScenario, src: YamlSource, checked: Validated, dir: string, base: string | undefined, warn: (m: string) => void): Scenario['urls'] {
  if (raw.urls === undefined) return { text: '', entries: [] }
  const urlsAt = checked.at('urls')
  const where = urlsAt?.value ?? checked.root
  const common = { ...(base !== undefined ? { base } : {}), ...(raw.contentType !== undefined ? { contentType: raw.contentType } : {}), env: process.env, warn }
  const nonEmpty = (entries: UrlEntry[], what: string): UrlEntry[] => {
    if (entries.length === 0) throw new ConfigError(`urls: ${what} has no URLs`, where)
    return entries
  }

  if (typeof raw.urls === 'string' && !raw.urls.includes('\n')) {
    const file = resolve(dir, raw.urls)
    const named = raw.urls === file ? file : `${JSON.stringify(raw.urls)} (${file})`
    let isFile: boolean
    try {
      isFile = statSync(file).isFile()
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      throw new ConfigError(code === 'ENOENT' ? `urls: URL file not found: ${named}` : `urls: cannot read URL file ${named}: ${code}`, where)
    }
    if (!isFile) throw new ConfigError(`urls: URL file ${named} is not a file`, where)
    const { text, entries } = readUrlFile(file, common)
    return { file, text, entries: nonEmpty(entries, `URL file ${named}`) }
  }

  if (typeof raw.urls === 'string') {
    // A literal block: its lines keep their line numbers in the scenario file, so that the URL
    // parser's messages point into it.
    const node = urlsAt?.node
    if (!isScalar(node) || node.type !== Scalar.BLOCK_LITERAL) {
      throw new ConfigError('urls: write several URL-list lines as a literal block ("urls: |" and the lines indented below it)', where)
    }
    const indicatorLine = where.line
    const text = raw.urls
    const entries = parseUrlList({ ...common, source: src.file, text: '\n'.repeat(indicatorLine) + text, bodyDir: dir })
    return { text, entries: nonEmpty(entries, 'the inline list') }
  }

  // A YAML list of lines: padded so that each keeps its line number in the scenario file,
  // unless several share a line (a flow list), when they are numbered from 1 under `<file>:urls`.
  const lines = raw.urls
  const positions = lines.map((line, i) => {
    const w = checked.at(`urls[${i}]`)?.value ?? where
    if (/[\r\n]/.test(line)) throw new ConfigError(`urls item ${i + 1}: a URL-list line must be one line`, w)
    return w.line
  })
  const text = lines.join('\n') + '\n'
  const increasing = positions.every((line, i) => i === 0 || line > positions[i - 1])
  let entries: UrlEntry[]
  if (increasing) {
    const padded: string[] = new Array<string>(positions.at(-1) ?? 0).fill('')
    lines.forEach((line, i) => (padded[positions[i] - 1] = line))
    entries = parseUrlList({ ...common, source: src.file, text: padded.join('\n') + '\n', bodyDir: dir })
  } else {
    entries = parseUrlList({ ...common, source: `${src.file}:urls`, text, bodyDir: dir })
  }
  return { text, entries: nonEmpty(entries, 'the inline list') }
}

function applyOverrides (scenario: Scenario, o: ScenarioOverrides): Scenario {
  const out = { ...scenario }
  if (o.concurrency !== undefined) out.concurrency = countFlag('--concurrency', 'concurrency', o.concurrency)
  if (o.out !== undefined) {
    if (o.out.trim() === '') throw new ConfigError('out: must not be empty')
    out.out = o.out
  }
  const stops: StopCondition[] = []
  const given: string[] = []
  if (o.duration !== undefined) {
    stops.push({ kind: 'duration', seconds: durationFlag('--duration', 'duration', o.duration, 'm') })
    given.push('duration')
  }
  if (o.requests !== undefined) {
    stops.push({ kind: 'requests', count: countFlag('--requests', 'requests', o.requests) })
    given.push('requests')
  }
  if (o.passes !== undefined) {
    stops.push({ kind: 'passes', count: countFlag('--passes', 'passes', o.passes) })
    given.push('passes')
  }
  if (stops.length > 1) throw new ConfigError(`conflicting stop conditions: ${given.slice(0, -1).join(', ')} and ${given.at(-1)}`)
  if (stops.length === 1) out.stop = stops[0]
  return out
}

function isDirectory (path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
