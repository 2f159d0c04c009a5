/**
 * A start that fails leaves no results folder behind (it would hold only the scenario's copy,
 * which `analyze` refuses) and prints nothing that says results are on their way.
 */
import t from 'tap'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from './fixtures/sampler-helpers.js'
import { runCli } from './helpers/cli.js'

t.test('run: nothing listening on target.port says the next step and leaves no folder', async (t) => {
  const port = await freePort()
  const cwd = t.testdir({ 'urls.txt': '/\n' })
  writeFileSync(join(cwd, 'app.yml'), ['name: app', 'target:', `  url: http://127.0.0.1:${port}`, `  port: ${port}`, 'urls: urls.txt', 'requests: 10', ''].join('\n'))
  const r = await runCli(['run', 'app.yml'], { cwd })
  t.equal(r.status, 2, r.stderr)
  t.match(r.stderr, new RegExp(`^memsiege: nothing is listening on TCP port ${port} \\(looked in /proc/net/tcp and /proc/net/tcp6\\): start your app first, or have memsiege start it \\(target.command in the scenario, --cmd on the command line\\)\\n$`))
  t.notOk(existsSync(join(cwd, 'results')) && readdirSync(join(cwd, 'results')).length > 0, 'no results folder')
})

t.test('run: a target command that fails to start leaves no folder; --out given and existing is kept', async (t) => {
  const cwd = t.testdir({ 'urls.txt': '/\n', kept: {} })
  const port = await freePort()
  writeFileSync(join(cwd, 'app.yml'), ['name: app', 'target:', `  url: http://127.0.0.1:${port}`, '  command: exit 7', 'urls: urls.txt', 'requests: 10', ''].join('\n'))
  const r = await runCli(['run', 'app.yml', '--out', 'fresh'], { cwd })
  t.not(r.status, 0, r.stderr)
  t.notOk(existsSync(join(cwd, 'fresh')), 'the folder made for the run is gone')
  const again = await runCli(['run', 'app.yml', '--out', 'kept'], { cwd })
  t.not(again.status, 0)
  t.ok(existsSync(join(cwd, 'kept')), 'a folder that was there before stays')
  t.notOk(existsSync(join(cwd, 'kept', 'app.yml')), 'without a copy of the scenario')
})

t.test('watch --pid of no process: the error alone, no folder', async (t) => {
  const cwd = t.testdir()
  const r = await runCli(['watch', '--pid', '999999', '--for', '5s'], { cwd })
  t.equal(r.status, 2, r.stderr)
  t.notMatch(r.stderr, /watching; results in/)
  t.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
  t.notOk(existsSync(join(cwd, 'results')) && readdirSync(join(cwd, 'results')).length > 0, 'no results folder')
})
