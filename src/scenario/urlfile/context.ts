import { ConfigError } from '../../errors.js'

/**
 * Places where a URL file reads differently in siege 4.0 than in memsiege because
 * memsiege does not copy a siege bug. The user is told once per list, so that a
 * file written around the bug is noticed without flooding the terminal.
 */
export type SiegeQuirk =
  | 'long-line'
  | 'literal-dollar'
  | 'bare-variable-name'
  | 'escaped-dollar'
  | 'host-read-as-scheme'
  | 'get-head-keyword'
  | 'body-slash'

/** One line of a URL list, as error messages and warnings name it. */
export interface LineContext {
  readonly source: string
  readonly line: number
  quirk(kind: SiegeQuirk, message: string): void
}

export function lineError (at: LineContext, message: string): ConfigError {
  return new ConfigError(message, { file: at.source, line: at.line })
}
