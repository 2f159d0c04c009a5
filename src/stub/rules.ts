/**
 * The rules file of `memsiege stub --rules FILE`: hand-written answers (checked before the
 * recordings), a delay for every answer the stub makes up, and what a request nothing matches
 * gets. Read with the scenario's validator, so that a mistake is reported at file:line.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import type { MapSpec, Spec } from '../scenario/schema.js'
import { validate } from '../scenario/validate.js'
import { parseYamlSource } from '../scenario/yaml-source.js'
import { headerPairs, headersSpec, type HeaderList } from './exchange-file.js'

/** Seconds: fixed, or uniform between min and max. */
export type Delay = { min: number; max: number }

export type UnmatchedPolicy = 404 | 502 | 'pass-through'

export interface Rule {
  method?: string
  host?: string
  /** The path, `*` matching any run of characters. */
  path: RegExp
  pathText: string
  status: number
  headers: HeaderList
  body: Buffer
  delay?: Delay
}

export interface StubRules {
  unmatched: UnmatchedPolicy
  delay?: Delay
  responses: Rule[]
}

export const DEFAULT_RULES: StubRules = { unmatched: 404, responses: [] }

const delaySpec: Spec = {
  type: 'one-of',
  doc: 'A fixed delay (50ms), or a random one between min and max.',
  options: [
    { type: 'duration', positive: false, max: 3600, doc: 'A fixed delay.' },
    {
      type: 'map',
      doc: 'A uniform random delay.',
      keys: {
        min: { type: 'duration', positive: false, max: 3600, required: true, doc: 'Shortest.' },
        max: { type: 'duration', positive: false, max: 3600, required: true, doc: 'Longest.' },
      },
    },
  ],
}

const rulesSchema: MapSpec = {
  type: 'map',
  doc: 'Rules of memsiege stub.',
  keys: {
    unmatched: {
      type: 'one-of',
      doc: 'What a request that matches neither a rule nor a recording gets: 404, 502 or pass-through.',
      options: [
        { type: 'integer', min: 100, max: 599, doc: '404 or 502.' },
        { type: 'enum', values: ['pass-through'], doc: 'Sent on to the real host.' },
      ],
    },
    delay: delaySpec,
    responses: {
      type: 'list',
      minItems: 0,
      doc: 'Hand-written answers, tried in order before the recordings.',
      of: {
        type: 'map',
        doc: 'One answer and the requests it is for.',
        exclusive: [{ keys: ['body', 'file'], message: 'give only one of {keys}' }],
        keys: {
          method: { type: 'string', format: 'non-empty', doc: 'Only this method (default: any).' },
          host: { type: 'string', format: 'non-empty', doc: 'Only this host, with :port unless it is the default (default: any).' },
          path: { type: 'string', format: 'non-empty', required: true, doc: 'The path; * matches anything.' },
          status: { type: 'integer', min: 100, max: 599, default: 200, doc: 'The status code.' },
          headers: headersSpec,
          body: { type: 'string', doc: 'The body.' },
          file: { type: 'string', format: 'non-empty', doc: 'A file holding the body, relative to the rules file.' },
          delay: delaySpec,
        },
      },
    },
  },
}

type RawDelay = number | { min: number; max: number }

interface RawRules {
  unmatched?: number | 'pass-through'
  delay?: RawDelay
  responses?: Array<{ method?: string; host?: string; path: string; status: number; headers?: Array<[string, string]>; body?: string; file?: string; delay?: RawDelay }>
}

export function readRules (file: string): StubRules {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(`--rules: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  const checked = validate(parseYamlSource(text, file), rulesSchema)
  const raw = checked.value as RawRules
  const where = (path: string) => checked.at(path)?.value ?? checked.root
  const unmatched = raw.unmatched ?? 404
  if (unmatched !== 404 && unmatched !== 502 && unmatched !== 'pass-through') {
    throw new ConfigError(`unmatched: expected 404, 502 or "pass-through", got ${unmatched}`, where('unmatched'))
  }
  const delay = (value: RawDelay | undefined, path: string): Delay | undefined => {
    if (value === undefined) return undefined
    const d = typeof value === 'number' ? { min: value, max: value } : value
    if (d.min > d.max) throw new ConfigError(`${path}: min is above max`, where(path))
    return d
  }
  const responses = (raw.responses ?? []).map((r, i): Rule => {
    let body = Buffer.from(r.body ?? '')
    if (r.file !== undefined) {
      const path = resolve(dirname(file), r.file)
      if (!existsSync(path)) throw new ConfigError(`responses[${i}].file: no such file: ${path}`, where(`responses[${i}].file`))
      body = readFileSync(path)
    }
    return {
      ...(r.method !== undefined ? { method: r.method.toUpperCase() } : {}),
      ...(r.host !== undefined ? { host: r.host.toLowerCase() } : {}),
      path: globToRegExp(r.path),
      pathText: r.path,
      status: r.status,
      headers: headerPairs(r.headers),
      body,
      ...(r.delay !== undefined ? { delay: delay(r.delay, `responses[${i}].delay`) } : {}),
    }
  })
  return { unmatched, ...(raw.delay !== undefined ? { delay: delay(raw.delay, 'delay') } : {}), responses }
}

function globToRegExp (glob: string): RegExp {
  return new RegExp('^' + glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$')
}

export function ruleFor (rules: StubRules, method: string, url: URL): Rule | undefined {
  return rules.responses.find((r) =>
    (r.method === undefined || r.method === method) &&
    (r.host === undefined || r.host === url.host.toLowerCase()) &&
    r.path.test(url.pathname))
}

/** Milliseconds to wait, drawn from `delay`. */
export function delayMs (delay: Delay | undefined): number {
  if (!delay) return 0
  return (delay.min + Math.random() * (delay.max - delay.min)) * 1000
}
