import t from 'tap'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { freePort, repoRoot } from './fixtures/sampler-helpers.js'
import { sourceRun } from './helpers/source-run.js'
import { runCli } from './helpers/cli.js'

const APP = join(repoRoot, 'test', 'fixtures', 'source-node', 'app.mjs')

t.test('a Node app whose leak is a Map: the site is the function that fills it, at its file:line; the bounded cache is not named', async (t) => {
  const port = await freePort()
  const r = await sourceRun(t, { command: `${process.execPath} ${APP}`, port, ready: '/plain', urls: ['/leak', '/cache', '/plain'], requests: 8000, flags: ['--report'] })
  t.equal(r.status, 0, r.stderr)
  const sites = r.source?.sites ?? []
  t.equal(r.source?.runtime, 'node')
  t.match(sites[0]?.site, /^remember \S+source-node\/app\.mjs:9$/, JSON.stringify(r.source))
  t.notOk(sites.some((s) => /cached|probe/.test(s.site)), 'neither the bounded cache nor the probe itself')
  t.ok(sites[0]!.bytes_per_1000_requests > 200_000, `1.6 KiB kept per /leak, a third of the requests: ${sites[0]!.bytes_per_1000_requests}`)
  t.match(r.stdout, /^Source:\t\t.*\n.*KiB\/1k req.*remember \S+app\.mjs:9$/m)
  t.match(r.read('report.html'), /<section id="source">[^]*<summary><code>remember \S+app\.mjs:9<\/code><\/summary><pre>remember \S+app\.mjs:9\n\(anonymous\) \S+app\.mjs:17/, 'the site and its stack in report.html')
})

t.test('a Node app that keeps nothing: no site, and the block says what was looked for', async (t) => {
  const port = await freePort()
  const r = await sourceRun(t, { command: `${process.execPath} ${APP}`, port, ready: '/plain', urls: ['/cache', '/plain'], requests: 8000 })
  t.equal(r.status, 0, r.stderr)
  t.same(r.source?.sites, [], JSON.stringify(r.source))
  t.match(r.stdout, /^Source:.*\n {2}no allocation site grew more than 256 KiB over the [\d,]+ requests between the snapshots$/m)
})

/** The node_modules folder express-session is installed in; undefined when it is not. */
const sessionModules = (() => {
  try {
    const main = createRequire(join(repoRoot, 'package.json')).resolve('express-session')
    return main.slice(0, main.lastIndexOf('/node_modules/') + '/node_modules'.length)
  } catch {
    return undefined
  }
})()

t.test('express-session\'s default MemoryStore and clients that send no cookie: the site is inside node_modules/express-session', { skip: sessionModules ? false : 'express-session is not installed (devDependencies: express, express-session)' }, async (t) => {
  const port = await freePort()
  const app = [
    "const express = require('express')",
    "const session = require('express-session')",
    'const app = express()',
    "app.use(session({ secret: 'test', resave: false, saveUninitialized: true }))",
    "app.get('/', (req, res) => { req.session.visits = (req.session.visits || 0) + 1; res.send('ok') })",
    "app.listen(Number(process.env.PORT), '127.0.0.1')",
  ].join('\n')
  const r = await sourceRun(t, { command: `${process.execPath} app.cjs`, files: { 'app.cjs': app + '\n' }, env: { NODE_PATH: sessionModules! }, port, urls: ['/'], requests: 5000, cookies: false })
  t.equal(r.status, 0, r.stderr)
  t.match(r.source?.sites[0]?.site, /^set node_modules\/express-session\/session\/memory\.js:\d+$/, JSON.stringify(r.source))
})

t.test('--find-source with no probe that memsiege can reach, or side by side: one line, exit 2, before anything starts', async (t) => {
  const r = await runCli(['run', '--find-source', '--port', '1', join(t.testdir({ 'a.yml': 'urls: [ "http://127.0.0.1:1/" ]\nrequests: 1\n' }), 'a.yml')])
  t.equal(r.status, 2)
  t.match(r.stderr, /^memsiege: --find-source \(findSource\) needs memsiege's probe in the target: .*\n$/)
  const sides = 'targets:\n  - { name: a, url: "http://127.0.0.1:1" }\n  - { name: b, url: "http://127.0.0.1:2" }\nurls: [ / ]\nrequests: 1\nfindSource: true\n'
  const both = await runCli(['run', join(t.testdir({ 'b.yml': sides }), 'b.yml')])
  t.equal(both.status, 2)
  t.equal(both.stderr, 'memsiege: --find-source (findSource) works on one target: a side-by-side run (targets:, --vs) records no allocation sites\n')
})
