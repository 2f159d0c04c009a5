import type { Scenario } from '../scenario/types.js'
import { startSides, type SidesResult } from '../run/side-by-side.js'
import { checkSidePorts } from '../run/side-ports.js'
import { verboseLine } from '../report/verbose-line.js'
import type { RunProgress } from '../report/progress-line.js'
import { sidesProgressLine } from '../report/sides-progress-line.js'
import { onSignals } from './signals.js'
import { applyDecideFlags, decideExtension } from './decide-flags.js'
import { sideResults, writeSidesEnd } from './sides-outcome.js'
import { EXIT_BREACH } from './analyze.js'
import { EXIT_FAILURE, EXIT_NO_SUCCESS, EXIT_TARGET_EXITED, noSuccess, sayOnStderr, verdictFlags, writeRunReport, type OutputOptions } from './execute-run.js'

/** `memsiege run` of a scenario with `targets:` (or `--vs`): the runs, then compare.html and compare.txt beside their folders. */
export async function executeSides (given: Scenario, output: OutputOptions, warn: (message: string) => void): Promise<number> {
  const scenario = applyDecideFlags(given, output)
  const analysisFlags = verdictFlags(scenario, output)
  await checkSidePorts(scenario)
  const live = process.stderr.isTTY && !output.quiet
  const progress = new Map<string, RunProgress | undefined>(scenario.sides!.targets.map((t) => [t.name, undefined]))
  const handle = startSides(scenario, {
    analysisFlags,
    extension: decideExtension(scenario, sayOnStderr(output, live === true)),
    keepSecrets: output.keepSecrets,
    warn,
    onEvent: (name, e) => process.stderr.write(`${live ? '\r\x1b[K' : ''}memsiege: ${name}: ${e.type}: pid ${e.pid} ${e.detail}\n`),
    onTransaction: output.verbose && !output.quiet ? (t) => process.stdout.write(verboseLine(t) + '\n') : undefined,
    onProgress: live
      ? (name, p) => {
          progress.set(name, p)
          process.stderr.write(`\r\x1b[K${sidesProgressLine([...progress])}`)
        }
      : undefined
  })
  let signal: NodeJS.Signals | undefined
  const release = onSignals((first) => {
    signal = first
    handle.interrupt()
  })
  let result: SidesResult
  try {
    result = await handle.done
  } finally {
    release()
    if (live) process.stderr.write('\r\x1b[K')
  }
  const { results, lost } = sideResults(result)
  let exited = false
  let failed = false
  let breached = false
  for (const { name, result: r } of results) {
    if (output.report && !r.writeError) await writeRunReport(r.dir, output, warn)
    const failure = noSuccess(r.summary)
    if (failure && !signal) process.stderr.write(`memsiege: ${name}: ${failure}\n`)
    exited ||= r.targetExited
    failed ||= failure !== undefined
    breached ||= (r.summary.verdict?.breaches.length ?? 0) > 0
  }
  await writeSidesEnd(result, 'runs', output, warn)
  // the order of a single run's statuses (execute-run.ts), over all the targets
  if (lost) return EXIT_FAILURE
  if (signal === 'SIGINT') return 130
  if (signal === 'SIGTERM') return 143
  if (exited && !output.keepGoing) return EXIT_TARGET_EXITED
  if (failed) return EXIT_NO_SUCCESS
  return breached ? EXIT_BREACH : 0
}
