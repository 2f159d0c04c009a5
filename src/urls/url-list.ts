/** Assembling and writing an imported URL list: lines, body files beside it, header comments. */
import { isUtf8 } from 'node:buffer'
import { mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { lineContentType, siegeLine, type SiegeRequest } from './siege-line.js'
import { ConfigError, WriteWholeError } from '../errors.js'
import { writeFileWhole } from '../recorder/write-whole.js'

/** One request to write. */
export interface ListItem {
  method: string
  /** Absolute, or a path starting with `/`. */
  url: string
  body?: Buffer
  /** As recorded: parameters are dropped when they can be. */
  contentType?: string
}

export interface BodyFile {
  /** Absolute path to write. */
  path: string
  data: Buffer
}

export interface RenderedItems {
  /** A line per item, or undefined for an item that can't be written. */
  lines: Array<string | undefined>
  bodyFiles: BodyFile[]
  /** Why items were left out, with how many. */
  skipped: Map<string, number>
}

/** Where bodies that can't be inline go: `<out>.bodies/N.json` beside the URL file. */
export interface BodyFolder {
  /** Absolute folder. */
  dir: string
  /** The folder as the URL file refers to it. */
  ref: string
}

export function bodyFolderFor (out: string | undefined): BodyFolder | undefined {
  if (out === undefined) return undefined
  const stem = basename(out, extname(out)).replace(/[^A-Za-z0-9._-]/g, '_') || 'urls'
  const ref = `${stem}.bodies`
  return { dir: join(dirname(out), ref), ref }
}

/** Renders each item once; identical bodies share one file. */
export function renderItems (items: readonly ListItem[], folder: BodyFolder | undefined): RenderedItems {
  const skipped = new Map<string, number>()
  const bodyFiles: BodyFile[] = []
  const filesByBody = new Map<string, string>()
  const skip = (reason: string): undefined => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1)
    return undefined
  }
  const lines = items.map((item) => {
    const request: SiegeRequest = { method: item.method, url: item.url }
    if (item.contentType !== undefined && item.body !== undefined) {
      const type = lineContentType(item.contentType)
      if ('reason' in type) return skip(type.reason)
      request.contentType = type.type
    }
    const body = item.body
    if (body === undefined || body.length === 0 || !isUtf8(body) || body.includes(0)) {
      if (body !== undefined && body.length > 0) return withFile(request, body)
      const outcome = siegeLine(request)
      return outcome.ok ? outcome.line : skip(outcome.reason)
    }
    const outcome = siegeLine({ ...request, body: body.toString('utf8') })
    if (outcome.ok) return outcome.line
    if (outcome.inline === true) return withFile(request, body, outcome.reason)
    return skip(outcome.reason)
  })
  return { lines, bodyFiles, skipped }

  function withFile (request: SiegeRequest, body: Buffer, why = 'the body is binary'): string | undefined {
    if (folder === undefined) return skip(`${why}: it needs a body file, and bodies are written to files only with --out`)
    const json = request.contentType !== undefined && /[/+]json$/i.test(request.contentType)
    const key = body.toString('base64') + (json ? 'j' : 'b')
    let ref = filesByBody.get(key)
    if (ref === undefined) {
      // .json and .bin are siege's binary types: sent byte for byte, not trimmed.
      const name = `${bodyFiles.length + 1}.${json ? 'json' : 'bin'}`
      ref = `${folder.ref}/${name}`
      filesByBody.set(key, ref)
      bodyFiles.push({ path: join(folder.dir, name), data: body })
    }
    const outcome = siegeLine({ ...request, bodyFile: ref })
    return outcome.ok ? outcome.line : skip(outcome.reason)
  }
}

/** A comment line: `# …`, never spanning lines. */
export function comment (text: string): string {
  return '# ' + text.replace(/[\r\n]+/g, ' ')
}

/** Writes the list to `out` (through a temporary file) with its body files. */
export function writeList (text: string, out: string, bodyFiles: readonly BodyFile[], folder: BodyFolder | undefined): void {
  try {
    if (folder !== undefined) {
      removeOldBodies(folder.dir)
      if (bodyFiles.length > 0) mkdirSync(folder.dir, { recursive: true })
    }
    for (const file of bodyFiles) writeFileSync(file.path, file.data)
    writeFileWhole(out, text)
  } catch (error) {
    const cause = (error instanceof WriteWholeError ? error.cause : error) as NodeJS.ErrnoException
    throw new ConfigError(`cannot write: ${cause.code === 'ENOENT' ? `no such folder: ${dirname(out)}` : cause.code ?? cause.message}`, { file: out })
  }
}

/** The body files of an earlier import to the same --out, and nothing else. */
function removeOldBodies (dir: string): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) if (/^\d+\.(json|bin)$/.test(name)) rmSync(join(dir, name), { force: true })
  try {
    rmdirSync(dir)
  } catch {}
}
