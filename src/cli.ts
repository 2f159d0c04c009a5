#!/usr/bin/env node
import { staticHelp } from './commands/static-help.js'
import { version } from './version.js'

// Each command's modules load when it runs (`await import` in its handler), and the parser
// when there is something to parse: `--version`, `--help` and bad flags answer without loading
// the engine, the samplers or the analysis, and the first two without loading yargs.

async function main (argv: string[]): Promise<number> {
  const only = argv.length === 1 ? argv[0] : undefined
  if (only === '--version' || only === '-V') {
    process.stdout.write(`${version}\n`)
    return 0
  }
  const help = only === '--help' || only === '-h' ? staticHelp(process.stdout.columns) : undefined
  if (help !== undefined) {
    process.stdout.write(help)
    return 0
  }
  const { runCommandLine } = await import('./commands/parser.js')
  return runCommandLine(argv)
}

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status },
  // The commands' own errors are lines already (runCommandLine); this is for the unforeseen.
  (err: unknown) => {
    process.stderr.write(`memsiege: error: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  }
)
