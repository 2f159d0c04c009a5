/**
 * One recorded exchange as files a person can read and edit: NNNN-METHOD-host-path.yml (the
 * request that was sent, the answer that came back) and, beside it, the answer's body as it
 * came (decoded: no gzip), in a file of its own. Secret headers are stored as [redacted]; a
 * replay leaves them out of the answer.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { ConfigError } from '../errors.js'
import { redactHeaders } from '../recorder/redact.js'
import type { MapSpec, Spec } from '../scenario/schema.js'
import { validate } from '../scenario/validate.js'
import { parseYamlSource } from '../scenario/yaml-source.js'

export type HeaderList = Array<[string, string]>

export interface Exchange {
  request: { method: string; url: string; headers: HeaderList; bodySha256: string }
  response: { status: number; headers: HeaderList; body: Buffer }
  /** How long the upstream took, as recorded (informative). */
  upstreamMs?: number
}

const headerValue: Spec = {
  type: 'one-of',
  doc: 'A header value, or a list for a repeated header.',
  options: [
    { type: 'string', doc: 'A value.' },
    { type: 'integer', min: 0, doc: 'A number.' },
    { type: 'list', minItems: 1, of: { type: 'string', doc: 'A value.' }, doc: 'Values of a repeated header.' },
  ],
}

export const headersSpec: Spec = { type: 'dict', keyFormat: 'non-empty', numbersAsStrings: true, of: headerValue, doc: 'Headers: name → value.' }

const exchangeSchema: MapSpec = {
  type: 'map',
  doc: 'A recorded exchange.',
  keys: {
    request: {
      type: 'map',
      required: true,
      doc: 'The request as the app sent it.',
      keys: {
        method: { type: 'string', format: 'non-empty', required: true, doc: 'GET, POST, ...' },
        url: { type: 'string', format: 'http-url', required: true, doc: 'The absolute URL.' },
        headers: headersSpec,
        bodySha256: { type: 'string', default: '', doc: 'SHA-256 of the request body (--match-body compares it).' },
      },
    },
    response: {
      type: 'map',
      required: true,
      exclusive: [{ keys: ['body', 'bodyFile'], message: 'response: give only one of {keys}' }],
      doc: 'The answer replayed.',
      keys: {
        status: { type: 'integer', min: 100, max: 599, required: true, doc: 'The status code.' },
        headers: headersSpec,
        body: { type: 'string', doc: 'The body, written here.' },
        bodyFile: { type: 'string', format: 'non-empty', doc: 'The file holding the body, beside this one.' },
      },
    },
    upstreamMs: { type: 'integer', min: 0, doc: 'How long the upstream took.' },
    recordedAt: { type: 'string', doc: 'When it was recorded.' },
  },
}

/** Validated headers ([name, string | number | string[]] pairs) as one pair per value. */
export function headerPairs (raw: Array<[string, string | number | string[]]> | undefined): HeaderList {
  return (raw ?? []).flatMap(([name, value]) => Array.isArray(value) ? value.map((v) => [name, v] as [string, string]) : [[name, String(value)] as [string, string]])
}

function headerMap (headers: HeaderList): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of headers) {
    const had = out[name]
    out[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value]
  }
  return out
}

/** Reads NAME.yml and its body file; a mistake in either is a ConfigError at file:line. */
export function readExchange (dir: string, name: string): Exchange {
  const file = join(dir, name)
  const src = parseYamlSource(readFileSync(file, 'utf8'), file)
  const checked = validate(src, exchangeSchema)
  const raw = checked.value as {
    request: { method: string; url: string; headers?: Array<[string, string]>; bodySha256: string }
    response: { status: number; headers?: Array<[string, string]>; body?: string; bodyFile?: string }
    upstreamMs?: number
  }
  let body = Buffer.from(raw.response.body ?? '')
  if (raw.response.bodyFile !== undefined) {
    const bodyPath = join(dir, raw.response.bodyFile)
    if (!existsSync(bodyPath)) throw new ConfigError(`response.bodyFile: no such file: ${bodyPath}`, checked.at('response.bodyFile')?.value)
    body = readFileSync(bodyPath)
  }
  return {
    request: { method: raw.request.method.toUpperCase(), url: raw.request.url, headers: headerPairs(raw.request.headers), bodySha256: raw.request.bodySha256 },
    response: { status: raw.response.status, headers: headerPairs(raw.response.headers), body },
    ...(raw.upstreamMs !== undefined ? { upstreamMs: raw.upstreamMs } : {}),
  }
}

/** Writes `base`.yml and `base`.body; secret headers redacted. */
export function writeExchange (dir: string, base: string, exchange: Exchange): void {
  const bodyFile = `${base}.body`
  writeFileSync(join(dir, bodyFile), exchange.response.body)
  const doc = {
    request: { method: exchange.request.method, url: exchange.request.url, headers: headerMap(redactHeaders(exchange.request.headers)), bodySha256: exchange.request.bodySha256 },
    response: { status: exchange.response.status, headers: headerMap(redactHeaders(exchange.response.headers)), bodyFile },
    ...(exchange.upstreamMs !== undefined ? { upstreamMs: exchange.upstreamMs } : {}),
    recordedAt: new Date().toISOString(),
  }
  writeFileSync(join(dir, `${base}.yml`), '# A memsiege stub recording: edit freely (the body is in bodyFile, or write `body:` here instead).\n' + stringify(doc, { lineWidth: 0 }))
}
