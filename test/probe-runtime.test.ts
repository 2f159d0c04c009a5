import t from 'tap'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { probeEnv, probeFile, runtimeOfCommand } from '../src/target/probe-runtime.js'
import { freePort } from '../src/target/free-port.js'
import { runCli } from './helpers/cli.js'

t.test('the runtime of a command, from its programs, extensions and #! lines', async (t) => {
  const dir = t.testdir({ 'server-bin': '#!/usr/bin/env node\nrequire("./x")\n', 'app.py': '', plain: 'no shebang\n' })
  chmodSync(join(dir, 'server-bin'), 0o755)
  const cases: Array<[string, string | undefined]> = [
    ['node server.js', 'node'],
    ['npx json-server db.json', 'node'],
    ['npm start', 'node'],
    ['PORT=3000 /usr/local/bin/node dist/main.js', 'node'],
    ['./server-bin --port 3000', 'node'],
    ['env RAILS_ENV=production bundle exec puma -C config/puma.rb', 'ruby'],
    ['puma -w 2 config.ru', 'ruby'],
    ['rackup -p 9292', 'ruby'],
    ['ruby3.1 app.rb', 'ruby'],
    ['bin/rails server', 'ruby'],
    ['unicorn -c unicorn.rb', 'ruby'],
    ['gunicorn -w 4 app:app', 'python'],
    ['uvicorn main:app', 'python'],
    ['/usr/bin/python3.11 -m http.server 8000', 'python'],
    ['./app.py', 'python'],
    ['cd api && exec python3 app.py', 'python'],
    ['./plain', undefined],
    ['/usr/local/bin/myserver --port 1', undefined],
    ['java -jar app.jar', undefined],
  ]
  for (const [command, runtime] of cases) t.equal(runtimeOfCommand(command, dir), runtime, command)
})

t.test('the variables that load each probe keep what the app already had', async (t) => {
  t.same(probeEnv('node', 9000, { NODE_OPTIONS: '--max-old-space-size=512' }), { MEMSIEGE_PROBE_PORT: '9000', NODE_OPTIONS: `--require ${probeFile('node')} --max-old-space-size=512` })
  t.same(probeEnv('ruby', 9000, {}), { MEMSIEGE_PROBE_PORT: '9000', RUBYOPT: `-r${probeFile('ruby')}` })
  t.same(probeEnv('python', 9000, { PYTHONPATH: '/srv/lib' }), { MEMSIEGE_PROBE_PORT: '9000', PYTHONPATH: `${join(probeFile('python'), '..')}:/srv/lib` })
})

t.test('memsiege probe env prints the lines to start an app with, and the sample.gc URL', async (t) => {
  const r = await runCli(['probe', 'env', 'ruby', '--port', '9555'], { env: { RUBYOPT: '' } })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, 'sample: { gc: { url: http://127.0.0.1:9555/__memsiege/gc } }')
  t.match(r.stdout, 'export MEMSIEGE_PROBE_PORT=9555\n')
  t.match(r.stdout, `export RUBYOPT=-r${probeFile('ruby')}\n`)
  const bad = await runCli(['probe', 'env', 'java'])
  t.equal(bad.status, 2)
  t.match(bad.stderr, /runtime/)
})

t.test('target.probe takes only a known runtime, and only with target.command', async (t) => {
  const dir = t.testdir()
  const check = async (target: string): Promise<string> => {
    writeFileSync(join(dir, 'app.yml'), `target:\n${target}\nurls: [http://127.0.0.1:9/]\nrequests: 1\n`)
    const r = await runCli(['run', join(dir, 'app.yml')])
    t.equal(r.status, 2)
    return r.stderr
  }
  t.match(await check('  command: node x.js\n  probe: java'), /app\.yml:3:\d+: .*probe.*(auto|node)/)
  t.match(await check('  port: 8000\n  probe: node'), /app\.yml:\d+:\d+: .*probe.*command/)
})

// A port handed to the app but not yet bound by it is free to the kernel: the probe must not take it.
t.test('the injected probe never gets the port promised to the app', async (t) => {
  const appPort = await freePort()
  for (let i = 0; i < 20; i++) t.not(await freePort([appPort]), appPort)
})
