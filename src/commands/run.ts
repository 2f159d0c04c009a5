import { loadScenario, type ScenarioOverrides } from '../scenario/load.js'
import { executeRun, type OutputOptions } from './execute-run.js'
import { applyTargetFlags, type TargetFlags } from './target-flags.js'

export interface RunCommandArgs extends ScenarioOverrides, OutputOptions, TargetFlags {
  scenario: string
  insecure: boolean
}

/** `memsiege run SCENARIO.yml`. */
export async function runCommand (args: RunCommandArgs, warn: (message: string) => void): Promise<number> {
  const { scenario: path, concurrency, duration, requests, passes, out } = args
  const scenario = applyTargetFlags(loadScenario(path, { concurrency, duration, requests, passes, out }, warn), args)
  if (args.insecure) scenario.target.insecure = true
  return executeRun(scenario, args, warn)
}
