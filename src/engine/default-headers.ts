import { version } from '../version.js'

/**
 * The headers siege sends on every request (siege-spec §2.3), with the scenario's own after
 * them; a scenario header of the same name replaces the default one. Names are lower-cased
 * because undici would do it anyway, and once here is cheaper than per request.
 */
export function defaultHeaders (scenarioHeaders: ReadonlyArray<[string, string]>): string[] {
  const defaults: Array<[string, string]> = [
    ['accept', '*/*'],
    ['accept-encoding', 'gzip, deflate'],
    ['user-agent', `memsiege/${version}`]
  ]
  const given = new Set(scenarioHeaders.map(([name]) => name.toLowerCase()))
  const all = [...defaults.filter(([name]) => !given.has(name)), ...scenarioHeaders.map(([n, v]): [string, string] => [n.toLowerCase(), v])]
  return all.flat()
}
