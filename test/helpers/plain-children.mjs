/**
 * Loaded into every test file (package.json, tap's node-arg): the processes a test starts run
 * as a user's would, without tap's process-info loader.
 *
 * tap adds its loader to NODE_OPTIONS and re-adds it on every spawn, to map processes to test
 * files for coverage and `--changed`; coverage is off here. In Node 20 the loader costs about
 * 0.3 s of CPU in each node process (its own hooks thread), and the suite starts hundreds of
 * them: the memsiege CLI, demo targets, fixtures, and their children in turn.
 */
const spawnHooks = globalThis[Symbol.for('process-on-spawn@*:singletonId')]
if (spawnHooks) spawnHooks.listeners.length = 0
if (process.env.NODE_OPTIONS) {
  process.env.NODE_OPTIONS = process.env.NODE_OPTIONS.split(/\s+/).filter((option) => !option.includes('@tapjs/processinfo')).join(' ')
}
