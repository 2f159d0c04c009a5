/**
 * `memsiege watch --pid A --pid B` (or --port / --cmd twice or more, or a scenario with
 * `targets:`): the targets watched side by side, one sub-folder each, then their comparison on
 * the time axis, as a side-by-side run leaves it (compare.html, compare.txt).
 */
import type { Scenario, SideTarget } from '../scenario/types.js'
import type { WatchOptions } from '../watch/watch-run.js'
import { startWatchSides } from '../watch/watch-sides.js'
import { ConfigError } from '../errors.js'
import { EXIT_BREACH } from './analyze.js'
import { sideResults, writeSidesEnd } from './sides-outcome.js'
import { EXIT_FAILURE, EXIT_TARGET_EXITED } from './execute-run.js'
import { onSignals } from './signals.js'
import { applyTargetFlags } from './target-flags.js'

/** The target flags as given: a flag given twice or more is a list. */
export interface RepeatedTargetFlags {
  pid?: number | number[]
  port?: number | number[]
  cmd?: string | string[]
}

/** A target flag given twice or more: the side-by-side scenario of targets a, b, … on `base`; else undefined. */
export function sidesOfFlags (base: Scenario, flags: RepeatedTargetFlags): Scenario | undefined {
  const kinds = (['pid', 'port', 'cmd'] as const).filter((k) => flags[k] !== undefined)
  if (!kinds.some((k) => Array.isArray(flags[k]))) return undefined
  if (kinds.length > 1) throw new ConfigError(`watching side by side: give the targets with one flag, repeated (--pid A --pid B), not ${kinds.map((k) => `--${k}`).join(' and ')}`)
  const kind = kinds[0]
  const values = flags[kind] as Array<number | string>
  const targets: SideTarget[] = values.map((value, i) => ({
    name: String.fromCharCode(97 + i),
    target: applyTargetFlags(base, { [kind]: value }).target,
    sample: base.sample
  }))
  return { ...base, sides: { targets, lockstep: false } }
}

export interface WatchSidesFlags {
  json: boolean
  quiet: boolean
  keepGoing: boolean
  /** --alert leak: a leak at the end exits 4. */
  alertLeak: boolean
  interval?: string
  gc?: string
  insecure: boolean
  scenario?: string
}

/** Checks what a side-by-side watch can't do yet; bad input is one line, exit 2. */
export function checkWatchSides (scenario: Scenario, options: WatchOptions, flags: WatchSidesFlags): void {
  if (options.counter.kind !== 'time') throw new ConfigError('not implemented yet: a request counter (--requests-from-…) for targets watched side by side; they are compared on the time axis')
  if (flags.scenario !== undefined) {
    const given = (['interval', 'gc'] as const).filter((k) => flags[k] !== undefined).map((k) => `--${k}`)
    if (flags.insecure) given.push('--insecure')
    if (given.length) throw new ConfigError(`${given.join(', ')}: the scenario has targets:; set sample: and each target's insecure: in ${scenario.file ?? 'it'}`)
  }
}

/** Watches the targets, then compares them; the exit status of a watch, over all the targets. */
export async function watchSides (scenario: Scenario, options: WatchOptions, flags: WatchSidesFlags, say: (line: string) => void): Promise<number> {
  checkWatchSides(scenario, options, flags)
  const handle = startWatchSides(scenario, {
    ...options,
    warn: (name, message) => options.warn?.(`${name}: ${message}`),
    onEvent: (name, e) => say(`${name}: ${e.type}: pid ${e.pid} ${e.detail}`),
    onAlert: (name, change) => say(`${name}: ${change.message}`)
  })
  const names = scenario.sides!.targets.map((t) => t.name).join(', ')
  say(`watching ${names} side by side; results in ${handle.dir} (Ctrl-C ends the watch and writes the verdicts)`)
  const release = onSignals(() => handle.interrupt())
  let done: Awaited<typeof handle.done>
  try {
    done = await handle.done
  } finally {
    release()
  }
  const { results, lost } = sideResults(done)
  let down = false
  let breached = false
  for (const { name, result: r } of results) {
    if (r.stopped) process.stderr.write(`memsiege: ${name}: ${r.stopped}\n`)
    down ||= r.stopped !== undefined || (r.targetDown && !flags.keepGoing)
    const verdict = r.summary.verdict
    breached ||= (flags.alertLeak && verdict?.verdict === 'leak') || (verdict?.breaches.length ?? 0) > 0
  }
  await writeSidesEnd(done, 'watches', flags, options.warn ?? (() => {}))
  if (lost) return EXIT_FAILURE
  if (down) return EXIT_TARGET_EXITED
  return breached ? EXIT_BREACH : 0
}
