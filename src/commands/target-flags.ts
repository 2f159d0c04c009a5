import type { Argv } from 'yargs'
import type { Scenario } from '../scenario/types.js'
import { ConfigError } from '../errors.js'

export interface TargetFlags {
  pid?: number
  port?: number
  cmd?: string
}

export function targetOptions<T> (y: Argv<T>) {
  return y
    .option('pid', { type: 'number', describe: 'sample this process (and its descendants)' })
    .option('port', { type: 'number', describe: 'sample the process listening on this TCP port' })
    .option('cmd', { type: 'string', describe: 'start this command as the target, sample it, stop it at the end' })
    .option('keep-going', { type: 'boolean', default: false, describe: 'exit 0 even when the target exited during the run' })
}

/** --pid, --port and --cmd replace whatever the scenario said about the process to sample. */
export function applyTargetFlags (scenario: Scenario, flags: TargetFlags): Scenario {
  const given = (['pid', 'port', 'cmd'] as const).filter((k) => flags[k] !== undefined)
  if (given.length === 0) return scenario
  if (scenario.sides) throw new ConfigError(`--${given[0]}: the scenario has targets:; set the process of each target there`)
  if (given.length > 1) throw new ConfigError(`give only one of --pid, --port or --cmd (got ${given.map((k) => `--${k}`).join(' and ')})`)
  for (const key of ['pid', 'port'] as const) {
    const value = flags[key]
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || (key === 'port' && value > 65535))) throw new ConfigError(`--${key} ${value}: not a valid ${key}`)
  }
  const { pid: _pid, port: _port, command: _command, ...rest } = scenario.target
  return { ...scenario, target: { ...rest, pid: flags.pid, port: flags.port, command: flags.cmd } }
}
