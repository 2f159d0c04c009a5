/**
 * Side by side in lockstep, on two real HTTP servers in this process: both get the same
 * requests (random order included), the fast one never runs ahead of the slow one by more than
 * one request per user, each gets an ordinary run folder, and the lockstep gate lets a target
 * that leaves stop holding the others.
 */
import t from 'tap'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Lockstep } from '../src/engine/lockstep.js'
import { loadScenario } from '../src/scenario/load.js'
import { startSides } from '../src/run/side-by-side.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'

interface Recorder { server: Server; url: string; paths: string[]; close (): Promise<void> }

/** A server that records every path, answering after `answer` (at once, or on a later turn). */
async function recorder (answer: (res: ServerResponse) => void, onRequest: (req: IncomingMessage) => void = () => {}): Promise<Recorder> {
  const paths: string[] = []
  const server = createServer((req, res) => {
    paths.push(req.url ?? '')
    onRequest(req)
    req.resume()
    req.on('end', () => answer(res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections() })
  }
}

const USERS = 3
const REQUESTS = 600

t.test('lockstep: the same requests to both, the fast one held to the slow one\'s pace', async (t) => {
  let lead = 0
  // B answers on a later turn of the event loop, after a few milliseconds: the slow target
  const slow = await recorder((res) => setTimeout(() => res.end('ok'), 2))
  const fast = await recorder((res) => res.end('ok'), () => { lead = Math.max(lead, fast.paths.length - slow.paths.length) })
  t.teardown(async () => { await fast.close(); await slow.close() })
  const dir = t.testdir({})
  const file = join(dir, 'sides.yml')
  const lines = Array.from({ length: 50 }, (_, i) => `/item/${i}`)
  writeFileSync(file, [
    'name: pair',
    'targets:',
    '  - name: fast',
    `    url: ${fast.url}`,
    '  - name: slow',
    `    url: ${slow.url}`,
    `urls: [${lines.join(', ')}, "/form POST a=1"]`,
    `concurrency: ${USERS}`,
    `requests: ${REQUESTS}`,
    'order: random',
    'sample: { interval: 100ms }'
  ].join('\n'))
  const warnings: string[] = []
  const scenario = loadScenario(file, { out: join(dir, 'results') }, (m) => warnings.push(m))
  const { dir: out, sides } = await startSides(scenario, { warn: (m) => warnings.push(m) }).done
  t.equal(fast.paths.length, REQUESTS, 'the fast target got the whole budget')
  t.equal(slow.paths.length, REQUESTS, 'the slow one too')
  t.same([...fast.paths].sort(), [...slow.paths].sort(), 'the same requests, random order and all')
  t.ok(lead <= USERS, `the fast one was never more than one request per user ahead (at most ${lead} of ${USERS})`)
  for (const side of sides) {
    t.notOk(side.error, `${side.name} ran`)
    t.equal(side.result?.summary.transactions, REQUESTS, `${side.name}'s summary counts every request`)
    t.ok(existsSync(join(out, side.name, 'samples.csv')) && existsSync(join(out, side.name, 'summary.json')), `${side.name} has an ordinary run folder`)
  }
})

t.test('a target that is dropped stops holding the others; the shared budget ends them together', async (t) => {
  const gates = new Lockstep({ targets: 2, users: 1, entries: 3, order: 'sequential', requests: 4 })
  const [a, b] = [gates.gate(0), gates.gate(1)]
  const got: Array<[string, number | undefined]> = []
  a.arrive(0, (e) => got.push(['a', e]))
  t.same(got, [], 'A waits for B')
  b.arrive(0, (e) => got.push(['b', e]))
  t.same(got, [['a', 0], ['b', 0]], 'then both send entry 0')
  a.arrive(0, (e) => got.push(['a', e]))
  gates.drop(1)
  b.leave()
  t.same(got.slice(2), [['a', 1]], 'B died: A goes on alone with the next entry')
  a.arrive(0, (e) => got.push(['a', e]))
  a.arrive(0, (e) => got.push(['a', e]))
  a.arrive(0, (e) => got.push(['a', e]))
  t.same(got.slice(3), [['a', 2], ['a', 0], ['a', undefined]], 'four steps in all, then the budget is spent')
})

t.test('an engine that stops for the run\'s end ends every target\'s steps', async (t) => {
  const gates = new Lockstep({ targets: 2, users: 2, entries: 3, order: 'sequential', requests: Infinity })
  const [a, b] = [gates.gate(0), gates.gate(1)]
  const got: Array<[string, number | undefined]> = []
  b.arrive(0, (e) => got.push(['b0', e]))
  a.leave()
  t.same(got, [['b0', undefined]], 'B\'s user waiting for A is told to stop')
  b.arrive(1, (e) => got.push(['b1', e]))
  t.same(got.slice(1), [['b1', undefined]], 'and so is one that arrives later: B does not go on alone')
})

/**
 * Each run's duration starts when its own target is ready. On main the first to start reached
 * its deadline first, left the gate, and the other ran on alone for the difference (issue 25:
 * 193,667 against 193,973 transactions with 4 users).
 */
t.test('a duration in lockstep: targets that started apart end within one request per user', async (t) => {
  const dir = t.testdir({})
  const app = join(repoRoot, 'test/fixtures/watch-app.mjs')
  const target = (name: string, port: number, delayMs: number) => [
    `  - name: ${name}`,
    `    url: http://127.0.0.1:${port}`,
    `    command: ${JSON.stringify(`node ${app} ${port}`)}`,
    `    env: { START_DELAY_MS: "${delayMs}" }`,
    '    ready: /metrics'
  ]
  const file = join(dir, 'apart.yml')
  const users = 4
  writeFileSync(file, [
    'name: apart',
    'targets:',
    ...target('early', await freePort(), 0),
    ...target('late', await freePort(), 1500),
    'urls: [/a, /b, /c]',
    `concurrency: ${users}`,
    'duration: 2s',
    'sample: { interval: 200ms }'
  ].join('\n'))
  const scenario = loadScenario(file, { out: join(dir, 'results') }, () => {})
  const { sides } = await startSides(scenario, {}).done
  const counts = sides.map((s) => s.result?.summary.transactions ?? -1)
  t.ok(counts.every((n) => n > 0), `both ran: ${counts.join(', ')}`)
  t.ok(Math.abs(counts[0] - counts[1]) <= users, `${counts[0]} and ${counts[1]} transactions: within one per user`)
})
