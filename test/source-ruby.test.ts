import t from 'tap'
import { join } from 'node:path'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { sourceRun } from './helpers/source-run.js'
import { installed } from './helpers/installed.js'

const APP = join(repoRoot, 'test', 'fixtures', 'puma-source', 'config.ru')
const skip = installed('puma') ? false : 'puma is not installed (Debian: ruby-puma)'

t.test('a Rack app on puma with two allocating endpoints: only the line whose objects are kept is named, with its objects', { skip }, async (t) => {
  const port = await freePort()
  const r = await sourceRun(t, { command: `puma -b tcp://127.0.0.1:${port} -t 2:2 ${APP}`, port, ready: '/flat', urls: ['/keep', '/churn', '/flat'], requests: 4000 })
  t.equal(r.status, 0, r.stderr)
  t.equal(r.source?.runtime, 'ruby')
  t.equal(r.source?.sites.length, 1, JSON.stringify(r.source))
  t.match(r.source?.sites[0]?.site, /^String \S*test\/fixtures\/puma-source\/config\.ru:11$/)
  const kept = r.source!.sites[0]!
  t.ok(kept.count_per_1000_requests! > 250 && kept.count_per_1000_requests! < 420, `one string per /keep, a third of the requests: ${kept.count_per_1000_requests}`)
  t.match(r.stdout, /^Source:\t\tObjectSpace\.trace_object_allocations.*\n.*\/1k req, \d+ objects .*config\.ru:11$/m)
})

t.test('through the Rack middleware the app mounts (sample.gc, no injected probe): the same line', { skip }, async (t) => {
  const port = await freePort()
  const app = [
    `require ${JSON.stringify(join(repoRoot, 'probes', 'ruby', 'memsiege_gc.rb'))}`,
    'use MemsiegeGC',
    `eval(File.read(${JSON.stringify(APP)}), binding, ${JSON.stringify(APP)})`,
  ].join('\n')
  const r = await sourceRun(t, { command: `puma -b tcp://127.0.0.1:${port} -t 2:2 mounted.ru`, files: { 'mounted.ru': app + '\n' }, port, ready: '/flat', urls: ['/keep', '/flat'], requests: 3000, sample: '{ interval: 0.2, gc: { url: /__memsiege/gc, interval: 0.2 } }' })
  t.equal(r.status, 0, r.stderr)
  t.notMatch(r.log, 'memsiege probe: listening', 'no probe injected')
  t.equal(r.source?.runtime, 'ruby')
  t.match(r.source?.sites[0]?.site, /^String \S*test\/fixtures\/puma-source\/config\.ru:11$/, JSON.stringify(r.source))
})

t.test('a Rack app on puma that keeps nothing: no site', { skip }, async (t) => {
  const port = await freePort()
  const r = await sourceRun(t, { command: `puma -b tcp://127.0.0.1:${port} -t 2:2 ${APP}`, port, ready: '/flat', urls: ['/churn', '/flat'], requests: 3000 })
  t.equal(r.status, 0, r.stderr)
  t.same(r.source?.sites, [], JSON.stringify(r.source))
  t.match(r.source?.note, /^no allocation site grew more than 64 KiB/)
})
