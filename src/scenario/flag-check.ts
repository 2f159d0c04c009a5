/**
 * Command-line values that stand for scenario keys (siege's -c -t -d -H -A -T, and run's
 * overrides) go through the scenario's own checks, so that both front-ends accept the same
 * values; the error names the flag instead of a file position.
 */
import { parseDuration } from '../units/duration.js'
import { headerProblem, headerValueProblem, mediaTypeProblem } from './header-check.js'
import { scenarioSchema, type DurationSpec, type IntegerSpec } from './schema.js'
import { valueProblem } from './validate.js'
import { ConfigError } from '../errors.js'

type DurationKey = 'duration' | 'delay'
type CountKey = 'concurrency' | 'requests' | 'passes'

/** Seconds in `text`; a bare number is in `bareUnit` (minutes for siege's -t, seconds for -d). */
export function durationFlag (flag: string, key: DurationKey, text: string, bareUnit: 's' | 'm'): number {
  let seconds: number
  try {
    seconds = parseDuration(text, { bareUnit })
  } catch (err) {
    throw flagError(flag, (err as Error).message)
  }
  const problem = valueProblem(scenarioSchema.keys[key] as DurationSpec, seconds)
  if (problem) throw flagError(`${flag} ${text}`, problem)
  return seconds
}

/** A whole number already (the flag's parser saw to it), within the scenario key's range. */
export function countFlag (flag: string, key: CountKey, n: number): number {
  const problem = Number.isInteger(n) ? valueProblem(scenarioSchema.keys[key] as IntegerSpec, n) : `must be a whole number, got ${n}`
  if (problem) throw flagError(flag, problem)
  return n
}

/** siege's -H 'Name: value'. */
export function headerFlag (flag: string, header: string): [string, string] {
  const colon = header.indexOf(':')
  if (colon <= 0) throw flagError(flag, `${JSON.stringify(header)}: no ':' in the header (write -H 'Name: value')`)
  const pair: [string, string] = [header.slice(0, colon).trim(), header.slice(colon + 1).trim()]
  const problem = headerProblem(...pair)
  if (problem) throw flagError(flag, `${JSON.stringify(header)}: ${problem}`)
  return pair
}

export function headerValueFlag (flag: string, value: string): string {
  const problem = headerValueProblem(value)
  if (problem) throw flagError(flag, `${JSON.stringify(value)}: ${problem}`)
  return value
}

export function mediaTypeFlag (flag: string, value: string): string {
  const problem = mediaTypeProblem(value)
  if (problem) throw flagError(flag, problem)
  return value
}

function flagError (flag: string, problem: string): ConfigError {
  return new ConfigError(`${flag}: ${problem}`)
}
