/**
 * Walks a parsed YAML document against a schema table (schema.ts): rejects unknown keys (with a
 * suggestion), wrong types, out-of-range numbers, bad durations and conflicting keys, fills in
 * defaults, and remembers where every value was written so later checks can point at it.
 */
import { parseRate } from '../units/rate.js'
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml'
import { parseDuration } from '../units/duration.js'
import { headerNameProblem, headerValueProblem, mediaTypeProblem } from './header-check.js'
import { keyAliases, type DurationSpec, type IntegerSpec, type MapSpec, type Spec, type StringFormat } from './schema.js'
import { parseWarmup } from '../units/warmup.js'
import { parseGrowthLimit } from '../units/growth-limit.js'
import { parseSize } from '../units/size.js'
import { sameKey, suggest } from './suggest.js'
import { whereNode, type Where, type YamlSource } from './yaml-source.js'
import { ConfigError } from '../errors.js'

export interface Located {
  /** The value's node (undefined for an empty value). */
  node?: Node
  /** Where the value is written; its key's position when the value is empty. */
  value: Where
  /** Where its key is, for mapping entries. */
  key?: Where
}

export interface Validated {
  /** Plain values: mappings as objects (defaults filled in), lists as arrays, dicts as [name, value] pairs, durations as seconds. */
  value: Record<string, unknown>
  /** Where the value at a dotted path (`target.url`, `urls[0]`) was written, when it was. */
  at(path: string): Located | undefined
  /** The start of the document, for errors about what is missing. */
  root: Where
}

type Kind = 'nothing' | 'string' | 'number' | 'boolean' | 'mapping' | 'list' | 'other'

interface Segment {
  key: string | number
}

/** Validates the document's top-level mapping against `schema`. Throws the first problem as a ConfigError. */
export function validate (src: YamlSource, schema: MapSpec): Validated {
  const located = new Map<string, Located>()
  const root = whereNode(src, src.doc.contents)
  const contents = src.doc.contents
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    throw new ConfigError('scenario is empty: it needs at least "urls"', { file: src.file, line: 1, column: 1 })
  }
  const walker = new Walker(src, located, schema)
  const node = walker.deref(contents)
  if (!isMap(node)) {
    throw walker.fail(node, `expected a mapping of scenario keys at the top level, got ${walker.describe(node)}`)
  }
  const value = walker.map(node, schema, [], root) as Record<string, unknown>
  return { value, at: (path) => located.get(path), root }
}

class Walker {
  readonly #src: YamlSource
  readonly #located: Map<string, Located>
  readonly #schema: MapSpec

  constructor (src: YamlSource, located: Map<string, Located>, schema: MapSpec) {
    this.#src = src
    this.#located = located
    this.#schema = schema
  }

  deref (node: unknown): Node | null {
    let n = node as Node | null
    for (let hops = 0; n && isAlias(n) && hops < 100; hops++) n = (n.resolve(this.#src.doc) ?? null) as Node | null
    return n
  }

  kind (node: Node | null): Kind {
    if (node === null) return 'nothing'
    if (isMap(node)) return 'mapping'
    if (isSeq(node)) return 'list'
    if (isScalar(node)) {
      const v = node.value
      if (v === null || v === undefined) return 'nothing'
      if (typeof v === 'string') return 'string'
      if (typeof v === 'number' || typeof v === 'bigint') return 'number'
      if (typeof v === 'boolean') return 'boolean'
    }
    return 'other'
  }

  describe (node: Node | null): string {
    const kind = this.kind(node)
    const v = isScalar(node) ? node.value : undefined
    switch (kind) {
      case 'nothing': return 'nothing'
      case 'string': return `a string (${quote(String(v))})`
      case 'number': return `a number (${String(v)})`
      case 'boolean': return `${String(v)}`
      case 'mapping': return 'a mapping'
      case 'list': return 'a list'
      default: return 'something else'
    }
  }

  fail (node: Node | null, message: string, keyWhere?: Where): ConfigError {
    const empty = this.kind(node) === 'nothing'
    const where = empty && keyWhere ? keyWhere : node ? whereNode(this.#src, node) : keyWhere ?? whereNode(this.#src, null)
    return new ConfigError(message, where)
  }

  #record (path: Segment[], node: Node | null, keyWhere?: Where): void {
    const value = this.kind(node) === 'nothing' && keyWhere ? keyWhere : whereNode(this.#src, node)
    this.#located.set(pathKey(path), { node: node ?? undefined, value, key: keyWhere })
  }

  /** Validates one value; `keyWhere` is its key's position (for empty values and mappings). */
  check (raw: unknown, spec: Spec, path: Segment[], keyWhere?: Where): unknown {
    const node = this.deref(raw)
    this.#record(path, node, keyWhere)
    const kind = this.kind(node)
    const name = pathName(path)
    const wrongType = (expected: string): ConfigError => {
      let hint = ''
      if (expected.startsWith('a string') && (kind === 'number' || kind === 'boolean')) hint = '; quote it to make it a string'
      if (spec.type === 'boolean' && kind === 'string' && /^(yes|no|on|off|y|n|true|false)$/i.test(String((node as { value: unknown }).value))) {
        hint = '; write true or false without quotes'
      }
      if (spec.hint) hint = `; ${spec.hint}`
      return this.fail(node, `${name}: expected ${expected}, got ${this.describe(node)}${hint}`, keyWhere)
    }

    switch (spec.type) {
      case 'string': {
        if (kind !== 'string') throw wrongType('a string')
        const s = (node as { value: string }).value
        if (spec.format) this.#checkFormat(node, s, spec.format, name, keyWhere)
        return s
      }
      case 'boolean':
        if (kind !== 'boolean') throw wrongType('true or false')
        return (node as { value: boolean }).value
      case 'integer': {
        if (kind !== 'number') throw wrongType('an integer')
        const n = Number((node as { value: number }).value)
        if (!Number.isInteger(n)) throw this.fail(node, `${name}: expected an integer, got ${this.describe(node)}`, keyWhere)
        const problem = valueProblem(spec, n)
        if (problem) throw this.fail(node, `${name}: ${problem}`, keyWhere)
        return n
      }
      case 'duration': {
        if (kind !== 'number' && kind !== 'string') throw wrongType('a duration such as 30s, 10m or 1.5h')
        let seconds: number
        try {
          seconds = parseDuration((node as { value: string | number }).value)
        } catch (err) {
          throw this.fail(node, `${name}: ${(err as Error).message}`, keyWhere)
        }
        const problem = valueProblem(spec, seconds)
        if (problem) throw this.fail(node, `${name}: ${problem}`, keyWhere)
        return seconds
      }
      case 'enum': {
        const choices = orList(spec.values.map(quote))
        if (kind !== 'string') throw wrongType(choices)
        const s = (node as { value: string }).value
        if (!spec.values.includes(s)) {
          const near = suggest(s, spec.values)
          throw this.fail(node, `${name}: expected ${choices}, got ${quote(s)}${near ? ` (did you mean ${quote(near)}?)` : ''}`, keyWhere)
        }
        return s
      }
      case 'list': {
        if (!isSeq(node)) throw wrongType('a list')
        if (node.items.length < spec.minItems) throw this.fail(node, node.items.length === 0 ? `${name}: empty list` : `${name}: needs at least ${spec.minItems} items, got ${node.items.length}`, keyWhere)
        return node.items.map((item, i) => this.check(item, spec.of, [...path, { key: i }]))
      }
      case 'dict':
        if (!isMap(node)) throw wrongType('a mapping of names to values')
        return node.items.map((pair) => {
          const key = this.#keyOf(pair, name)
          const keyWhere = whereNode(this.#src, pair.key as Node)
          this.#checkFormat(pair.key as Node, key, spec.keyFormat, name, keyWhere)
          const itemPath = [...path, { key }]
          if (spec.of) return [key, this.check(pair.value, spec.of, itemPath, keyWhere)] as [string, unknown]
          const value = this.deref(pair.value)
          this.#record(itemPath, value, keyWhere)
          const vkind = this.kind(value)
          let text: string
          if (vkind === 'string') text = (value as { value: string }).value
          // As written: `1.10` stays "1.10", not "1.1".
          else if (vkind === 'number' && spec.numbersAsStrings) text = (value as Scalar).source ?? String((value as Scalar).value)
          else {
            const expected = spec.numbersAsStrings ? 'a string or a number' : 'a string'
            const hint = vkind === 'number' || vkind === 'boolean' ? '; quote it to make it a string' : ''
            throw this.fail(value, `${pathName(itemPath)}: expected ${expected}, got ${this.describe(value)}${hint}`, keyWhere)
          }
          if (spec.valueFormat) this.#checkFormat(value, text, spec.valueFormat, pathName(itemPath), keyWhere)
          return [key, text] as [string, string]
        })
      case 'map':
        if (!isMap(node)) throw wrongType('a mapping')
        return this.map(node, spec, path, keyWhere ?? whereNode(this.#src, node))
      case 'any-map':
        if (kind !== 'mapping' && kind !== 'nothing') throw wrongType('a mapping')
        return node ? node.toJS(this.#src.doc) : {}
      case 'one-of': {
        const option = spec.options.find((o) => accepts(o).includes(kind))
        if (!option) throw wrongType(orList(spec.options.map(expectation)))
        return this.check(node, option, path, keyWhere)
      }
    }
  }

  map (node: Node, spec: MapSpec, path: Segment[], where: Where): Record<string, unknown> {
    if (!isMap(node)) throw this.fail(node, `${pathName(path)}: expected a mapping`)
    const out: Record<string, unknown> = {}
    const keyPositions = new Map<string, Where>()
    const context = path.length ? ` in ${pathName(path)}` : ''
    for (const pair of node.items as Pair[]) {
      const key = this.#keyOf(pair, pathName(path) || 'scenario')
      const keyWhere = whereNode(this.#src, pair.key as Node)
      const sub = spec.keys[key]
      if (!Object.hasOwn(spec.keys, key) || sub === undefined) {
        throw new ConfigError(`unknown key ${quote(key)}${context}${this.#hint(key, spec, path)}`, keyWhere)
      }
      keyPositions.set(key, keyWhere)
      out[key] = this.check(pair.value, sub, [...path, { key }], keyWhere)
    }
    for (const [key, sub] of Object.entries(spec.keys)) {
      if (Object.hasOwn(out, key)) continue
      if (sub.required) throw new ConfigError(`missing required key ${quote(key)}${context}`, where)
      const fallback = defaultOf(sub)
      if (fallback !== undefined) out[key] = fallback
    }
    for (const group of spec.exclusive ?? []) {
      const given = [...keyPositions.keys()].filter((k) => group.keys.includes(k))
      if (given.length > 1) {
        throw new ConfigError(group.message.replace('{keys}', andList(given)), keyPositions.get(given[1]))
      }
    }
    for (const [key, needs] of Object.entries(spec.requires ?? {})) {
      if (keyPositions.has(key) && !keyPositions.has(needs)) {
        const prefix = path.length ? `${pathName(path)}.` : ''
        throw new ConfigError(`${prefix}${key} is only used with ${prefix}${needs}`, keyPositions.get(key))
      }
    }
    return out
  }

  #keyOf (pair: Pair, where: string): string {
    const key = this.deref(pair.key)
    if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number' || typeof key.value === 'boolean')) {
      return String(key.value)
    }
    throw this.fail(key, `${where}: keys must be plain names, got ${this.describe(key)}`, whereNode(this.#src, pair.value as Node))
  }

  /** The "(did you mean …?)" part of an unknown-key message. */
  #hint (key: string, spec: MapSpec, path: Segment[]): string {
    const names = Object.keys(spec.keys)
    const alias = Object.entries(keyAliases).find(([from]) => sameKey(from, key))?.[1]
    if (alias && names.includes(alias)) return ` (did you mean ${quote(alias)}?)`
    const same = names.find((n) => sameKey(n, key))
    if (same) return ` (did you mean ${quote(same)}?)`
    const elsewhere = findKeyElsewhere(key, this.#schema, path)
    const near = suggest(key, names)
    if (elsewhere !== undefined) {
      const place = elsewhere === '' ? 'at the top level' : `under ${quote(elsewhere)}`
      return near ? ` (did you mean ${quote(near)}, or ${quote(key)} ${place}?)` : ` (it belongs ${place})`
    }
    if (near) return ` (did you mean ${quote(near)}?)`
    return `; expected one of ${names.join(', ')}`
  }

  #checkFormat (node: Node | null, s: string, format: StringFormat, name: string, keyWhere?: Where): void {
    const problem = formatProblem(s, format)
    if (problem) throw this.fail(node, `${name}: ${problem}`, keyWhere)
  }
}

/**
 * What is wrong with a number for an integer spec, or with seconds for a duration spec: the
 * checks the scenario file and the command-line flags share.
 */
export function valueProblem (spec: IntegerSpec | DurationSpec, n: number): string | undefined {
  if (spec.type === 'integer') {
    if (!Number.isSafeInteger(n)) return `must be a whole number below 2^53, got ${n}`
    if (n < spec.min) return `must be at least ${spec.min}, got ${n}`
    if (spec.max !== undefined && n > spec.max) return `must be at most ${spec.max}, got ${n}`
    return undefined
  }
  if (spec.positive && n <= 0) return 'must be more than 0'
  if (spec.max !== undefined && n > spec.max) return `must be at most ${spec.max} s, got ${n} s`
  return undefined
}

/** What is wrong with `s` for `format`, or undefined. */
export function formatProblem (s: string, format: StringFormat): string | undefined {
  switch (format) {
    case 'non-empty':
      return s.trim() === '' ? 'must not be empty' : undefined
    case 'name':
      if (s.trim() === '') return 'must not be empty'
      if (/[/\\]/.test(s) || s === '.' || s === '..') return `${quote(s)} must not contain slashes or be . or ..`
      return /[\u0000-\u001f\u007f]/.test(s) ? `${quote(s)} contains a control character` : undefined
    case 'header-name':
      return headerNameProblem(s)
    case 'header-value':
      return headerValueProblem(s)
    case 'media-type':
      return mediaTypeProblem(s)
    case 'env-name':
      return s === '' || /[=\0]/.test(s) ? `${quote(s)} is not a valid environment variable name` : undefined
    case 'http-url':
      return httpUrlProblem(s)
    case 'path-or-http-url':
      return s.startsWith('/') ? undefined : httpUrlProblem(s, ' (or a path starting with /)')
    case 'warmup':
      return messageOf(() => parseWarmup(s))
    case 'growth-limit':
      return messageOf(() => parseGrowthLimit(s))
    case 'rate':
      return messageOf(() => parseRate(s))
    case 'size':
      return messageOf(() => parseSize(s))
  }
}

function messageOf (check: () => unknown): string | undefined {
  try {
    check()
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

function httpUrlProblem (s: string, alternative = ''): string | undefined {
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return `${quote(s)} is not a URL; expected a URL such as http://127.0.0.1:8000/${alternative}`
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `unsupported scheme ${quote(url.protocol.replace(/:$/, ''))} in ${quote(s)}; expected http or https${alternative}`
  }
  return undefined
}

/** The YAML kinds a spec can take. */
function accepts (spec: Spec): Kind[] {
  switch (spec.type) {
    case 'string': case 'enum': return ['string']
    case 'boolean': return ['boolean']
    case 'integer': return ['number']
    case 'duration': return ['number', 'string']
    case 'list': return ['list']
    case 'dict': case 'map': return ['mapping']
    case 'any-map': return ['mapping', 'nothing']
    case 'one-of': return spec.options.flatMap(accepts)
  }
}

function expectation (spec: Spec): string {
  switch (spec.type) {
    case 'string': return 'a string'
    case 'enum': return orList(spec.values.map(quote))
    case 'boolean': return 'true or false'
    case 'integer': return 'an integer'
    case 'duration': return 'a duration'
    case 'list': return 'a list'
    case 'dict': case 'map': case 'any-map': return 'a mapping'
    case 'one-of': return orList(spec.options.map(expectation))
  }
}

function defaultOf (spec: Spec): unknown {
  if (spec.type === 'map') {
    if (!spec.defaultEmpty) return undefined
    const out: Record<string, unknown> = {}
    for (const [k, sub] of Object.entries(spec.keys)) {
      const d = defaultOf(sub)
      if (d !== undefined) out[k] = d
    }
    return out
  }
  return 'default' in spec ? spec.default : undefined
}

/** A mapping elsewhere in the schema where `key` is allowed, as its dotted path. */
function findKeyElsewhere (key: string, root: MapSpec, here: Segment[]): string | undefined {
  const hereName = pathName(here)
  const search = (spec: Spec, path: string): string | undefined => {
    if (spec.type === 'one-of') {
      for (const o of spec.options) {
        const found = search(o, path)
        if (found !== undefined) return found
      }
      return undefined
    }
    if (spec.type !== 'map') return undefined
    if (path !== hereName && Object.keys(spec.keys).some((k) => sameKey(k, key))) return path
    for (const [k, sub] of Object.entries(spec.keys)) {
      const found = search(sub, path ? `${path}.${k}` : k)
      if (found !== undefined) return found
    }
    return undefined
  }
  return search(root, '')
}

export function pathKey (path: Segment[]): string {
  return path.map((s, i) => (typeof s.key === 'number' ? `[${s.key}]` : i === 0 ? s.key : `.${s.key}`)).join('')
}

/** A path as shown to people: `target.url`, `urls item 3`. */
function pathName (path: Segment[]): string {
  return path.map((s, i) => (typeof s.key === 'number' ? ` item ${s.key + 1}` : i === 0 ? s.key : `.${s.key}`)).join('')
}

function quote (s: string): string {
  const short = s.length > 60 ? `${s.slice(0, 57)}...` : s
  return JSON.stringify(short)
}

function andList (items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

function orList (items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}
