/**
 * The top-level `--help` text, written at build time from the yargs definition (parser.ts) so
 * that `memsiege --help` answers without loading yargs, whose loading alone costs more than the
 * rest of the answer.
 */
import { readFileSync, statSync } from 'node:fs'

/** yargs' widest default: a terminal's width, at most 80 columns. */
export const HELP_WIDTH = 80

export const HELP_FILE = new URL('../help.txt', import.meta.url)
const PARSER_FILE = new URL('./parser.js', import.meta.url)

/**
 * The text yargs would print, or undefined when it might differ: a terminal narrower than the
 * text, no text written, or a parser compiled after the text (a build by `tsc` alone).
 */
export function staticHelp (columns: number | undefined): string | undefined {
  if (columns !== undefined && columns < HELP_WIDTH) return undefined
  try {
    if (statSync(HELP_FILE).mtimeMs < statSync(PARSER_FILE).mtimeMs) return undefined
    return readFileSync(HELP_FILE, 'utf8')
  } catch {
    return undefined
  }
}
