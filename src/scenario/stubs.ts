/**
 * The scenario's `stubs:` key: record/replay proxies (`memsiege stub`) a run starts before the
 * target and stops after it, for the APIs the target calls. Paths resolve against the scenario's
 * folder; what can be checked before the run (folders, files, one forward proxy) is checked here.
 */
import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import { storageProblem } from '../files/storage.js'
import { upstreamCaProblem } from '../files/pem-certificates.js'
import type { ListSpec } from './schema.js'
import type { Where } from './yaml-source.js'

export interface StubConfig {
  mode: 'record' | 'replay' | 'pass-through'
  /** The recordings folder, absolute. */
  dir?: string
  /** Reverse proxy to this base URL; a forward proxy (http_proxy for the target) when absent. */
  upstream?: string
  /** Reverse proxy: the target's environment variable that gets the stub's URL. */
  env?: string
  /** 0: any free port. */
  port: number
  rules?: string
  matchBody: boolean
  caDir?: string
  loopbackOnly: boolean
  upstreamCa: string[]
}

export const stubsSpec: ListSpec = {
  type: 'list',
  minItems: 1,
  doc: 'Record/replay proxies for the APIs the target calls, started with the run (memsiege stub).',
  of: {
    type: 'map',
    doc: 'One stub.',
    exclusive: [{ keys: ['record', 'replay'], message: 'stubs: give only one of {keys}' }],
    requires: { env: 'upstream' },
    keys: {
      record: { type: 'string', format: 'non-empty', doc: 'Pass through and store each exchange in this folder.' },
      replay: { type: 'string', format: 'non-empty', doc: 'Answer from the recordings in this folder; never touch the network.' },
      upstream: { type: 'string', format: 'http-url', doc: 'Reverse proxy to this base URL (default: a forward proxy, given to the target as http_proxy).' },
      env: { type: 'string', format: 'env-name', doc: "With upstream: the target's variable that gets the stub's URL." },
      port: { type: 'integer', min: 0, max: 65535, default: 0, doc: 'Port to listen on (0: any free one).' },
      rules: { type: 'string', format: 'non-empty', doc: 'Rules file: hand-written answers, delays, what unmatched requests get.' },
      matchBody: { type: 'boolean', default: false, doc: 'A recording matches only a request with the same body.' },
      caDir: { type: 'string', format: 'non-empty', doc: 'Folder of the CA (default ~/.config/memsiege/ca).' },
      loopbackOnly: { type: 'boolean', default: false, doc: 'Never forward to a host outside loopback.' },
      upstreamCa: { type: 'list', minItems: 1, of: { type: 'string', format: 'non-empty', doc: 'A PEM file.' }, doc: 'CAs to trust for upstream hosts.' },
    },
  },
}

/** The schema's output: StubConfig's keys as written, the folder under `record` or `replay`. */
export type RawStub = Omit<StubConfig, 'mode' | 'dir' | 'upstreamCa'> & { record?: string; replay?: string; upstreamCa?: string[] }

export function buildStubs (raw: RawStub[], dir: string, at: (path: string) => Where): StubConfig[] {
  const forward = raw.filter((s) => s.upstream === undefined)
  if (forward.length > 1) throw new ConfigError('stubs: one forward proxy at most (the target has one http_proxy); give the others an upstream', at(`stubs[${raw.indexOf(forward[1])}]`))
  return raw.map((s, i) => {
    const file = (value: string | undefined, key: string, kind: 'file' | 'folder'): string | undefined => {
      if (value === undefined) return undefined
      const path = resolve(dir, value)
      if (!existsSync(path) || statSync(path).isDirectory() !== (kind === 'folder')) throw new ConfigError(`stubs[${i}].${key}: no such ${kind}: ${path}`, at(`stubs[${i}].${key}`))
      return path
    }
    const folderToWrite = (value: string, key: string): string => {
      const path = resolve(dir, value)
      const problem = storageProblem(path)
      if (problem) throw new ConfigError(`stubs[${i}].${key}: ${path}: ${problem}`, at(`stubs[${i}].${key}`))
      return path
    }
    const recordings = s.replay !== undefined ? file(s.replay, 'replay', 'folder') : s.record !== undefined ? folderToWrite(s.record, 'record') : undefined
    const rules = file(s.rules, 'rules', 'file')
    return {
      mode: s.record !== undefined ? 'record' : s.replay !== undefined ? 'replay' : 'pass-through',
      ...(recordings !== undefined ? { dir: recordings } : {}),
      ...(s.upstream !== undefined ? { upstream: s.upstream } : {}),
      ...(s.env !== undefined ? { env: s.env } : {}),
      port: s.port,
      ...(rules !== undefined ? { rules } : {}),
      matchBody: s.matchBody,
      ...(s.caDir !== undefined ? { caDir: folderToWrite(s.caDir, 'caDir') } : {}),
      loopbackOnly: s.loopbackOnly,
      upstreamCa: (s.upstreamCa ?? []).map((p, j) => {
        const path = file(p, `upstreamCa[${j}]`, 'file')!
        const problem = upstreamCaProblem(path)
        if (problem) throw new ConfigError(`stubs[${i}].upstreamCa[${j}]: ${path}: ${problem}`, at(`stubs[${i}].upstreamCa[${j}]`))
        return path
      }),
    }
  })
}
