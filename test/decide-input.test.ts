/**
 * Bad input for runs that decide: a stop that is not a length of load, and a cap that is not a
 * whole number of at least 1, by flag or scenario key: one line naming it, exit 2, before any load.
 */
import t, { type Test } from 'tap'
import { join } from 'node:path'
import { runInProcess } from './helpers/cli.js'
import { firstLength } from '../src/commands/decide-flags.js'
import { loadScenario } from '../src/scenario/load.js'

const URL = 'http://127.0.0.1:9/x'

async function refused (t: Test, args: string[], message: RegExp): Promise<void> {
  const r = await runInProcess(args)
  t.equal(r.status, 2, `exit 2: ${args.join(' ')}`)
  t.match(r.stderr, message)
  t.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr.trim()}`)
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
}

t.test('flags', async (t) => {
  const dir = t.testdir({ 's.yml': `urls: [ "${URL}" ]\nrequests: 100\n` })
  const s = join(dir, 's.yml')
  await refused(t, ['run', s, '--until-decided', '--passes', '2'], /^memsiege: --until-decided \(untilDecided\) needs a stop that is a length of load: .*not passes$/m)
  await refused(t, ['run', s, '--until-decided', '--max-extension', '0'], /--max-extension must be a whole number of at least 1, not "0"/)
  await refused(t, ['run', s, '--until-decided', '--max-extension', '-2'], /--max-extension must be a whole number of at least 1, not "-2"/)
  await refused(t, ['run', s, '--until-decided', '--max-extension', 'lots'], /--max-extension must be a whole number of at least 1, not "lots"/)
  await refused(t, ['run', s, '--max-extension', '4'], /--max-extension is only used with --until-decided/)
  // siege's flags without -t or -r: a run until Ctrl-C has no length to start from
  await refused(t, ['-c', '2', '--until-decided', URL], /needs a stop condition to start from/)
})

t.test('scenario keys, naming the file and line', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['untilDecided: true\npasses: 2\n', /s\.yml:\d+.*untilDecided needs a stop that is a length of load \(duration or requests\), not passes/],
    ['untilDecided: true\n', /needs a stop condition to start from/],
    ['untilDecided: true\nrequests: 100\nmaxExtension: 0\n', /s\.yml:4.*maxExtension/],
    ['untilDecided: true\nrequests: 100\nmaxExtension: -3\n', /s\.yml:4.*maxExtension/],
    ['untilDecided: true\nrequests: 100\nmaxExtension: twice\n', /s\.yml:4.*maxExtension/],
    ['requests: 100\nmaxExtension: 4\n', /s\.yml:3.*maxExtension is only used with untilDecided/],
  ]
  for (const [yaml, message] of cases) {
    const dir = t.testdir({ 's.yml': `urls: [ "${URL}" ]\n${yaml}` })
    await refused(t, ['run', join(dir, 's.yml')], message)
  }
})

t.test('the first length: a duration or requests as given; siege -r N is N requests per user', async (t) => {
  const dir = t.testdir({ 's.yml': `urls: [ "${URL}" ]\nconcurrency: 3\nrequests: 100\n` })
  const s = loadScenario(join(dir, 's.yml'), {}, () => {})
  t.same(firstLength(s), { kind: 'requests', count: 100 })
  t.same(firstLength({ ...s, stop: { kind: 'duration', seconds: 20 } }), { kind: 'duration', seconds: 20 })
  t.same(firstLength({ ...s, stop: { kind: 'repetitions', count: 50 } }), { kind: 'requests', count: 150 })
})
