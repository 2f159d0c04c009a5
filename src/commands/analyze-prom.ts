/**
 * `memsiege analyze --prom URL --memory QUERY [--requests QUERY] [--start-time QUERY] --since 3d
 * [--until T] [--step 15s] [--json] [--report FILE]`: one verdict per instance of a fleet, from the history in
 * Prometheus. Exit 4 when an instance leaks, 2 for bad flags or a query Prometheus refuses or
 * that selects nothing, 3 when Prometheus can't be reached.
 */
import type { RangeFlags } from '../fleet/fleet-range.js'
import { judgeRange, type FleetQueries } from '../fleet/judge-range.js'
import { fleetText } from '../fleet/fleet-text.js'
import { fleetHtml } from '../fleet/fleet-html.js'
import { writeFileWhole } from '../recorder/write-whole.js'
import { verdictOptions } from '../analysis/verdict-of-dir.js'
import { EXIT_BAD_INPUT, EXIT_BREACH } from './analyze.js'
import { MemsiegeError, PrometheusUnreachableError } from '../errors.js'

/** Prometheus can't be reached: nothing could be judged. */
export const EXIT_UNREACHABLE = 3

export interface AnalyzePromArgs extends RangeFlags, FleetQueries {
  json: boolean
  failOn?: string
  warmup?: string
  /** Write the fleet's report.html here. */
  report?: string
}

export async function analyzePromCommand (args: AnalyzePromArgs): Promise<number> {
  try {
    const options = verdictOptions({ flags: { warmup: args.warmup, failOn: args.failOn } })
    const fleet = await judgeRange(args, args, Date.now() / 1000, options)
    if (args.report !== undefined) writeFileWhole(args.report, fleetHtml(fleet))
    process.stdout.write(args.json ? JSON.stringify(fleet, null, 2) + '\n' : fleetText(fleet))
    return fleet.breaches.length ? EXIT_BREACH : 0
  } catch (err) {
    return promFailure(err)
  }
}

/** One line on stderr; the exit status: 2 for bad input, 3 when Prometheus can't be reached, else 1. */
export function promFailure (err: unknown): number {
  if (!(err instanceof MemsiegeError)) throw err
  process.stderr.write(`memsiege: ${err.userMistake ? '' : 'error: '}${err.message}\n`)
  if (err.userMistake) return EXIT_BAD_INPUT
  // Else a failure at run time (report.html could not be written): 1, as for a run.
  return err instanceof PrometheusUnreachableError ? EXIT_UNREACHABLE : 1
}
