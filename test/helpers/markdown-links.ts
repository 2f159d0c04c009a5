/**
 * Checks the relative links of Markdown pages: every target file exists, every `#anchor` names a
 * heading of its page as GitHub renders it. Code (fenced blocks, `spans`) is text, not links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

export interface BrokenLink {
  file: string
  line: number
  target: string
  why: string
}

const FENCE = /^\s{0,3}(```|~~~)/
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/
const INLINE_LINK = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/
const HTML_TARGET = /\s(?:href|src)="([^"]+)"/g
const HTML_ANCHOR = /<a\s+(?:id|name)="([^"]+)"/g
const CODE_SPAN = /(`+)[^`]*?\1/g

/** The Markdown files under `dir`, recursively. */
export function markdownFiles (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : []
  })
}

/** The lines of a page outside fenced code blocks, with their 1-based numbers. */
function proseLines (text: string): Array<{ line: number; text: string }> {
  const lines: Array<{ line: number; text: string }> = []
  let fence: string | undefined
  text.split('\n').forEach((raw, i) => {
    const open = FENCE.exec(raw)
    if (open) {
      if (fence === undefined) fence = open[1]
      else if (open[1] === fence) fence = undefined
      return
    }
    if (fence === undefined) lines.push({ line: i + 1, text: raw })
  })
  return lines
}

/**
 * A heading's anchor as GitHub makes it: of the rendered text (a link's words, no tags), lower
 * case, every character but letters, digits, spaces, `_` and `-` dropped, each space a hyphen.
 */
export function slug (heading: string): string {
  const rendered = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '')
  return rendered.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')
}

/** The anchors a page defines: its headings' slugs (repeats numbered -1, -2 …) and HTML ids. */
export function anchorsOf (text: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const { text: line } of proseLines(text)) {
    const heading = HEADING.exec(line)
    if (heading) {
      const base = slug(heading[1]!)
      const n = seen.get(base) ?? 0
      seen.set(base, n + 1)
      anchors.add(n === 0 ? base : `${base}-${n}`)
    }
    for (const m of line.matchAll(HTML_ANCHOR)) anchors.add(m[1]!)
  }
  return anchors
}

/** The link targets of a page, each with its line; a link's text may run over several lines. */
export function linksOf (text: string): Array<{ line: number; target: string }> {
  // Code blocks become blank lines and code spans blanks, so that offsets still give line numbers.
  const prose = text.split('\n').map(() => '')
  for (const { line, text: raw } of proseLines(text)) prose[line - 1] = raw.replace(CODE_SPAN, (span) => ' '.repeat(span.length))
  const whole = prose.join('\n')
  const lineAt = (index: number): number => whole.slice(0, index).split('\n').length
  const links: Array<{ line: number; target: string }> = []
  prose.forEach((line, i) => {
    const definition = REFERENCE_DEFINITION.exec(line)
    if (definition) links.push({ line: i + 1, target: definition[1]! })
  })
  for (const pattern of [INLINE_LINK, HTML_TARGET]) {
    for (const m of whole.matchAll(pattern)) links.push({ line: lineAt(m.index!), target: m[1]! })
  }
  return links.sort((a, b) => a.line - b.line)
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i

/** Every relative link of `files` whose file or anchor does not exist; paths in the answer are relative to `root`. */
export function brokenLinks (files: string[], root: string): BrokenLink[] {
  const anchorCache = new Map<string, Set<string>>()
  const anchors = (path: string): Set<string> => {
    let set = anchorCache.get(path)
    if (!set) anchorCache.set(path, (set = anchorsOf(readFileSync(path, 'utf8'))))
    return set
  }
  const broken: BrokenLink[] = []
  for (const file of files) {
    for (const { line, target } of linksOf(readFileSync(file, 'utf8'))) {
      if (EXTERNAL.test(target)) continue
      const hash = target.indexOf('#')
      const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash))
      const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1))
      const path = pathPart === '' ? file : resolve(dirname(file), pathPart)
      const report = (why: string): void => { broken.push({ file: relative(root, file), line, target, why }) }
      if (!existsSync(path)) report(`no file ${relative(root, path)}`)
      else if (anchor !== undefined && anchor !== '') {
        if (!path.endsWith('.md')) report(`an anchor into ${relative(root, path)}, which is not a Markdown page`)
        else if (!anchors(path).has(anchor)) report(`no heading #${anchor} in ${relative(root, path)}`)
      }
    }
  }
  return broken
}
