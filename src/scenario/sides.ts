/**
 * Side by side: several targets get the same URL list. The list is read once, against the first
 * target's url; each target then gets every line on its own origin (scheme, host and port), the
 * path, query and body unchanged, so that "the same requests" holds byte for byte.
 */
import { ConfigError } from '../errors.js'
import { formatProblem } from './validate.js'
import type { Where } from './yaml-source.js'
import type { SampleConfig, Scenario, SideTarget, TargetConfig } from './types.js'

/** The written keys of a target's `sample:` over the top-level one (a `gc:` block replaces the whole block). */
export function sideSample (top: SampleConfig, own: Partial<SampleConfig> | undefined, written: (key: string) => boolean): SampleConfig {
  if (!own) return top
  const out: SampleConfig = { ...top }
  if (written('interval') && own.interval !== undefined) out.interval = own.interval
  if (written('pssInterval') && own.pssInterval !== undefined) out.pssInterval = own.pssInterval
  if (written('gc') && own.gc) out.gc = own.gc
  return out
}

/** Checks what side by side needs of the targets: distinct names, every URL-list line on the first one's origin. */
export function checkSides (targets: readonly SideTarget[], scenario: Pick<Scenario, 'urls'>, where: (index: number, key: string) => Where): void {
  const seen = new Map<string, number>()
  targets.forEach((side, i) => {
    const first = seen.get(side.name)
    if (first !== undefined) throw new ConfigError(`targets: two targets are named "${side.name}" (the first is target ${first + 1}); each names its own sub-folder`, where(i, 'name'))
    seen.set(side.name, i)
  })
  checkOrigins(scenario, targets[0].target.url!)
}

export function checkOrigins (scenario: Pick<Scenario, 'urls'>, firstUrl: string): void {
  const origin = new URL(firstUrl).origin
  for (const entry of scenario.urls.entries) {
    const own = new URL(entry.url).origin
    if (own !== origin) {
      throw new ConfigError(`${entry.url} is on ${own}, not on the first target's ${origin}: side by side sends every line to each target, so lines are relative or on the first target's origin`, { file: entry.source, line: entry.line })
    }
  }
}

/** The scenario one target of a side-by-side run runs: its target and sample, the list on its origin, its sub-folder. */
export function sideScenario (scenario: Scenario, side: SideTarget, out: string): Scenario {
  // a watch's targets may have no url (a --pid each): it sends nothing anyway
  const to = side.target.url !== undefined ? new URL(side.target.url) : undefined
  const entries = !to || to.origin === new URL(scenario.target.url!).origin
    ? scenario.urls.entries
    : scenario.urls.entries.map((entry) => {
      const url = new URL(entry.url)
      url.protocol = to.protocol
      url.host = to.host
      return { ...entry, url: url.href }
    })
  const { sides: _sides, ...rest } = scenario
  return { ...rest, name: side.name, target: side.target, sample: side.sample, urls: { ...scenario.urls, entries }, out }
}

export interface VsFlags {
  /** The second target's command. */
  command: string
  /** Its URL; else the first target's with `port`. */
  url?: string
  /** Used when `url` is absent: a free port, given to the command as $PORT. */
  port: number
}

/**
 * `--vs CMD`: the scenario's target is A, and B is the same target block started with CMD, on
 * --vs-url or on a free port memsiege picked (in B's environment as PORT; write $PORT in CMD).
 */
export function withVs (scenario: Scenario, vs: VsFlags): Scenario {
  if (scenario.sides) throw new ConfigError('--vs: the scenario already has targets; add the other target there')
  const a = scenario.target
  if (!a.url) throw new ConfigError('--vs needs target.url in the scenario: the second target gets the same requests on another origin')
  let url = vs.url
  if (url === undefined) {
    const u = new URL(a.url)
    u.port = String(vs.port)
    url = u.href
  } else {
    if (!/^https?:\/\/[^/]/i.test(url)) throw new ConfigError(`--vs-url ${url}: not an http: or https: URL`)
    const problem = formatProblem(url, 'http-url')
    if (problem) throw new ConfigError(`--vs-url: ${problem}`)
    if (new URL(url).origin === new URL(a.url).origin) throw new ConfigError(`--vs-url ${url}: the first target's own origin; the second target needs a port of its own`)
  }
  const { pid: _pid, port: _port, restart: _restart, command: _command, ...shared } = a
  const b: TargetConfig = { ...shared, url, command: vs.command, env: { ...a.env, ...(vs.url === undefined ? { PORT: String(vs.port) } : {}) } }
  const targets: SideTarget[] = [{ name: 'a', target: a, sample: scenario.sample }, { name: 'b', target: b, sample: scenario.sample }]
  checkOrigins(scenario, a.url)
  return { ...scenario, sides: { targets, lockstep: true } }
}
