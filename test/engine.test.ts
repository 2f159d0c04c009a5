import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { startRun } from '../src/run/run-scenario.js'
import { startHttpFixture } from './fixtures/http-fixture.js'
import { testScenario } from './helpers/scenario.js'

const fixture = await startHttpFixture()
t.teardown(() => fixture.close())
t.beforeEach(() => { fixture.requests.length = 0 })

async function run (scenario: Parameters<typeof startRun>[0]) {
  return (await startRun({ ...scenario, out: t.testdirName + '-' + Math.random().toString(36).slice(2) }).done)
}

t.test('counts as siege does: 5xx and 408 fail, 4xx are transactions but not successful', async (t) => {
  const u = fixture.url
  const { summary } = await run(testScenario([`${u}/ok`, `${u}/status/404`, `${u}/status/500`, `${u}/status/503`, `${u}/status/408`, `${u}/status/401`, `${u}/redirect/302?to=/ok`]))
  t.equal(summary.transactions, 5, '200, 404, 401, the 302 and its hop')
  t.equal(summary.failed_transactions, 3, '500, 503, 408')
  t.equal(summary.successful_transactions, 4, '200, 401, 302 and its 200 hop')
  t.equal(summary.availability_percent.toFixed(2), (5 / 8 * 100).toFixed(2))
  t.same(summary.status_codes, { 200: 2, 302: 1, 401: 1, 404: 1, 408: 1, 500: 1, 503: 1 })
  const redirect = summary.endpoints.find((e) => e.endpoint === 'GET /redirect/302')
  t.equal(redirect?.transactions, 1)
})

t.test('connection errors are failures by kind', async (t) => {
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const port = (closed.address() as { port: number }).port
  await new Promise<void>((resolve) => closed.close(() => resolve()))
  const { summary } = await run(testScenario([`http://127.0.0.1:${port}/`, `${fixture.url}/slow?ms=2000`], { timeout: 0.3, stop: { kind: 'passes', count: 2 } }))
  t.equal(summary.errors.refused, 2)
  t.equal(summary.errors.timeout, 2)
  t.equal(summary.failed_transactions, 4)
  t.equal(summary.transactions, 0)
})

t.test('redirects: each hop a transaction; 303 turns a POST into a GET; --no-follow stops', async (t) => {
  const u = fixture.url
  await run(testScenario([{ url: `${u}/redirect/303?to=/ok`, method: 'POST', body: Buffer.from('a=1'), contentType: 'application/x-www-form-urlencoded' }, { url: `${u}/redirect/307?to=/ok`, method: 'PUT', body: Buffer.from('b=2') }]))
  t.same(fixture.requests.map((r) => `${r.method} ${r.url} ${r.body}`), ['POST /redirect/303?to=/ok a=1', 'GET /ok ', 'PUT /redirect/307?to=/ok b=2', 'PUT /ok b=2'])
  fixture.requests.length = 0
  const { summary } = await run(testScenario([`${u}/redirect/301?to=/ok`], { follow: false }))
  t.equal(fixture.requests.length, 1)
  t.equal(summary.transactions, 1)
})

t.test('each user keeps its own cookies', async (t) => {
  const u = fixture.url
  await run(testScenario([`${u}/login?id=u0`, `${u}/whoami`], { concurrency: 1, stop: { kind: 'passes', count: 1 } }))
  t.equal(fixture.requests[1].headers.cookie, 'sid=u0')
  fixture.requests.length = 0
  await run(testScenario([`${u}/login?id=u0`, `${u}/whoami`], { cookies: false }))
  t.equal(fixture.requests[1].headers.cookie, undefined)
})

t.test('stop conditions', async (t) => {
  const list = ['/a', '/b', '/c', '/d', '/e'].map((p) => fixture.url + p)
  t.test('requests: total across users', async (t) => {
    const { summary } = await run(testScenario(list, { concurrency: 3, stop: { kind: 'requests', count: 17 } }))
    t.equal(summary.transactions, 17)
    t.equal(fixture.requests.length, 17)
  })
  t.test('passes: each user walks the list N times', async (t) => {
    const { summary } = await run(testScenario(list, { concurrency: 2, stop: { kind: 'passes', count: 3 } }))
    t.equal(summary.transactions, 2 * 3 * 5)
  })
  t.test('repetitions (siege -r): N lines per user, from siege offsets', async (t) => {
    await run(testScenario(list, { concurrency: 2, stop: { kind: 'repetitions', count: 4 } }))
    const paths = fixture.requests.map((r) => r.url).sort()
    // user0 starts at /a: a b c d; user1 at floor(5/2)=2: c d e a
    t.same(paths, ['/a', '/a', '/b', '/c', '/c', '/d', '/d', '/e'])
  })
  t.test('duration: stops at the deadline, in-flight requests not counted', async (t) => {
    // user 0 gets /ok and then /held, user 1 starts at /held: the server answers /held never, so
    // whatever the machine's speed, one request is done and two are in flight at the deadline.
    const list = [`${fixture.url}/ok`, `${fixture.url}/held`]
    const { summary } = await run(testScenario(list, { concurrency: 2, stop: { kind: 'duration', seconds: 1 } }))
    t.ok(summary.elapsed_s >= 1, `elapsed ${summary.elapsed_s}`)
    // Wall clock, on purpose: a duration is about time. Seconds of room for a busy machine; a run
    // waiting for its held requests would go on for the request timeout (30 s).
    t.ok(summary.elapsed_s < 6, `elapsed ${summary.elapsed_s}`)
    t.equal(summary.transactions, 1, 'the one answered')
    t.equal(summary.failed_transactions, 0, 'the aborted ones are not failures')
  })
  t.end()
})

t.test('delay: random think time between 0 and delay', async (t) => {
  const started = Date.now()
  await run(testScenario([`${fixture.url}/ok`], { stop: { kind: 'repetitions', count: 6 }, delay: 0.2 }))
  const took = Date.now() - started
  t.ok(took > 100, `6 requests with up to 0.2 s of thinking took ${took} ms`)
  // Wall clock, on purpose: five think times add at most 1 s; seconds of room for a busy machine.
  t.ok(took < 6000, `6 requests with up to 0.2 s of thinking took ${took} ms`)
})

t.test('random order picks uniformly', async (t) => {
  const list = ['/a', '/b', '/c'].map((p) => fixture.url + p)
  await run(testScenario(list, { order: 'random', concurrency: 4, stop: { kind: 'requests', count: 3000 } }))
  const counts: Record<string, number> = {}
  for (const r of fixture.requests) counts[r.url] = (counts[r.url] ?? 0) + 1
  for (const path of ['/a', '/b', '/c']) t.ok(Math.abs(counts[path] - 1000) < 120, `${path}: ${counts[path]} of 3000`)
})

t.test('method override: Silverlight-style POST with the verb in a header and the query in the body', async (t) => {
  const u = fixture.url
  await run(testScenario([
    `${u}/api/items?id=7&q=a%20b`,
    { url: `${u}/api/items/7?force=1`, method: 'DELETE', body: Buffer.alloc(0), contentType: 'application/x-www-form-urlencoded' },
    { url: `${u}/api/items?v=2`, method: 'PUT', body: Buffer.from('name=w'), contentType: 'application/x-www-form-urlencoded' },
    `${u}/api/plain`,
    { url: `${u}/api/post?x=1`, method: 'POST', body: Buffer.from('y=2'), contentType: 'application/x-www-form-urlencoded' }
  ], { methodOverride: { header: 'X-HTTP-Method-Override' } }))
  const seen = fixture.requests.map((r) => [r.method, r.url, r.headers['x-http-method-override'], r.headers['content-type'], r.body])
  t.same(seen, [
    ['POST', '/api/items', 'GET', 'application/x-www-form-urlencoded', 'id=7&q=a%20b'],
    ['POST', '/api/items/7', 'DELETE', 'application/x-www-form-urlencoded', 'force=1'],
    ['POST', '/api/items', 'PUT', 'application/x-www-form-urlencoded', 'name=w&v=2'],
    ['POST', '/api/plain', 'GET', 'application/x-www-form-urlencoded', ''],
    ['POST', '/api/post?x=1', undefined, 'application/x-www-form-urlencoded', 'y=2']
  ])
})

t.test('samples.csv: a header and whole rows as the run goes; summary.json with units', async (t) => {
  const { dir, summary } = await run(testScenario([`${fixture.url}/slow?ms=20`], { concurrency: 2, stop: { kind: 'duration', seconds: 2.2 }, sample: { interval: 0.5, pssInterval: 30 } }))
  const rows = readFileSync(join(dir, 'samples.csv'), 'utf8').trim().split('\n')
  t.equal(rows[0], 'time,elapsed_s,requests,errors,rps,p50_ms,p99_ms,bytes,self_rss_bytes,self_heap_used_bytes', 'memsiege samples itself even without a target')
  // At most one row per interval and one at the end; a busy machine can only delay the timer and
  // leave fewer, so the lower bound is only that rows come as the run goes.
  t.ok(rows.length >= 3 && rows.length <= 8, `${rows.length - 1} rows for 2.2 s at 0.5 s`)
  for (const row of rows.slice(1)) t.equal(row.split(',').length, 10)
  const last = rows.at(-1)!.split(',')
  t.equal(Number(last[2]), summary.transactions)
  const json = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
  t.equal(json.schemaVersion, 1)
  t.equal(json.interrupted, false)
  for (const key of ['elapsed_s', 'data_transferred_bytes', 'response_time_ms', 'transaction_rate_per_s', 'throughput_bytes_per_s', 'longest_ms', 'shortest_ms']) t.type(json[key], 'number', key)
  // The server waits 20 ms; a busy machine only adds to it.
  t.ok(json.latency.p50_ms > 15, `p50 ${json.latency.p50_ms}`)
})

t.test('secrets are redacted in summary.json', async (t) => {
  const { summary } = await run(testScenario([`${fixture.url}/ok`], { headers: [['Authorization', 'Bearer s3cret'], ['X-Trace', 'visible']] }))
  t.equal(fixture.requests[0].headers.authorization, 'Bearer s3cret')
  t.notMatch(JSON.stringify(summary), /s3cret/)
  t.match(JSON.stringify(summary), /visible/)
})
