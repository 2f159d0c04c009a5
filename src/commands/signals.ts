const EXIT_CODE: Record<string, number> = { SIGINT: 130, SIGTERM: 143 }

/**
 * Signals this close to the first one are the same request to stop: GNU `timeout` signals
 * memsiege and then its whole process group, so one timeout delivers two SIGINTs at once.
 * Node does not tell who sent a signal, so the interval is all there is to go by.
 */
export const SAME_REQUEST_MS = 1000

/**
 * The first SIGINT/SIGTERM lets the run wind down and write its summary; another one, a second
 * or more later, exits at once (samples.csv is already on disk, row by row). Returns a function
 * removing the handlers.
 */
export function onSignals (first: (signal: NodeJS.Signals) => void): () => void {
  let firstAt: number | undefined
  const handler = (signal: NodeJS.Signals): void => {
    const now = performance.now()
    if (firstAt !== undefined) {
      if (now - firstAt < SAME_REQUEST_MS) return
      process.exit(EXIT_CODE[signal])
    }
    firstAt = now
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
