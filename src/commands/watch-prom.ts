/**
 * `memsiege watch --prom URL --memory QUERY [--requests QUERY] [--start-time QUERY] [--every 1m]
 * [--for 3h] [--since 1h] [--alert leak] [--json]`: a fleet judged live from Prometheus, one line
 * at each --every; the fleet table (or JSON) at the end (--for, or Ctrl-C). Exit 4 when it ends on
 * a leak, 2 for bad flags, 3 when Prometheus never answered.
 */
import { watchFleet } from '../fleet/watch-fleet.js'
import { checkQueries, type FleetQueries } from '../fleet/judge-range.js'
import { durationFlag, fleetGrid } from '../fleet/fleet-range.js'
import { fleetText } from '../fleet/fleet-text.js'
import { verdictOptions } from '../analysis/verdict-of-dir.js'
import { EXIT_BREACH } from './analyze.js'
import { EXIT_UNREACHABLE, promFailure } from './analyze-prom.js'
import { onSignals } from './signals.js'
import { ConfigError } from '../errors.js'

/** How often a fleet is judged when --every doesn't say. */
const DEFAULT_EVERY_S = 60

export interface WatchPromArgs extends FleetQueries {
  since?: string
  until?: string
  step?: string
  every?: string
  for?: string
  alert?: string
  json: boolean
  quiet: boolean
  failOn?: string
  warmup?: string
}

export async function watchPromCommand (args: WatchPromArgs): Promise<number> {
  let watch
  try {
    checkQueries(args)
    if (args.until !== undefined) throw new ConfigError('watch --prom: --until is for analyze; a watch judges up to now, for --for')
    const step = args.step ?? '15s'
    // The flags checked before the first turn: a bad --since or --step is told at once, not after --every.
    fleetGrid({ since: args.since ?? '1s', step }, Date.now() / 1000)
    const everyS = args.every !== undefined ? durationFlag('--every', args.every) : DEFAULT_EVERY_S
    const forS = args.for !== undefined ? durationFlag('--for', args.for) : undefined
    const options = verdictOptions({ flags: { warmup: args.warmup, failOn: args.failOn } })
    const say = (line: string) => { if (!args.quiet) process.stderr.write(`memsiege: ${line}\n`) }
    watch = watchFleet({ queries: args, ...(args.since !== undefined ? { since: args.since } : {}), step, everyS, ...(forS !== undefined ? { forS } : {}), alertLeak: args.alert === 'leak', options, say })
    say(`watching the fleet of ${args.memory} at ${args.prom}, judged every ${everyS} s (Ctrl-C ends the watch and prints the fleet table)`)
  } catch (err) {
    return promFailure(err)
  }
  const release = onSignals(() => watch.stop())
  let fleet
  try {
    fleet = await watch.done
  } catch (err) {
    return promFailure(err)
  } finally {
    release()
  }
  if (!fleet) {
    process.stderr.write('memsiege: the watch ended without a verdict\n')
    return EXIT_UNREACHABLE
  }
  if (args.json) process.stdout.write(JSON.stringify(fleet, null, 2) + '\n')
  else if (!args.quiet) process.stdout.write(fleetText(fleet))
  return fleet.breaches.length ? EXIT_BREACH : 0
}
