// RestartKeeper: a started target that exits is restarted, and its exit is always in the events,
// also when no row saw it gone (the exit status can arrive before the next row does).
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RestartKeeper } from '../src/run/restart-keeper.js'
import { ProcSampler } from '../src/sampler/proc-sampler.js'
import type { TargetEvent } from '../src/target/events.js'
import { startTarget } from '../src/target/process.js'
import { waitFor } from './helpers/wait.js'

t.test('an exit seen only by its status is reported before the restart', async (t) => {
  const dir = t.testdir()
  const logFile = join(dir, 'target.log')
  // a file, not -e: plain words run without a shell, so the pid is node's own
  const script = join(dir, 'exits-on-usr2.js')
  writeFileSync(script, "process.on('SIGUSR2', () => process.exit(3)); console.log('armed'); setInterval(() => {}, 1000)\n")
  const first = await startTarget({ command: `${process.execPath} ${script}`, logFile })
  const events: TargetEvent[] = []
  const sampler = new ProcSampler({ pid: first.pid, target: first, onEvent: (e) => events.push(e) })
  await sampler.start()
  const keeper = new RestartKeeper({ exited: true, maxRestarts: 2, within: 60 }, sampler, first)
  t.teardown(() => keeper.target.stop(1))
  await waitFor(() => readFileSync(logFile, 'utf8').includes('armed'), undefined, 'the target to handle SIGUSR2')
  process.kill(first.pid, 'SIGUSR2')
  await first.exited
  // no read() between the exit and the check: the race a watch of a short-lived target hits
  t.equal(await keeper.check(undefined), undefined, 'restarted, no restart loop yet')
  t.same(events.map((e) => e.type), ['target_exited', 'target_restarted'])
  t.match(events[0], { pid: first.pid, exit: { code: 3 } })
  t.not(keeper.target.pid, first.pid, 'a new process')
  await sampler.stop()
})
