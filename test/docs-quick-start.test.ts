import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './fixtures/sampler-helpers.js'
import { markdownFiles } from './helpers/markdown-links.js'
import { quickStartCommands, quickStartDemoArgs } from './helpers/quick-start.js'

t.test('the README\'s quick start installs and tests as CI does, then runs the demo a test runs', async (t) => {
  const commands = quickStartCommands()
  t.same(commands.slice(0, 2), ['npm ci', 'npm test'])
  t.equal(commands.length, 3, commands.join('; '))
  const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8').split('\n').map((line) => line.trim())
  for (const command of ['npm ci', 'npm test']) t.ok(ci.some((line) => line === command || line.startsWith(`${command} `)), `.ci/run runs ${command}`)
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
  t.equal(pkg.bin.memsiege, 'dist/cli.js', 'npx memsiege, in the project folder, runs the built CLI')
  t.same(quickStartDemoArgs(), ['run', 'scenarios/demo.yml'])
  t.match(readFileSync(join(repoRoot, 'test', 'run-target.test.ts'), 'utf8'), /runCli\(\[\.\.\.quickStartDemoArgs\(\)/, 'the demo test runs the README\'s command')
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
