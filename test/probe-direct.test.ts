import t from 'tap'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { freePort } from './fixtures/sampler-helpers.js'
import { waitForLine } from './helpers/wait.js'
import { probeEnv } from '../src/target/probe-runtime.js'

/** Each preload probe in a process that only sleeps: the token rule, ?objects=1, and a port already taken. */
const SLEEPERS = {
  ruby: ['ruby', ['-e', 'sleep 60']],
  python: ['python3', ['-c', 'import time; time.sleep(60)']],
} as const

for (const [runtime, [program, args]] of Object.entries(SLEEPERS)) {
  t.test(`${runtime}: the token, ?objects=1, and one line when the port is taken`, async (t) => {
    const start = (port: number, token?: string) => {
      const child = spawn(program, [...args], { env: { ...process.env, ...probeEnv(runtime as 'ruby' | 'python', port, {}), MEMSIEGE_PROBE_TOKEN: token ?? '' }, stdio: ['ignore', 'ignore', 'pipe'] })
      t.teardown(() => { child.kill('SIGKILL') })
      return child
    }
    const port = await freePort()
    const child = start(port, 's3cret')
    await waitForLine(child.stderr!, new RegExp(`memsiege probe: listening on http://127\\.0\\.0\\.1:${port}/__memsiege/gc \\(pid ${child.pid}\\)`))
    const url = `http://127.0.0.1:${port}/__memsiege/gc`
    t.equal((await fetch(url)).status, 403, 'no token')
    t.equal((await fetch(url, { headers: { 'x-memsiege-token': 's3cretX' } })).status, 403, 'a wrong token')
    const ok = await fetch(`${url}?objects=1`, { headers: { authorization: 'Bearer s3cret' } })
    t.equal(ok.status, 200)
    const body = await ok.json() as Record<string, unknown>
    t.equal(body.pid, child.pid)
    t.equal(body.worker, 0)
    t.ok(typeof body.threads === 'number' && body.threads >= 2, 'the probe thread and the main one')
    t.type(body.objects, 'object', '?objects=1 counts objects')
    t.equal((await fetch(`http://127.0.0.1:${port}/other`, { headers: { authorization: 'Bearer s3cret' } })).status, 404)

    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    t.teardown(() => holder.close())
    const taken = (holder.address() as AddressInfo).port
    const second = start(taken)
    const [line] = await waitForLine(second.stderr!, /memsiege probe: .*\n/)
    t.match(line, `cannot listen on 127.0.0.1:${taken}`)
    t.match(line, `pid ${second.pid} goes on without the probe`)
  })
}
