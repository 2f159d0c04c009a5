import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { UrlEntry } from '../types.js'
import { toAbsoluteUrl } from './address.js'
import { BodyFiles } from './body-file.js'
import { type LineContext, lineError, type SiegeQuirk } from './context.js'
import { mediaTypeProblem } from '../header-check.js'
import { readLines, SIEGE_LINE_BUFFER } from './lines.js'
import { nonUtf8Byte } from './utf8.js'
import { type BodySource, splitMethod } from './method.js'
import { parseVariableLine, VariableScope } from './variables.js'
import { ConfigError } from '../../errors.js'

export interface UrlListOptions {
  /** File path for messages, or '<inline>'. */
  source: string
  /** The list's text. */
  text: string
  /** Base URL: relative lines ('/api/x', 'api/x?y=1') resolve against it; without one they are an error. */
  base?: string
  /** siege -T: content type for body-slot lines; default application/x-www-form-urlencoded. */
  contentType?: string
  /** Environment fallback for variables; default process.env. */
  env?: Record<string, string | undefined>
  /** Where `<file` paths are looked up first (the URL file's folder); then process.cwd(). */
  bodyDir?: string
  /** Each distinct warning at most once per list. */
  warn?: (message: string) => void
}

const DEFAULT_CONTENT_TYPE = 'application/x-www-form-urlencoded'

/** Reads a siege URL list: one entry per URL line, in file order. */
export function parseUrlList (options: UrlListOptions): UrlEntry[] {
  const variables = new VariableScope(options.env ?? process.env)
  const bodyFiles = new BodyFiles(options.bodyDir)
  const quirksSeen = new Set<SiegeQuirk>()
  const entries: UrlEntry[] = []

  for (const { number, text, longerThanSiegeBuffer, hasNul } of readLines(options.text)) {
    const at: LineContext = {
      source: options.source,
      line: number,
      quirk (kind, message) {
        if (quirksSeen.has(kind)) return
        quirksSeen.add(kind)
        options.warn?.(`${options.source}:${number}: ${message}`)
      }
    }
    // siege 4.0.7 reads the file as a C string: it stops at the NUL, and drops or cuts lines around it.
    if (hasNul) throw lineError(at, 'a NUL byte: a URL file is text (siege stops reading the file there); remove it, or put the body in a <file')
    if (longerThanSiegeBuffer) {
      at.quirk('long-line', `line is longer than siege's ${SIEGE_LINE_BUFFER}-byte buffer; siege drops it (or truncates it when it is the last line)`)
    }
    const definition = parseVariableLine(text)
    if (definition) {
      variables.define(definition)
      continue
    }
    entries.push(readEntry(variables.expand(text, at), options, bodyFiles, at))
  }
  return entries
}

function readEntry (text: string, options: UrlListOptions, bodyFiles: BodyFiles, at: LineContext): UrlEntry {
  const line = splitMethod(text, at)
  const url = toAbsoluteUrl(line.url, { base: options.base, escape: line.body === undefined }, at)
  const entry: UrlEntry = { source: at.source, line: at.line, method: line.method, url }
  if (line.body === undefined) return entry
  if (!text.includes('/')) {
    at.quirk('body-slash', 'siege appends "/" to the body of a line that has no "/" at all; memsiege sends the body as written')
  }
  if (line.contentType !== undefined) {
    const problem = mediaTypeProblem(line.contentType)
    if (problem) throw lineError(at, `-T ${problem}`)
  }
  entry.body = readBody(line.body, bodyFiles, at)
  // Like siege, an empty -T means the default.
  entry.contentType = line.contentType ?? (options.contentType || DEFAULT_CONTENT_TYPE)
  return entry
}

function readBody (body: BodySource, bodyFiles: BodyFiles, at: LineContext): Buffer {
  return body.kind === 'file' ? bodyFiles.read(body.path, at) : Buffer.from(body.text, 'utf8')
}

/** Reads and parses a URL file; `<file` bodies are looked up next to it first. */
export function readUrlFile (
  path: string,
  options: Omit<UrlListOptions, 'source' | 'text' | 'bodyDir'>
): { text: string; entries: UrlEntry[] } {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw new ConfigError(`cannot read URL file: ${(error as Error).message}`, { file: path })
  }
  const bad = nonUtf8Byte(bytes)
  if (bad) {
    throw new ConfigError(
      `byte 0x${bad.byte} is not UTF-8: memsiege reads URL files as UTF-8 and won't guess (siege sends such a byte as is); percent-encode it (%${bad.byte}) or save the file as UTF-8`,
      { file: path, line: bad.line }
    )
  }
  const text = bytes.toString('utf8')
  return { text, entries: parseUrlList({ ...options, source: path, text, bodyDir: dirname(path) }) }
}
