/**
 * The words that name the work: a mistyped command or subcommand is an error naming it (never a
 * load test of the word as a URL), and a missing argument is said in memsiege's words.
 */
import t from 'tap'
import { readdirSync } from 'node:fs'
import { runCli } from './helpers/cli.js'
import { looksLikeUrl } from '../src/commands/command-words.js'

const cases: Array<[string[], RegExp]> = [
  [['frobnicate'], /^memsiege: unknown command 'frobnicate': the commands are run, bisect, watch, analyze, report, compare, probe, stub, urls; a URL to load needs a scheme, a dot or a port/],
  [['-c', '2', 'frobnicate'], /^memsiege: unknown command 'frobnicate'/],
  [['analyse', 'results/x'], /^memsiege: unknown command 'analyse' \(did you mean analyze\?\)$/m],
  [['probe', 'envv', 'node'], /^memsiege: unknown probe subcommand 'envv' \(did you mean probe env\?\)$/m],
  [['probe', '--port', '9000', 'envv', 'node'], /^memsiege: unknown probe subcommand 'envv' \(did you mean probe env\?\)$/m],
  [['urls', 'frm-log', 'x.log'], /^memsiege: unknown urls subcommand 'frm-log' \(did you mean urls from-log\?\)$/m],
  [['run'], /^memsiege: run: which scenario\? give its file: memsiege run scenarios\/demo\.yml$/m],
  [['probe', 'env'], /^memsiege: probe env: which runtime\? give node, ruby or python: memsiege probe env node$/m],
  [['analyze'], /^memsiege: analyze: which results folder\?/],
  [['compare'], /^memsiege: compare: which results folders\? give two or more/],
]

t.test('mistyped or missing words: one line, exit 2, nothing started', async (t) => {
  const cwd = t.testdir()
  for (const [args, expected] of cases) {
    // Bounded: a word taken for a URL would start a load test with no end.
    const r = await runCli(args, { cwd, timeoutMs: 20_000 })
    t.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`)
    t.match(r.stderr, expected, args.join(' '))
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line')
  }
  t.same(readdirSync(cwd), [], 'no results folder')
})

t.test('what is taken for a URL', async (t) => {
  for (const url of ['http://x', 'https://example.com/a', 'example.com', '127.0.0.1', 'myhost:8080', 'myhost:8080/api', 'localhost', 'localhost/api', '[::1]:80']) t.ok(looksLikeUrl(url), url)
  for (const word of ['frobnicate', 'analyse', 'run2', 'api/x']) t.notOk(looksLikeUrl(word), word)
})
