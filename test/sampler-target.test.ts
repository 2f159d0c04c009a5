import t from 'tap'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProcSampler, PROC_COLUMNS } from '../src/sampler/proc-sampler.js'
import type { TargetEvent } from '../src/target/events.js'
import { parseCommand } from '../src/target/command-line.js'
import { tailLines } from '../src/target/log-tail.js'
import { processTree } from '../src/target/process-tree.js'
import { startTarget, type TargetProcess } from '../src/target/process.js'
import { alive, freePort, get, liveGroupMembers, repoRoot, waitFor } from './fixtures/sampler-helpers.js'
import { ConfigError, TargetStartError } from '../src/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'memsiege-target-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
let logs = 0
const logFile = () => join(dir, `target-${++logs}.log`)

/** Stops every target a test started, even when the test failed half-way. */
function cleanup (t: { teardown(fn: () => unknown): void }, target: TargetProcess): TargetProcess {
  t.teardown(() => target.stop(1))
  return target
}

const groupAlive = (pgid: number) => liveGroupMembers(pgid).length > 0

t.test('parseCommand: plain words run without a shell, shell syntax needs one', async (t) => {
  t.same(parseCommand('puma -w 2 -b tcp://127.0.0.1:3000 config.ru'), ['puma', '-w', '2', '-b', 'tcp://127.0.0.1:3000', 'config.ru'])
  t.same(parseCommand('  node   server.js --port=8080 '), ['node', 'server.js', '--port=8080'])
  for (const cmd of [
    'bundle exec puma | tee out',
    'puma && echo done',
    'cd app; puma',
    'puma > log',
    'RAILS_ENV=production puma',
    'node -e "x()"',
    "echo 'a b'",
    'echo $HOME',
    'ls *.ru',
    'puma # comment',
    'cat ~/x',
    '',
  ]) {
    t.equal(parseCommand(cmd), undefined, cmd)
  }
})

t.test('starts the demo server, waits for ready, logs its output, stops it with SIGTERM', async (t) => {
  const port = await freePort()
  const log = logFile()
  const target = cleanup(
    t,
    await startTarget({
      command: `${process.execPath} dist/demo/server.js --port ${port}`,
      cwd: repoRoot,
      env: { MEMSIEGE_TEST_MARK: 'yes' },
      logFile: log,
      ready: `http://127.0.0.1:${port}/stats`,
      readyTimeout: 20,
    })
  )
  t.equal((await get(`http://127.0.0.1:${port}/flat`)).status, 200, 'ready means serving')
  t.match(readFileSync(log, 'utf8'), `listening on http://127.0.0.1:${port}`)
  t.equal(readFileSync(`/proc/${target.pid}/environ`, 'utf8').split('\0').includes('MEMSIEGE_TEST_MARK=yes'), true, 'env passed')
  t.equal(target.exit, undefined)
  const exit = await target.stop(5)
  t.same(exit, { code: 0, signal: null }, 'the demo exits cleanly on SIGTERM: no need for SIGKILL')
  t.notOk(alive(target.pid))
  t.same(await target.stop(), exit, 'stop again is harmless')
})

t.test('restart: the old process stopped, a new one started from the same spec and ready', async (t) => {
  const port = await freePort()
  const first = await startTarget({
    command: `${process.execPath} dist/demo/server.js --port ${port}`,
    cwd: repoRoot,
    logFile: logFile(),
    ready: `http://127.0.0.1:${port}/stats`,
    readyTimeout: 20,
  })
  t.teardown(() => first.stop(1))
  const second = cleanup(t, await first.restart(5))
  t.same(first.exit, { code: 0, signal: null }, 'the first one was stopped')
  t.not(second.pid, first.pid)
  t.equal((await get(`http://127.0.0.1:${port}/flat`)).status, 200, 'the new one serves')
  t.equal(second.command, first.command)
})

t.test('an early exit names the code and shows the log tail', async (t) => {
  const port = await freePort()
  const log = logFile()
  writeFileSync(log, 'an older run\n')
  const err = await startTarget({
    command: 'for i in $(seq 1 22); do echo line $i; done; echo \'config.ru: no such file\' >&2; exit 3',
    logFile: log,
    ready: `http://127.0.0.1:${port}/`,
    readyTimeout: 10,
  }).catch((e: unknown) => e)
  t.ok(err instanceof TargetStartError)
  const e = err as TargetStartError
  t.match(e.message, /^target command exited with code 3 before it was ready \(http:\/\/127\.0\.0\.1:\d+\/\)\n/)
  t.match(e.message, `last 20 lines of ${log}:`)
  t.match(e.message, '  | config.ru: no such file')
  t.notMatch(e.message, 'line 3\n', 'only the tail')
  t.same(e.exit, { code: 3, signal: null })
  t.equal(e.logTail.length, 20)
  t.equal(e.logTail.at(-1), 'config.ru: no such file')
  t.match(readFileSync(log, 'utf8'), /^an older run\n/, 'target.log is appended to')
})

t.test('not ready in time: the target is stopped and the error says what the URL answered', async (t) => {
  const port = await freePort()
  const log = logFile()
  // Serves 503 forever; a ready check must want 2xx.
  const script = `require('http').createServer((q, s) => { s.statusCode = 503; s.end() }).listen(${port}, '127.0.0.1')`
  writeFileSync(join(dir, 'unready.js'), script)
  const err = await startTarget({
    command: `${process.execPath} ${join(dir, 'unready.js')}`,
    logFile: log,
    ready: `http://127.0.0.1:${port}/health`,
    // Long enough for node to start listening on a busy machine.
    readyTimeout: 5,
  }).catch((e: unknown) => e)
  t.ok(err instanceof TargetStartError)
  t.match((err as Error).message, new RegExp(`^target not ready after 5 s: GET http://127.0.0.1:${port}/health answered 503\n`))
  t.match((err as Error).message, `(${log} is empty)`)
  // No process of its group survives.
  await t.rejects(get(`http://127.0.0.1:${port}/`), 'the server is gone')
})

t.test('a program that does not exist, or a missing cwd, is a ConfigError', async (t) => {
  await t.rejects(startTarget({ command: 'memsiege-no-such-program --x', logFile: logFile() }), ConfigError)
  await t.rejects(startTarget({ command: 'memsiege-no-such-program --x', logFile: logFile() }), {
    message: 'target.command: cannot run "memsiege-no-such-program": ENOENT',
  })
  await t.rejects(startTarget({ command: 'true', cwd: join(dir, 'missing'), logFile: logFile() }), {
    name: 'ConfigError',
    message: `target.cwd: no such directory: ${join(dir, 'missing')}`,
  })
})

t.test('stop: SIGTERM reaches the whole group; SIGKILL after the grace period', async (t) => {
  const tree = cleanup(t, await startTarget({ command: 'sleep 30 & sleep 30 & wait', logFile: logFile() }))
  await waitFor(() => liveGroupMembers(tree.pid).length === 3, 30_000, 'sh and its two sleeps')
  t.same(await tree.stop(5), { code: null, signal: 'SIGTERM' })
  t.notOk(groupAlive(tree.pid), 'the sleeps got SIGTERM too')

  const stubborn = cleanup(t, await startTarget({ command: 'trap \'\' TERM; sleep 30 & wait', logFile: logFile() }))
  // Its sleep runs once the trap is set.
  await waitFor(() => liveGroupMembers(stubborn.pid).length === 2, 30_000, 'sh and its sleep')
  const exit = await stubborn.stop(0.5)
  t.same(exit, { code: null, signal: 'SIGKILL' }, 'killed after the grace period, not waited for')
  t.notOk(groupAlive(stubborn.pid))
})

t.test('the proc sampler reports a started target\'s exit code', async (t) => {
  // Exits with 7 once its sleep is killed: no race with a timer on a busy machine.
  const target = cleanup(t, await startTarget({ command: 'sleep 30 & wait; exit 7', logFile: logFile() }))
  const events: TargetEvent[] = []
  const sampler = new ProcSampler({ pid: target.pid, target, onEvent: (e) => events.push(e) })
  await sampler.start()
  const [, sleeper] = await waitFor(async () => { const tree = await processTree(target.pid); return tree.length === 2 && tree }, undefined, 'sh and its sleep')
  t.equal((await sampler.read())[PROC_COLUMNS.indexOf('procs')], 2, 'sh and sleep')
  process.kill(sleeper!, 'SIGKILL')
  await waitFor(async () => {
    await sampler.read()
    return events.length > 0
  }, undefined, 'target_exited')
  t.match(events, [{ type: 'target_exited', pid: target.pid, exit: { code: 7, signal: null } }])
  await sampler.stop()
})

t.test('tailLines', async (t) => {
  const f = join(dir, 'tail.txt')
  writeFileSync(f, Array.from({ length: 50 }, (_, i) => `l${i}`).join('\n') + '\n')
  t.same(await tailLines(f, 3), ['l47', 'l48', 'l49'])
  writeFileSync(f, 'x'.repeat(100_000) + '\nlast\n')
  t.same(await tailLines(f, 5), ['last'], 'a line cut by the 64 KiB window is dropped')
  t.same(await tailLines(join(dir, 'missing'), 5), [])
})
