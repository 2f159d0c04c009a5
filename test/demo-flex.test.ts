/**
 * The bundled Flex app and scenarios/flex.yml: the scenario runs to a verdict with nothing else
 * installed, and the app's one leak is reached only through Silverlight-style requests.
 */
import t from 'tap'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'undici'
import { startFlexServer } from '../src/demo/flex-server.js'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { runCli } from './helpers/cli.js'

const SALES = '/api/Reports/Sales'
const PARAMS = 'from=2024-01-01&to=2024-01-31&groupBy=Region'

t.test('the Sales report leaks only when its parameters come in a form body', async (t) => {
  const flex = await startFlexServer(0)
  t.teardown(() => flex.close())
  const memo = async () => ((await (await request(`${flex.url}/stats`)).body.json()) as { salesMemo: number }).salesMemo
  const before = await memo()
  for (let i = 0; i < 20; i++) {
    const res = await request(`${flex.url}${SALES}?${PARAMS}`)
    t.equal(res.statusCode, 200)
    await res.body.dump()
  }
  t.equal(await memo(), before + 1, 'plain GETs: one report, memoized once')
  for (let i = 0; i < 20; i++) {
    const res = await request(`${flex.url}${SALES}`, { method: 'POST', headers: { 'x-method': 'GET', 'content-type': 'application/x-www-form-urlencoded' }, body: PARAMS })
    const report = (await res.body.json()) as { groupBy: string; rows: unknown[] }
    t.equal(report.groupBy, 'Region', 'the parameters were read from the body')
    t.equal(report.rows.length, 31 * 8 * 5)
  }
  t.equal(await memo(), before + 21, 'X-Method GETs: a report kept per request')
})

t.test('X-Method PUT and DELETE reach their routes; a JSON body is read', async (t) => {
  const flex = await startFlexServer(0)
  t.teardown(() => flex.close())
  const put = await request(`${flex.url}/api/Customers/42`, { method: 'POST', headers: { 'x-method': 'PUT', 'content-type': 'application/json' }, body: '{"name":"Contoso Ltd"}' })
  t.match(await put.body.json(), { id: 42, name: 'Contoso Ltd' })
  const session = await request(`${flex.url}/api/Session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userName":"demo"}' })
  t.match(session.headers['set-cookie'], /^FlexSession=/)
  await session.body.dump()
  const del = await request(`${flex.url}/api/Session`, { method: 'POST', headers: { 'x-method': 'DELETE', 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
  t.same(await del.body.json(), { ok: true })
  const bad = await request(`${flex.url}/api/Orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' })
  t.equal(bad.statusCode, 400, 'a body that does not parse: 400, and the app stays up')
  await bad.body.dump()
  const none = await request(`${flex.url}/api/Nothing`)
  t.equal(none.statusCode, 404)
  t.match(await none.body.json(), { error: 'no route for GET /api/Nothing' })
})

t.test('scenarios/flex.yml runs to a leak verdict: memsiege starts the bundled app', async (t) => {
  // The shipped scenario as it is, but on a free port: other runs may hold 8000.
  const port = await freePort()
  const dir = t.testdir()
  cpSync(join(repoRoot, 'scenarios', 'flex-urls.txt'), join(dir, 'flex-urls.txt'))
  const shipped = readFileSync(join(repoRoot, 'scenarios', 'flex.yml'), 'utf8')
  t.match(shipped, /^ {2}command: node .*dist\/demo\/flex-server\.js --port 8000$/m)
  writeFileSync(join(dir, 'flex.yml'), shipped.replaceAll('8000', String(port)).replace(/^ {2}cwd: \.\. /m, `  cwd: ${JSON.stringify(repoRoot)} `))
  const out = join(dir, 'results')
  // Bounded in requests: 40 users make it quick; the verdict is per request, so a busy machine only makes it slower.
  const r = await runCli(['run', join(dir, 'flex.yml'), '-c', '40', '--requests', '5100', '--out', out], { timeoutMs: 150_000 })
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /^Memory:\s+LEAK/m)
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.equal(summary.failed_transactions, 0)
  t.equal(summary.verdict.verdict, 'leak', summary.verdict.summary)
  t.equal(summary.verdict.metrics.find((m: { metric: string }) => m.metric === 'heap_old_bytes')?.verdict, 'leak')
  t.ok(readFileSync(join(out, 'samples.csv'), 'utf8').split('\n')[0]!.includes('gc.gc_count.major'), 'GC figures sampled from the app')
})
