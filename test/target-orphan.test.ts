// A target memsiege started dies with it, even on kill -9, and a port that is not the target's own
// is refused before the load starts (issue: an orphan answered the next run's `ready`).
import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { CLI, runCli } from './helpers/cli.js'
import { waitFor } from './helpers/wait.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { localPort } from '../src/target/port-check.js'
import { lookupPort } from '../src/target/port-owner.js'
import { isLive, readStat } from '../src/target/procfs.js'

const DEMO = join(repoRoot, 'dist', 'demo', 'server.js')

async function running (pid: number): Promise<boolean> {
  // A zombie has exited: in a container nobody may ever reap an orphan's.
  return isLive(await readStat(pid))
}

/** Pids of the watchdogs guarding process group `pgid`. */
function watchdogsOf (pgid: number): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')
      if (argv.includes('memsiege-watchdog') && argv.includes(String(pgid))) out.push(Number(name))
    } catch {}
  }
  return out
}

async function listen (port: number, status = 200): Promise<Server> {
  const server = createServer((_, res) => res.writeHead(status).end('not the target\n'))
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return server
}

t.test('kill -9 of memsiege: the target\'s whole process group dies and its port is free', async (t) => {
  const port = await freePort()
  const dir = t.testdir()
  const out = join(dir, 'out')
  // Through a shell: the server is memsiege's grandchild, which a parent-death signal would miss.
  writeFileSync(join(dir, 'orphan.yml'), `name: orphan
target:
  url: http://127.0.0.1:${port}
  command: "${process.execPath} ${DEMO} --port ${port} & wait"
  ready: /stats
urls: [/flat]
duration: 60s
concurrency: 1
delay: 0.05
sample: { interval: 250ms }
`)
  const memsiege = spawn(process.execPath, [CLI, 'run', join(dir, 'orphan.yml'), '--out', out, '-q'], { stdio: 'ignore' })
  const exited = new Promise((resolve) => memsiege.once('exit', resolve))
  t.teardown(() => { memsiege.kill('SIGKILL') })
  const samples = join(out, 'samples.csv')
  await waitFor(() => existsSync(samples) && readFileSync(samples, 'utf8').trim().split('\n').length >= 2, undefined, 'a row of samples: the target is ready')
  const found = await lookupPort(port)
  if (!('owner' in found)) throw new Error(found.reason)
  const server = found.owner.pid
  const shell = (await readStat(server))!.pgrp
  t.not(server, shell, 'the server is the shell\'s child')
  t.equal((await readStat(shell))?.ppid, memsiege.pid, 'the shell leads the group and is memsiege\'s child')
  t.equal(watchdogsOf(shell).length, 1, 'one watchdog guards the group')
  t.teardown(() => {
    // If the watchdog failed, the test must not leave the orphans behind.
    try { process.kill(-shell, 'SIGKILL') } catch {}
  })

  memsiege.kill('SIGKILL')
  await exited
  await waitFor(async () => !(await running(server)) && !(await running(shell)), undefined, 'the target\'s processes to be gone')
  t.pass('the server and its shell are gone')
  await waitFor(async () => {
    const after = await lookupPort(port)
    return 'reason' in after && !after.listening
  }, undefined, 'nothing to listen on the port any more')
  t.pass('the port is free')
  await waitFor(() => watchdogsOf(shell).length === 0, undefined, 'the watchdog to exit')
  t.pass('the watchdog exited too')
})

t.test('a normal end stops the target and its watchdog', async (t) => {
  const port = await freePort()
  const dir = t.testdir()
  writeFileSync(join(dir, 'ok.yml'), `name: ok
target: { url: "http://127.0.0.1:${port}", command: "${process.execPath} ${DEMO} --port ${port}", ready: /stats }
urls: [/flat]
requests: 20
`)
  const r = await runCli(['run', join(dir, 'ok.yml'), '--out', join(dir, 'out'), '-q'])
  t.equal(r.status, 0, r.stderr)
  const left = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).filter((n) => {
    try {
      return readFileSync(`/proc/${n}/cmdline`, 'utf8').includes(`--port\0${port}`)
    } catch {
      return false
    }
  })
  const live = []
  for (const pid of left) if (await running(Number(pid))) live.push(pid)
  t.same(live, [], 'no target process left')
})

t.test('the port is taken before the command starts: one line naming the port and the pid, exit 2', async (t) => {
  const port = await freePort()
  const squatter = await listen(port)
  t.teardown(() => { squatter.close() })
  const dir = t.testdir()
  writeFileSync(join(dir, 'busy.yml'), `name: busy
target: { url: "http://127.0.0.1:${port}", command: "${process.execPath} ${DEMO} --port ${port}", ready: /stats }
urls: [/flat]
requests: 10
`)
  const r = await runCli(['run', join(dir, 'busy.yml'), '--out', join(dir, 'out')])
  t.equal(r.status, 2)
  t.match(r.stderr, new RegExp(`^memsiege: target.command: port ${port} \\(of target.ready http://127.0.0.1:${port}/stats\\) is already in use by pid ${process.pid} \\(\\S+\\), before memsiege started the command: .*\\n$`))
  t.equal(r.stderr.split('\n').length, 2, 'one line')
  t.notOk(existsSync(join(dir, 'out', 'target.log')), 'the command never ran')

  // Without `ready` or target.url, the port of the list's first URL is the one checked.
  const flags = await runCli(['-c', '1', '-r', '1', '--cmd', `${process.execPath} ${DEMO} --port ${port}`, '--out', join(dir, 'out2'), `http://127.0.0.1:${port}/flat`])
  t.equal(flags.status, 2)
  t.match(flags.stderr, `port ${port} (of the first URL of the list http://127.0.0.1:${port}/flat) is already in use by pid ${process.pid}`)
  t.match(flags.stderr, 'if it is a proxy in front of the target, give target.ready with the target\'s own URL')
})

t.test('ready answered by a process memsiege did not start: stopped, exit 1, naming who answered', async (t) => {
  const port = await freePort()
  const dir = t.testdir()
  const out = join(dir, 'out')
  // The command never listens; the test takes the port once memsiege has checked it was free
  // (target.log is opened after the check) and answers `ready` in the target's place.
  writeFileSync(join(dir, 'impostor.yml'), `name: impostor
target: { url: "http://127.0.0.1:${port}", command: "sleep 60", ready: /health, readyTimeout: 60s }
urls: [/flat]
requests: 10
`)
  let impostor: Server | undefined
  t.teardown(() => { impostor?.close() })
  const r = await runCli(['run', join(dir, 'impostor.yml'), '--out', out], {
    onSpawn: () => {
      void waitFor(() => existsSync(join(out, 'target.log')), undefined, 'the command to start')
        .then(async () => { impostor = await listen(port) })
    }
  })
  t.equal(r.status, 1, r.stderr)
  t.match(r.stderr, new RegExp(`port ${port} \\(of target.ready\\) answered, but it is held by pid ${process.pid} \\(\\S+\\), not by the target memsiege started \\(pid \\d+\\)`))
  const started = Number(/not by the target memsiege started \(pid (\d+)\)/.exec(r.stderr)![1])
  t.notOk(await running(started), 'the command memsiege started was stopped')
})

t.test('localPort: the port of a URL on this machine', async (t) => {
  t.equal(localPort('http://127.0.0.1:8080/x'), 8080)
  t.equal(localPort('http://localhost/'), 80)
  t.equal(localPort('https://[::1]/'), 443)
  t.equal(localPort('http://example.com:8080/'), undefined, 'another host: not ours to check')
})
