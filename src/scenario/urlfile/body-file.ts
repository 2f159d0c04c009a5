import { readFileSync } from 'node:fs'
import { extname, isAbsolute, resolve } from 'node:path'
import { type LineContext, lineError } from './context.js'

/**
 * siege's binary types (src/load.c): sent byte for byte. Every other extension,
 * and none, is "ascii": trimmed and cut at the first NUL. So `body.json` keeps
 * its trailing newline and `body.txt` loses it.
 */
const BINARY_EXTENSIONS = new Set(('ai aif aifc aiff au avi bcpio bin ccad cdf class cpio cpt csh dcr dir dms ' +
  'doc drw dvi dwg dxf dxr eps exe ez fli gif gtar gz hdf hqx ice ico ief iges igs ips ipx jpe jpeg jpg js ' +
  'json kar latex lha lsp lzh man me mesh mid midi mif mime mov movie mp2 mp3 mpe mpeg mpg mpga ms msh nc ' +
  'oda pbm pdb pdf pgm pgn png pnm pot ppm pps ppt ppz pre proto prt ps qt ra ram ras rgb rm roff rpm rtf ' +
  'rtx scm set sh shar silo sit skd skm skp skt smi smil snd sol spl src step stl stp sv4cpio sv4crc swf t ' +
  'tar tcl tex texi texinfo tif tiff tr tsi tsp unv ustar vcd vda viv vivo vrml wav wrl xbm xlc xll xlm ' +
  'xls xlw xpm xwd xyz zip').split(' '))

// C isspace(): what siege's trim() removes from ascii bodies.
const SPACE_BYTES = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d])

/**
 * Reads `<file` bodies once per list, however many lines name them. A relative
 * path is looked up next to the URL file first, then in the working directory
 * (siege looks only in the working directory).
 */
export class BodyFiles {
  readonly #searchDirs: string[]
  readonly #bodies = new Map<string, Buffer>()

  constructor (urlFileDir: string | undefined) {
    this.#searchDirs = urlFileDir === undefined ? [process.cwd()] : [resolve(urlFileDir), process.cwd()]
  }

  read (path: string, at: LineContext): Buffer {
    const candidates = isAbsolute(path) ? [path] : [...new Set(this.#searchDirs.map((dir) => resolve(dir, path)))]
    for (const candidate of candidates) {
      const cached = this.#bodies.get(candidate)
      if (cached) return cached
      const content = readIfPresent(candidate, path, at)
      if (content === undefined) continue
      const body = isBinary(path) ? content : trimAscii(content)
      this.#bodies.set(candidate, body)
      return body
    }
    throw lineError(at, `cannot read body file "${path}": not found (looked for ${candidates.join(', ')})`)
  }
}

function readIfPresent (candidate: string, path: string, at: LineContext): Buffer | undefined {
  try {
    return readFileSync(candidate)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw lineError(at, `cannot read body file "${path}" (${candidate}): ${(error as Error).message}`)
  }
}

function isBinary (path: string): boolean {
  return BINARY_EXTENSIONS.has(extname(path).slice(1).toLowerCase())
}

function trimAscii (content: Buffer): Buffer {
  const nul = content.indexOf(0)
  let end = nul === -1 ? content.length : nul
  let start = 0
  while (start < end && SPACE_BYTES.has(content[start])) start++
  while (end > start && SPACE_BYTES.has(content[end - 1])) end--
  return content.subarray(start, end)
}
