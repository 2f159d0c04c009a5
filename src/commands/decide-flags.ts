/**
 * `--until-decided` and `--max-extension N` of `memsiege run` and siege's flags: the stop
 * condition becomes the least a run lasts (src/run/decided-run.ts).
 */
import { DEFAULT_MAX_EXTENSION, type Scenario } from '../scenario/types.js'
import { lengthLabel, scaleLength, type LoadLength } from '../run/load-length.js'
import { extensionFactors, type ExtensionSettings } from '../run/extension.js'
import { ConfigError } from '../errors.js'
import type { DecideFlags } from './decide-options.js'

/** The flags over the scenario's untilDecided and maxExtension. */
export function applyDecideFlags (scenario: Scenario, flags: DecideFlags): Scenario {
  if (flags.maxExtension !== undefined && !flags.untilDecided && !scenario.decide) throw new ConfigError('--max-extension is only used with --until-decided (or untilDecided: true)')
  if (!flags.untilDecided && !scenario.decide) return scenario
  const decide = { maxExtension: flags.maxExtension ?? scenario.decide?.maxExtension ?? DEFAULT_MAX_EXTENSION }
  firstLength(scenario)
  return { ...scenario, decide }
}

/**
 * The first length of a run that decides: its stop condition, when that is a length of load.
 * siege's -r N (each user sends N requests) is N × the users' requests; passes depend on the
 * list and a run without a stop has no length to start from.
 */
export function firstLength (scenario: Scenario): LoadLength {
  const stop = scenario.stop
  switch (stop.kind) {
    case 'duration':
    case 'requests':
      return stop
    case 'repetitions':
      return { kind: 'requests', count: stop.count * scenario.concurrency }
    case 'passes':
      throw new ConfigError('--until-decided (untilDecided) needs a stop that is a length of load: a duration (-t, duration:) or a number of requests (--requests, requests:), not passes')
    case 'forever':
      throw new ConfigError('--until-decided (untilDecided) needs a stop condition to start from: a duration (-t, duration:) or a number of requests (--requests, requests:)')
  }
}

/** Where a run that decides looks at its verdict, `say`ing each extension; undefined for a run of the stop condition's length. */
export function decideExtension (scenario: Scenario, say: (line: string) => void): ExtensionSettings | undefined {
  if (!scenario.decide) return undefined
  const length = firstLength(scenario)
  return {
    length,
    factors: extensionFactors(scenario.decide.maxExtension),
    onExtend: (factor, reason) => say(`extended to ${factor}× (${lengthLabel(scaleLength(length, factor))}): ${reason}`)
  }
}
