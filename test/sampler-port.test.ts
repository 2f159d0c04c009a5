import t from 'tap'
import { spawn } from 'node:child_process'
import { findPortOwner, listeningSockets, lookupPortOwner, parseProcNetTcp } from '../src/target/port-owner.js'
import { readStat } from '../src/target/procfs.js'
import { PROC_COLUMNS, ProcSampler } from '../src/sampler/proc-sampler.js'
import type { TargetEvent } from '../src/target/events.js'
import { freePort, killGroup, nodeHttpServerArgs, spawnWithLine, waitFor } from './fixtures/sampler-helpers.js'
import { ConfigError } from '../src/errors.js'

const col = (row: unknown[], name: string) => row[PROC_COLUMNS.indexOf(name as never)]

t.test('parses /proc/net/tcp and tcp6 lines', async (t) => {
  const text =
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
    '   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41234 1 0000000000000000 100 0 0 10 0\n' +
    '   1: 020200C0:9F92 507100CB:0050 06 00000000:00000000 03:00000540 00000000     0        0 0 3 0000000000000000\n'
  t.same(parseProcNetTcp(text), [
    { localAddress: '0100007F', port: 3000, state: 0x0a, uid: 1000, inode: 41234 },
    { localAddress: '020200C0', port: 40850, state: 6, uid: 0, inode: 0 },
  ])
  const v6 =
    '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
    '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   33        0 777 1 0000000000000000 100 0 0 10 0\n'
  t.match(parseProcNetTcp(v6), [{ port: 8080, state: 0x0a, uid: 33, inode: 777 }])
})

t.test('finds the process listening on a port', async (t) => {
  const { child, line } = await spawnWithLine(process.execPath, nodeHttpServerArgs())
  t.teardown(() => killGroup(child))
  const port = Number(line)
  t.ok((await listeningSockets(port)).length >= 1)
  const owner = await findPortOwner(port)
  t.equal(owner.pid, child.pid)
  t.same(owner.holders, [child.pid])
  t.equal(owner.startTime, (await readStat(child.pid!))!.startTime)
})

t.test('a socket shared by a parent and its children resolves to the parent', async (t) => {
  // The parent passes its listening fd to two children, as puma's master does for its workers.
  const script = `
    const { spawn } = require('child_process')
    const server = require('http').createServer((q, s) => s.end('ok'))
    server.listen(0, '127.0.0.1', () => {
      const fd = server._handle.fd
      const kids = [1, 2].map(() => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: ['ignore', 'ignore', 'ignore', fd] }))
      Promise.all(kids.map((k) => new Promise((resolve) => k.once('spawn', resolve))))
        .then(() => console.log(server.address().port + ' ' + kids.map((k) => k.pid).join(' ')))
    })`
  const { child, line } = await spawnWithLine(process.execPath, ['-e', script])
  t.teardown(() => killGroup(child))
  const [port, ...kids] = line.split(' ').map(Number)
  const owner = await findPortOwner(port!)
  t.equal(owner.pid, child.pid, 'root is the parent')
  t.same([...owner.holders].sort(), [child.pid!, ...kids].sort(), 'every holder listed')
  t.equal(owner.holders[0], child.pid)

  const sampler = new ProcSampler({ port: port! })
  await sampler.start()
  t.equal(sampler.pid, child.pid)
  t.equal(col(await sampler.read(), 'procs'), 3)
  await sampler.stop()
})

t.test('nothing listening is a one-line ConfigError', async (t) => {
  const port = await freePort()
  t.equal(await lookupPortOwner(port), undefined)
  await t.rejects(findPortOwner(port), { name: 'ConfigError', message: `nothing is listening on TCP port ${port} (looked in /proc/net/tcp and /proc/net/tcp6): start your app first, or have memsiege start it (target.command in the scenario, --cmd on the command line)` })
  const err = await new ProcSampler({ port }).start().catch((e: unknown) => e)
  t.ok(err instanceof ConfigError)
  t.notMatch((err as Error).message, /\n/)
})

t.test('port mode: target_exited, then target_restarted when a new process holds the port', async (t) => {
  const port = await freePort()
  const first = await spawnWithLine(process.execPath, nodeHttpServerArgs(port))
  t.teardown(() => killGroup(first.child))
  const events: TargetEvent[] = []
  const sampler = new ProcSampler({ port, onEvent: (e) => events.push(e) })
  await sampler.start()
  t.equal(col(await sampler.read(), 'procs'), 1)

  await killGroup(first.child)
  const dead = await sampler.read()
  t.equal(col(dead, 'procs'), 0)
  t.equal(col(dead, 'rss_bytes'), undefined)
  t.match(events, [{ type: 'target_exited', pid: first.child.pid }])
  t.notOk('exit' in events[0]!, 'no exit status for a process memsiege did not start')

  const second = await spawnWithLine(process.execPath, nodeHttpServerArgs(port))
  t.teardown(() => killGroup(second.child))
  const row = await waitFor(async () => {
    const r = await sampler.read()
    return col(r, 'procs') === 1 && r
  }, undefined, 'the new server')
  t.ok((col(row, 'rss_bytes') as number) > 0)
  t.equal(sampler.pid, second.child.pid)
  t.equal(events.length, 2)
  const restarted = events[1] as Extract<TargetEvent, { type: 'target_restarted' }>
  t.match(restarted, { type: 'target_restarted', pid: second.child.pid, previousPid: first.child.pid })
  // Wall clock, on purpose: the start time is an epoch time in ms, not seconds or clock ticks. Ten
  // seconds of room for a busy machine between the server's start and this line.
  t.ok(Math.abs(restarted.startTime! - Date.now()) < 10_000, 'start time is recent wall-clock ms')
  await sampler.stop()
})

t.test('a target that exits on its own still gives rows of the right width', async (t) => {
  // It exits when its stdin closes, after start() has found it: no timer to race on a busy machine.
  const child = spawn('sh', ['-c', 'read line'], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const sampler = new ProcSampler({ pid: child.pid! })
  await sampler.start()
  child.stdin!.end()
  await exited
  for (let i = 0; i < 3; i++) t.equal((await sampler.read()).length, PROC_COLUMNS.length)
  await sampler.stop()
})
