/**
 * The README's quick start, read from the README itself, so that the commands a newcomer copies
 * are the ones CI and the tests run.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../fixtures/sampler-helpers.js'

export const README = join(repoRoot, 'README.md')
const HEADING = /^#{2,3} Quick start\s*$/m
const NPX = 'npx memsiege '

/** The commands of the quick start's code block, in order, without their comments. */
export function quickStartCommands (readme = readFileSync(README, 'utf8')): string[] {
  const heading = HEADING.exec(readme)
  if (!heading) throw new Error('README.md: no "Quick start" heading')
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(heading.index))
  if (!block) throw new Error('README.md: no sh block under "Quick start"')
  return block[1]!.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line !== '')
}

/** The quick start's `npx memsiege …` commands, each as the CLI's arguments; run from the project folder. */
export function quickStartRuns (): string[][] {
  return quickStartCommands().filter((command) => command.startsWith(NPX)).map((command) => {
    const args = command.slice(NPX.length).split(/\s+/)
    if (args.some((arg) => /['"$`\\]/.test(arg))) throw new Error(`README.md: the quick start's "${command}" needs a shell to read`)
    return args
  })
}

/** The quick start's command that runs `scenario` (as the README names it), for a test to run. */
export function quickStartArgs (scenario: string): string[] {
  const run = quickStartRuns().find((args) => args.includes(scenario))
  if (!run) throw new Error(`README.md: the quick start runs no ${scenario}`)
  return run
}
