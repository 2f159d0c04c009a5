import type { Scenario } from '../scenario/types.js'
import { withVs } from '../scenario/sides.js'
import { freePort } from '../target/free-port.js'
import { ConfigError } from '../errors.js'

export interface SidesFlags {
  /** A second target, started with this command, gets the same requests side by side. */
  vs?: string
  /** Its URL (default: the first target's on a free port, given to the command as $PORT). */
  vsUrl?: string
  /** false: the targets run independently instead of in lockstep. */
  lockstep?: boolean
}

/** --vs, --vs-url and --no-lockstep over the scenario's `targets:`. */
export async function sidesFlags (scenario: Scenario, flags: SidesFlags): Promise<Scenario> {
  let out = scenario
  if (flags.vs !== undefined) {
    if (flags.vs.trim() === '') throw new ConfigError('--vs: give the command that starts the second target')
    out = withVs(scenario, { command: flags.vs, url: flags.vsUrl, port: flags.vsUrl === undefined ? await freePort() : 0 })
  } else if (flags.vsUrl !== undefined) {
    throw new ConfigError('--vs-url is only used with --vs')
  }
  if (flags.lockstep !== undefined) {
    if (!out.sides) throw new ConfigError(`--${flags.lockstep ? '' : 'no-'}lockstep is only used with targets: or --vs`)
    out = { ...out, sides: { ...out.sides, lockstep: flags.lockstep } }
  }
  return out
}
