const EXIT_CODE: Record<string, number> = { SIGINT: 130, SIGTERM: 143 }

/**
 * The first SIGINT/SIGTERM lets the run wind down and write its summary; a second one exits
 * at once (samples.csv is already on disk, row by row). Returns a function removing the handlers.
 */
export function onSignals (first: (signal: NodeJS.Signals) => void): () => void {
  let seen = false
  const handler = (signal: NodeJS.Signals): void => {
    if (seen) process.exit(EXIT_CODE[signal])
    seen = true
    process.stderr.write(`\nmemsiege: ${signal}: stopping; ${signal === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to quit at once\n`)
    first(signal)
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}
