import t from 'tap'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { startRun } from '../src/run/run-scenario.js'
import { testScenario } from './helpers/scenario.js'

// A self-signed certificate for 127.0.0.1, made for these tests only.
const tls = { key: readFileSync(new URL('./fixtures/tls/key.pem', import.meta.url)), cert: readFileSync(new URL('./fixtures/tls/cert.pem', import.meta.url)) }
const server = createServer(tls, (_req, res) => res.end('secure'))
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/s`
t.teardown(() => { server.closeAllConnections(); server.close() })

t.test('a self-signed certificate is refused by default, as a TLS failure', async (t) => {
  const { summary } = await startRun(testScenario([url], { out: t.testdir() })).done
  t.equal(summary.transactions, 0)
  t.equal(summary.errors.tls, 1)
})

t.test('insecure: true accepts it', async (t) => {
  const scenario = testScenario([url], { out: t.testdir(), concurrency: 2, stop: { kind: 'requests', count: 10 } })
  scenario.target.insecure = true
  const { summary } = await startRun(scenario).done
  t.equal(summary.transactions, 10)
  t.equal(summary.data_transferred_bytes, 60)
})

t.test('--insecure on the command line, for a scenario and for siege flags', async (t) => {
  const { runCli } = await import('./helpers/cli.js')
  const dir = t.testdir({ 'tls.yml': `target:\n  url: ${new URL(url).origin}\nurls: ["/s"]\nrequests: 3\n` })
  const run = await runCli(['run', 'tls.yml', '--insecure', '--json', '--out', 'a'], { cwd: dir })
  t.equal(JSON.parse(run.stdout).transactions, 3)
  const siege = await runCli(['-c', '1', '-r', '2', '--insecure', '--json', '--out', 'b', url], { cwd: dir })
  t.equal(JSON.parse(siege.stdout).transactions, 2)
  const refused = await runCli(['run', 'tls.yml', '--json', '--out', 'c'], { cwd: dir })
  t.equal(JSON.parse(refused.stdout).errors.tls, 3)
})
