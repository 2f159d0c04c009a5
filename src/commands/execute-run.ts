import type { Scenario } from '../scenario/types.js'
import { startRun } from '../run/run-scenario.js'
import { summaryText } from '../report/summary-text.js'
import { verboseLine } from '../report/verbose-line.js'
import { progressLine } from '../report/progress-line.js'
import { onSignals } from './signals.js'

export interface OutputOptions {
  /** Print the summary document as JSON instead of the text block. */
  json: boolean
  /** siege -v: one line per request on stdout. */
  verbose: boolean
  /** siege -q: print nothing. */
  quiet: boolean
}

/** Runs a scenario the way both `memsiege run` and siege's flags do, and returns the exit status. */
export async function executeRun (scenario: Scenario, output: OutputOptions): Promise<number> {
  const live = process.stderr.isTTY && !output.quiet
  const handle = startRun(scenario, {
    onTransaction: output.verbose && !output.quiet ? (t) => process.stdout.write(verboseLine(t) + '\n') : undefined,
    onProgress: live ? (p) => process.stderr.write(`\r\x1b[K${progressLine(p)}`) : undefined
  })
  let signal: NodeJS.Signals | undefined
  const release = onSignals((first) => {
    signal = first
    handle.interrupt()
  })
  try {
    const { summary } = await handle.done
    if (live) process.stderr.write('\r\x1b[K')
    if (output.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n')
    else if (!output.quiet) process.stdout.write(summaryText(summary))
  } finally {
    release()
  }
  if (signal === 'SIGINT') return 130
  if (signal === 'SIGTERM') return 143
  return 0
}
