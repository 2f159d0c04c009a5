import { resolve } from 'node:path'
import { repeatedHost } from '../scenario/header-check.js'
import { countFlag, durationFlag, headerFlag, headerValueFlag, mediaTypeFlag } from '../scenario/flag-check.js'
import type { Scenario, StopCondition } from '../scenario/types.js'
import { parseUrlList, readUrlFile } from '../scenario/urlfile/parse.js'
import { ConfigError } from '../errors.js'

/** siege's replay flags, as yargs hands them over. */
export interface SiegeFlags {
  url?: string
  concurrent?: number
  reps?: number
  time?: string
  /** Seconds, as siege takes it; a duration with a unit (500ms) is also accepted. */
  delay?: string
  benchmark?: boolean
  internet?: boolean
  file?: string
  header?: string[]
  userAgent?: string
  contentType?: string
  follow?: boolean
  insecure?: boolean
  out?: string
}

/** siege's shipped siegerc runs 25 users when -c is not given. */
export const SIEGE_DEFAULT_USERS = 25

/** Builds the same in-memory scenario a YAML file would, from siege's flags. */
export function scenarioFromSiegeFlags (flags: SiegeFlags, warn: (message: string) => void): Scenario {
  const headers = (flags.header ?? []).map((header) => headerFlag('-H', header))
  const twice = repeatedHost(headers.map(([name]) => name))
  if (twice) throw new ConfigError(`-H: ${twice}`)
  if (flags.userAgent) headers.push(['User-Agent', headerValueFlag('-A', flags.userAgent)])
  if (flags.contentType) mediaTypeFlag('-T', flags.contentType)
  const urls = readList(flags, warn)
  return {
    name: 'siege',
    target: { url: undefined, insecure: flags.insecure ?? false, readyTimeout: 30, tree: true },
    urls,
    concurrency: flags.concurrent === undefined ? SIEGE_DEFAULT_USERS : countFlag('-c', 'concurrency', flags.concurrent),
    stop: stopCondition(flags, warn),
    delay: flags.benchmark || flags.delay === undefined ? 0 : durationFlag('-d', 'delay', flags.delay, 's'),
    order: flags.internet ? 'random' : 'sequential',
    headers,
    timeout: 30,
    follow: flags.follow ?? true,
    cookies: true,
    sample: { interval: 1, pssInterval: 30 },
    out: flags.out
  }
}

function readList (flags: SiegeFlags, warn: (message: string) => void): Scenario['urls'] {
  // As in siege, a URL on the command line wins over -f.
  if (flags.url) {
    return { text: flags.url + '\n', entries: parseUrlList({ source: '<command line>', text: flags.url, contentType: flags.contentType, warn }) }
  }
  if (!flags.file) throw new ConfigError('no URL: give one on the command line, -f FILE, or a scenario with `memsiege run FILE.yml`')
  const file = resolve(flags.file)
  const list = readUrlFile(file, { contentType: flags.contentType, warn })
  if (list.entries.length === 0) throw new ConfigError('no URLs in the file (only blank lines, comments or variables)', { file })
  return { file, ...list }
}

function stopCondition (flags: SiegeFlags, warn: (message: string) => void): StopCondition {
  if (flags.time !== undefined) {
    if (flags.reps !== undefined) warn('-t and -r both given: time wins, as in siege')
    return { kind: 'duration', seconds: durationFlag('-t', 'duration', flags.time, 'm') }
  }
  if (flags.reps !== undefined) return { kind: 'repetitions', count: countFlag('-r', 'passes', flags.reps) }
  return { kind: 'forever' }
}
