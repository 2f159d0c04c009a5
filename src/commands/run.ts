import { loadScenario, type ScenarioOverrides } from '../scenario/load.js'
import { executeRun, type OutputOptions } from './execute-run.js'
import { applyTargetFlags, type TargetFlags } from './target-flags.js'
import { sidesFlags, type SidesFlags } from './sides-flags.js'
import { executeSides } from './execute-sides.js'
import { ConfigError } from '../errors.js'

export interface RunCommandArgs extends ScenarioOverrides, OutputOptions, TargetFlags, SidesFlags {
  scenario: string
  insecure: boolean
}

/** `memsiege run SCENARIO.yml`. */
export async function runCommand (args: RunCommandArgs, warn: (message: string) => void): Promise<number> {
  const { scenario: path, concurrency, duration, requests, passes, out } = args
  const scenario = await sidesFlags(applyTargetFlags(loadScenario(path, { concurrency, duration, requests, passes, out }, warn), args), args)
  if (scenario.sides && (args.findSource || scenario.findSource)) throw new ConfigError('--find-source (findSource) works on one target: a side-by-side run (targets:, --vs) records no allocation sites')
  if (args.insecure) for (const target of [scenario.target, ...(scenario.sides?.targets.map((s) => s.target) ?? [])]) target.insecure = true
  return scenario.sides ? executeSides(scenario, args, warn) : executeRun(scenario, args, warn)
}
