/**
 * The words that name the work, in memsiege's own words when they are wrong. A first word that
 * is neither a command nor a URL is a mistyped command: without this check the siege-style
 * default command took `memsiege frobnicate` for a URL and load-tested it, endlessly.
 */
import { suggest } from '../scenario/suggest.js'
import { UsageError } from '../errors.js'

/**
 * Whether `word` can be the URL of siege's `memsiege [URL]`: a scheme, a dot (a host name or
 * an address), a port, `localhost`, an IPv6 address in brackets.
 */
export function looksLikeUrl (word: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(word) || word.includes('.') || /^[^/]+:\d+(\/|$)/.test(word) ||
    /^localhost(\/|$)/i.test(word) || word.startsWith('[')
}

/**
 * "unknown command 'analyse' (did you mean analyze?)"; `group` names the command whose
 * subcommand `word` was meant to be (`probe envv`).
 */
export function unknownCommand (word: string, commands: readonly string[], group?: string): UsageError {
  const what = group === undefined ? 'command' : `${group} subcommand`
  const close = suggest(word, commands)
  if (close !== undefined) return new UsageError(`unknown ${what} '${word}' (did you mean ${group === undefined ? '' : `${group} `}${close}?)`)
  const url = group === undefined ? '; a URL to load needs a scheme, a dot or a port (http://localhost:8080/)' : ''
  return new UsageError(`unknown ${what} '${word}': the ${what}s are ${commands.join(', ')}${url}`)
}

/** What each command needs after its name, as the line that says it is missing. */
const MISSING: Record<string, string> = {
  run: 'run: which scenario? give its file: memsiege run scenarios/demo.yml',
  analyze: 'analyze: which results folder? give it: memsiege analyze results/FOLDER (for a fleet in Prometheus: --prom URL --memory QUERY)',
  report: 'report: which results folder? give it: memsiege report results/FOLDER',
  compare: 'compare: which results folders? give two or more, the baseline first: memsiege compare results/A results/B',
  probe: 'probe env: which runtime? give node, ruby or python: memsiege probe env node',
}

/** The line that says what `command` lacks after its name (its argument is optional to yargs when a flag can stand for it). */
export function missingArgument (command: keyof typeof MISSING): string {
  return MISSING[command]!
}

/** yargs' "Not enough non-option arguments: got 0, need at least 1" for `argv`, said as what is missing. */
export function missingArguments (argv: readonly string[], yargsMessage: string): string {
  if (!/^Not enough non-option arguments/.test(yargsMessage)) return yargsMessage
  return MISSING[argv.find((a) => !a.startsWith('-')) ?? ''] ?? yargsMessage
}
