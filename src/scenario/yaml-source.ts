/**
 * A YAML file parsed with positions: every node maps back to its line and column, and YAML
 * syntax errors become one-line ConfigErrors naming file:line:column.
 */
import { readFileSync } from 'node:fs'
import { LineCounter, parseDocument, type Document, type Node } from 'yaml'
import { ConfigError, formatWhere } from '../errors.js'

export interface Where {
  file: string
  line: number
  column: number
}

export interface YamlSource {
  /** The file as named to the user (in messages). */
  file: string
  text: string
  doc: Document.Parsed
  lines: LineCounter
}

/** Reads and parses `path`; a missing or unreadable file is a ConfigError naming it. */
export function readYamlSource (path: string, warn?: (message: string) => void): YamlSource {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') throw new ConfigError(`scenario file not found: ${path}`)
    if (e.code === 'EISDIR') throw new ConfigError(`scenario file is a directory: ${path}`)
    throw new ConfigError(`cannot read scenario file ${path}: ${e.code ?? e.message}`)
  }
  return parseYamlSource(text, path, warn)
}

/**
 * Parses `text` as one YAML document. The first syntax error throws a ConfigError at its
 * line:column; YAML warnings (an unknown tag, say) go to `warn` with their position.
 */
export function parseYamlSource (text: string, file: string, warn?: (message: string) => void): YamlSource {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false })
  const src: YamlSource = { file, text, doc, lines }
  const [first] = doc.errors
  if (first) throw new ConfigError(`YAML syntax error: ${oneLine(first.message)}`, whereOffset(src, first.pos[0]))
  for (const w of doc.warnings) warn?.(`${formatWhere(whereOffset(src, w.pos[0]))}: ${oneLine(w.message)}`)
  return src
}

/** Where `offset` (a character index into the text) is. */
export function whereOffset (src: YamlSource, offset: number): Where {
  const { line, col } = src.lines.linePos(Math.max(0, Math.min(offset, src.text.length)))
  return { file: src.file, line, column: col }
}

/** Where a node starts, or the start of the file for a node without a range. */
export function whereNode (src: YamlSource, node: Node | null | undefined): Where {
  const start = node?.range?.[0]
  return start === undefined ? { file: src.file, line: 1, column: 1 } : whereOffset(src, start)
}

function oneLine (message: string): string {
  return message.split('\n')[0].replace(/\s*at line \d+, column \d+:?\s*$/, '').trim()
}
