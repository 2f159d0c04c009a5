/**
 * A run's early look (RunHandle.peek, the extension decision, a bisect trial's peek) must judge
 * its samples as the verdict at its end and `memsiege analyze` do. On every test/corpus recording:
 * the folder as it is while the run goes on (no summary.json yet), with the settings the run
 * knows (its scenario, its samplers' column meanings), gets the verdict `analyze` gives the
 * finished folder.
 */
import t, { type Test } from 'tap'
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { verdictOfResultsDir, verdictSettingsFor } from '../src/analysis/verdict-of-dir.js'
import type { Scenario } from '../src/scenario/types.js'
import { readRecorded } from '../src/columns/index.js'

const corpus = fileURLToPath(new URL('./corpus/', import.meta.url))
const dirs = readdirSync(corpus).filter((d) => statSync(join(corpus, d)).isDirectory()).sort()

interface Stored { config?: { analysis?: Scenario['analysis']; target?: { command?: string } }; columns?: unknown }

/** The recording as it is during its run: every file but summary.json, and what the run knew. */
function duringRun (t: Test, name: string): { dir: string; scenario: Pick<Scenario, 'analysis' | 'target'>; recorded: ReturnType<typeof readRecorded> } {
  const from = join(corpus, name)
  const dir = t.testdir({})
  cpSync(from, dir, { recursive: true })
  const summaryPath = join(dir, 'summary.json')
  const stored: Stored = existsSync(summaryPath) ? JSON.parse(readFileSync(summaryPath, 'utf8')) as Stored : {}
  rmSync(summaryPath, { force: true })
  const command = stored.config?.target?.command
  return { dir, scenario: { analysis: stored.config?.analysis, target: { ...(command !== undefined ? { command } : {}) } as Scenario['target'] }, recorded: readRecorded(stored.columns) }
}

let differedBefore = 0
for (const name of dirs) {
  t.test(name, async (t) => {
    const from = join(corpus, name)
    // A recording without summary.json is taken as a run of a target memsiege did not start, as duringRun's scenario says.
    const known = existsSync(join(from, 'summary.json')) ? {} : { freshProcess: false }
    const final = verdictOfResultsDir(from, { ...verdictSettingsFor(from), ...known })
    const run = duringRun(t, name)
    const peek = verdictOfResultsDir(run.dir, verdictSettingsFor(run.dir, { scenario: run.scenario, recorded: run.recorded }))
    t.same(peek, final, `${final.verdict} (${final.attribution})`)
    // the bisect trial's look before: the scenario's analysis settings alone
    const before = verdictOfResultsDir(run.dir, { analysis: run.scenario.analysis })
    if (before.verdict !== final.verdict || before.summary !== final.summary) differedBefore++
  })
}

t.test('the look with the analysis settings alone judged some of them otherwise (what this test guards against)', async (t) => {
  t.ok(differedBefore > 0, `${differedBefore} of ${dirs.length} recordings`)
})
