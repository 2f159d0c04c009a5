/**
 * The groups a bisect moves around: by default one per endpoint of the URL list (method + path,
 * query ignored); a scenario's `bisect.groups` names groups of endpoints by pattern instead (by
 * the dependency they share, say). All lines of a group travel together.
 */
import type { UrlEntry } from '../scenario/types.js'
import { ConfigError } from '../errors.js'

export interface EndpointGroup {
  /** The group's name from bisect.groups, or the endpoint itself (`GET /api/Ping`). */
  name: string
  /** Its endpoints, in the order of the list. */
  endpoints: string[]
  /** Indices of its lines in the scenario's URL entries. */
  entries: number[]
}

/**
 * `GET /api/Items`: the method and path, without the query. When the list spans several origins,
 * the origin is part of it (`GET http://127.0.0.1:9000/x`).
 */
export function endpointOf (entry: UrlEntry, withOrigin = false): string {
  const url = new URL(entry.url)
  return `${entry.method} ${withOrigin ? url.origin : ''}${url.pathname}`
}

/**
 * Whether an endpoint pattern matches: `*` is any run of characters (slashes too), `?` one
 * character. A pattern without a method (`/api/Trello*`) matches every method; `POST /api/*` only
 * POSTs.
 */
export function matchesEndpoint (pattern: string, endpoint: string): boolean {
  const space = endpoint.indexOf(' ')
  const method = endpoint.slice(0, space)
  const path = endpoint.slice(space + 1)
  const p = pattern.trim()
  const m = /^([A-Za-z]+)\s+(\S.*)$/.exec(p)
  if (m) return m[1]!.toUpperCase() === method && glob(m[2]!).test(path)
  return glob(p).test(path)
}

function glob (pattern: string): RegExp {
  const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')
  return new RegExp(`^${body}$`)
}

/**
 * Groups the URL entries. Named groups come first, in the order written, each taking the
 * endpoints its patterns match that no earlier group took; every endpoint left over is a group of
 * its own, in the order of the list. A named group that matches nothing is dropped with a warning.
 */
export function groupEntries (entries: readonly UrlEntry[], named: ReadonlyArray<{ name: string; patterns: readonly string[] }> = [], warn: (m: string) => void = () => {}): EndpointGroup[] {
  if (entries.length === 0) throw new ConfigError('bisect: the URL list is empty')
  const origins = new Set(entries.map((e) => new URL(e.url).origin))
  const endpoints: string[] = []
  const linesOf = new Map<string, number[]>()
  entries.forEach((entry, i) => {
    const key = endpointOf(entry, origins.size > 1)
    let lines = linesOf.get(key)
    if (!lines) {
      lines = []
      linesOf.set(key, lines)
      endpoints.push(key)
    }
    lines.push(i)
  })

  const taken = new Set<string>()
  const groups: EndpointGroup[] = []
  const seen = new Set<string>()
  for (const { name, patterns } of named) {
    if (seen.has(name)) throw new ConfigError(`bisect.groups: the name ${JSON.stringify(name)} is given twice`)
    seen.add(name)
    const mine = endpoints.filter((ep) => !taken.has(ep) && patterns.some((p) => matchesEndpoint(p, pathPart(ep, origins.size > 1))))
    if (mine.length === 0) {
      warn(`bisect.groups.${name}: matches no endpoint of the URL list (${patterns.join(', ')}); left out`)
      continue
    }
    for (const ep of mine) taken.add(ep)
    groups.push({ name, endpoints: mine, entries: mine.flatMap((ep) => linesOf.get(ep)!).sort((a, b) => a - b) })
  }
  for (const ep of endpoints) {
    if (taken.has(ep)) continue
    if (seen.has(ep)) throw new ConfigError(`bisect.groups: the name ${JSON.stringify(ep)} is also an endpoint left out of every group; rename the group`)
    groups.push({ name: ep, endpoints: [ep], entries: [...linesOf.get(ep)!] })
  }
  return groups
}

/** Patterns match the path; with several origins the endpoint carries the origin, which patterns may leave out. */
function pathPart (endpoint: string, withOrigin: boolean): string {
  if (!withOrigin) return endpoint
  const space = endpoint.indexOf(' ')
  const rest = endpoint.slice(space + 1)
  try {
    const url = new URL(rest)
    return `${endpoint.slice(0, space)} ${url.pathname}`
  } catch {
    return endpoint
  }
}

/** Lines of the list per group: each group's share of a trial's requests. */
export function groupWeights (groups: readonly EndpointGroup[]): number[] {
  return groups.map((g) => g.entries.length)
}

/** `GET /a, GET /b and 3 more`: a set of groups in a few words. */
export function describeGroups (groups: readonly EndpointGroup[], indices: readonly number[], max = 3): string {
  const names = indices.map((i) => groups[i]!.name)
  if (names.length <= max) return names.join(', ')
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`
}
