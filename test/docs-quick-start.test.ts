import t from 'tap'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './fixtures/sampler-helpers.js'
import { markdownFiles } from './helpers/markdown-links.js'
import { quickStartCommands, quickStartRuns } from './helpers/quick-start.js'

t.test('the README\'s quick start installs and tests as CI does, then runs scenarios that tests run', async (t) => {
  const commands = quickStartCommands()
  t.same(commands.slice(0, 2), ['npm ci', 'npm test'])
  const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8').split('\n').map((line) => line.trim())
  for (const command of ['npm ci', 'npm test']) t.ok(ci.some((line) => line === command || line.startsWith(`${command} `)), `.ci/run runs ${command}`)
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
  t.equal(pkg.bin.memsiege, 'dist/cli.js', 'npx memsiege, in the project folder, runs the built CLI')

  const runs = quickStartRuns()
  t.equal(runs.length, commands.length - 2, 'every other line runs memsiege')
  t.ok(runs.some((args) => args.join(' ') === 'run scenarios/demo.yml'), 'the demo')
  const tests = readdirSync(join(repoRoot, 'test')).filter((name) => name.endsWith('.test.ts')).map((name) => readFileSync(join(repoRoot, 'test', name), 'utf8'))
  for (const args of runs) {
    t.equal(args[0], 'run', args.join(' '))
    const scenario = args[1]!
    t.ok(existsSync(join(repoRoot, scenario)), `${scenario} exists`)
    t.ok(tests.some((text) => text.includes(`quickStartArgs('${scenario}')`)), `a test runs the README's ${args.join(' ')}`)
  }
})

t.test('commands in the pages run memsiege through npx: npm ci puts no memsiege on the PATH', async (t) => {
  const pages = ['README.md', 'CONTRIBUTING.md', join('bench', 'README.md'), ...markdownFiles(join(repoRoot, 'docs')).map((p) => p.slice(repoRoot.length))]
  const bare: string[] = []
  for (const page of pages) {
    let shell = false
    readFileSync(join(repoRoot, page), 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*```/.test(line)) {
        shell = !shell && /^\s*```(sh|bash|shell)\s*$/.test(line)
        return
      }
      // A command line: any line of a shell block, or a `$ ` prompt line in another block.
      const command = shell ? line.replace(/^\s*#.*$/, '') : /^\s*\$ /.test(line) ? line : ''
      if (/(^\s*(\$\s+)?|[|;&(]\s*)memsiege\b/.test(command)) bare.push(`${page}:${i + 1}: ${line.trim()}`)
    })
  }
  t.same(bare, [])
})
