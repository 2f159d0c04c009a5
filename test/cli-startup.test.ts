/**
 * `memsiege --version` and `--help` answer without loading what the commands need (engine,
 * samplers, analysis, reports), the two of them without yargs: which modules load is checked,
 * not how long it takes.
 */
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI, runCli } from './helpers/cli.js'
import { topLevelHelp } from '../src/commands/parser.js'
import { version } from '../src/index.js'
import { HELP_WIDTH, staticHelp } from '../src/commands/static-help.js'

const MODULE_LOG = fileURLToPath(new URL('./fixtures/module-log.mjs', import.meta.url))
/** What a command's handler imports; none of it is needed to parse flags or print help. */
const HEAVY = /\/dist\/(engine|run|sampler|target|analysis|report|recorder|bisect|urls\/import-|metrics|counters)|\/dist\/commands\/(run|execute-run|bisect|analyze|report|compare|urls)\.js$/

async function modulesLoadedBy (t: Test, args: string[], stdin?: string): Promise<{ status: number | null; stdout: string; modules: string[] }> {
  const log = join(t.testdir(), 'modules.txt')
  const r = await runCli(args, { stdin, env: { MODULE_LOG: log, NODE_OPTIONS: `--import=${MODULE_LOG}` } })
  const modules = readFileSync(log, 'utf8').trim().split('\n')
  t.ok(modules.includes(new URL(`file://${CLI}`).href), 'the module log saw the CLI itself')
  return { status: r.status, stdout: r.stdout, modules }
}

t.test('--version and --help load neither the parser nor any command', async (t) => {
  for (const flag of ['--version', '-V', '--help', '-h']) {
    const r = await modulesLoadedBy(t, [flag])
    t.equal(r.status, 0)
    if (['--version', '-V'].includes(flag)) t.equal(r.stdout, `${version}\n`, 'the version the package exports')
    t.same(r.modules.filter((m) => HEAVY.test(m) || /\/node_modules\/yargs\/|\/dist\/commands\/parser\.js$/.test(m)), [], `${flag} (the help is dist/help.txt, written by \`npm run build\`)`)
  }
})

t.test('the help printed without yargs is the one yargs prints, from the same command definitions', async (t) => {
  const yargsHelp = await topLevelHelp(HELP_WIDTH)
  t.match(yargsHelp, /^Commands:\n {2}memsiege run <scenario> /m)
  for (const flag of ['--help', '-h']) {
    const r = await runCli([flag])
    t.equal(r.status, 0)
    t.equal(r.stdout, yargsHelp, `${flag} prints yargs' help (run \`npm run build\` after changing a command)`)
  }
  t.equal(staticHelp(HELP_WIDTH - 1), undefined, 'a narrower terminal gets yargs, which wraps to it')
})

t.test('--help and a bad flag load no command', async (t) => {
  for (const args of [['--help'], ['run', '--help'], ['urls', 'from-log', '--help'], ['--bogus']]) {
    const r = await modulesLoadedBy(t, args)
    t.same(r.modules.filter((m) => HEAVY.test(m)), [], args.join(' '))
  }
})

t.test('a command loads its modules when it runs', async (t) => {
  const r = await modulesLoadedBy(t, ['analyze', join(t.testdirName, 'no-such-run')])
  t.equal(r.status, 2)
  t.ok(r.modules.some((m) => m.endsWith('/dist/commands/analyze.js')), 'analyze.js loaded for analyze')
  t.notOk(r.modules.some((m) => /\/dist\/(engine|bisect)\//.test(m)), 'but not the engine or bisect')
  const urls = await modulesLoadedBy(t, ['urls', 'from-log', '-'], '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a?x=1 HTTP/1.1" 200 12 "-" "x"\n')
  t.equal(urls.status, 0)
  t.match(urls.stdout, /^\/a\?x=1$/m, 'urls from-log still works')
  t.ok(urls.modules.some((m) => m.endsWith('/dist/commands/urls.js')), 'urls.js loaded for urls from-log')
})
