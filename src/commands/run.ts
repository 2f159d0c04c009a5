import { loadScenario, type ScenarioOverrides } from '../scenario/load.js'
import { executeRun, type OutputOptions } from './execute-run.js'

export interface RunCommandArgs extends ScenarioOverrides, OutputOptions {
  scenario: string
}

/** `memsiege run SCENARIO.yml`. */
export async function runCommand (args: RunCommandArgs, warn: (message: string) => void): Promise<number> {
  const { scenario: path, concurrency, duration, requests, passes, out } = args
  const scenario = loadScenario(path, { concurrency, duration, requests, passes, out }, warn)
  return executeRun(scenario, args)
}
