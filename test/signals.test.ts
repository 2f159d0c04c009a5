/**
 * Signals that arrive together are one request to stop: GNU `timeout` signals memsiege and then
 * its process group, so each timeout delivers two SIGINTs. The run must still wind down and write
 * summary.json. (A second signal a second or more later quits at once: test/cli-siege.test.ts.)
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHttpFixture } from './fixtures/http-fixture.js'
import { afterCondition, CLI, runCli } from './helpers/cli.js'
import { DEFAULT_CAP_MS } from './helpers/wait.js'

const fixture = await startHttpFixture()
t.teardown(() => fixture.close())
t.beforeEach(() => { fixture.requests.length = 0 })

function interruptedSummary (out: string): { interrupted: boolean; transactions: number } | undefined {
  const file = join(out, 'summary.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
}

t.test('two signals at once: one request to stop, the summary is written', async (t) => {
  const out = t.testdir()
  let signalled: Promise<void> = Promise.resolve()
  const r = await runCli(['-c', '2', '-t', '10M', '--out', out, `${fixture.url}/slow?ms=20`], {
    timeoutMs: 90_000,
    onSpawn: (child) => {
      // Two different signals, because the kernel merges a pending signal with its repeat.
      signalled = afterCondition(child, () => fixture.requests.length >= 4, 'the run to be under way', () => {
        child.kill('SIGINT')
        child.kill('SIGTERM')
      })
    }
  })
  await signalled
  // Which of the two is handled first is the kernel's and libuv's choice: the status follows it.
  t.ok(r.status === 130 || r.status === 143, `exit 130 or 143, got ${r.status}: ${r.stderr}`)
  t.equal(interruptedSummary(out)?.interrupted, true, 'summary.json, marked interrupted')
  t.equal(r.stderr.match(/stopping/g)?.length, 1, 'one "stopping" line')
  t.match(r.stdout, /Transactions:/)
})

/**
 * `timeout -s INT` around memsiege, signalled once the run is under way (requests at the fixture):
 * GNU timeout forwards a SIGINT it receives exactly as it sends its own at expiry (to memsiege,
 * then to its process group), so the test waits for a condition, not for a time to run out.
 */
async function underTimeout (out: string): Promise<string> {
  let stderr = ''
  const child = spawn('timeout', ['-s', 'INT', '10m', process.execPath, CLI, '-c', '2', '-t', '10M', '-q', '--out', out, `${fixture.url}/ok`], { stdio: ['ignore', 'ignore', 'pipe'] })
  child.stderr.on('data', (d: Buffer) => { stderr += d })
  const closed = new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', () => resolve())
  })
  await afterCondition(child, () => fixture.requests.length > 0, 'the run to be under way', () => { child.kill('SIGINT') })
  const cap = setTimeout(() => child.kill('SIGKILL'), DEFAULT_CAP_MS)
  await closed
  clearTimeout(cap)
  return stderr
}

t.test('timeout -s INT: summary.json every time', async (t) => {
  // A fresh folder: a summary.json left by an earlier run must not stand in for this one's.
  const base = t.testdir()
  for (let run = 1; run <= 5; run++) {
    fixture.requests.length = 0
    const out = join(base, `run-${run}`)
    const stderr = await underTimeout(out)
    const summary = interruptedSummary(out)
    t.equal(summary?.interrupted, true, `run ${run}: summary.json, marked interrupted`)
    t.ok((summary?.transactions ?? 0) > 0, `run ${run}: transactions counted`)
    t.equal(stderr.match(/SIGINT: stopping/g)?.length, 1, `run ${run}: one stop`)
  }
})
