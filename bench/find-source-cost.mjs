#!/usr/bin/env node
// The cost of --find-source, per runtime: the same run of an app that keeps nothing, with and
// without it, in alternating order (a shared machine's speed drifts between runs). Prints the
// median request rate and the target's RSS at the end (samples.csv's last rss_bytes) of each,
// and their ratios.
//
//   node bench/find-source-cost.mjs
//
// Environment:
//   BENCH_SOURCE_PAIRS=3          pairs of runs per runtime
//   BENCH_SOURCE_RUNTIMES=node,ruby,python
// The apps are the test fixtures (test/fixtures/source-node, puma-source, flask-source) on 127.0.0.1.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const fixtures = join(root, 'test', 'fixtures')
const pairs = Number(process.env.BENCH_SOURCE_PAIRS ?? 3)
const runtimes = (process.env.BENCH_SOURCE_RUNTIMES ?? 'node,ruby,python').split(',').map((s) => s.trim())

/** Each runtime's app, what it is asked, and how many requests make a run of some seconds. */
const APPS = {
  node: { command: () => `${process.execPath} ${join(fixtures, 'source-node', 'app.mjs')}`, urls: ['/cache', '/plain'], ready: '/plain', requests: 60_000 },
  ruby: { command: (port) => `puma -b tcp://127.0.0.1:${port} -t 4:4 ${join(fixtures, 'puma-source', 'config.ru')}`, urls: ['/churn', '/flat'], ready: '/flat', requests: 20_000 },
  python: { command: (port) => `gunicorn -w 1 -b 127.0.0.1:${port} --chdir ${join(fixtures, 'flask-source')} app:app`, urls: ['/search?q=same', '/plain'], ready: '/plain', requests: 4_000 },
}

function freePort () {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function oneRun (app, findSource) {
  const dir = mkdtempSync(join(tmpdir(), 'memsiege-source-bench-'))
  const port = await freePort()
  writeFileSync(join(dir, 'app.yml'), [
    'target:',
    `  command: ${JSON.stringify(app.command(port))}`,
    `  url: http://127.0.0.1:${port}`,
    `  ready: ${app.ready}`,
    `  env: { PORT: "${port}" }`,
    `urls: ${JSON.stringify(app.urls)}`,
    'concurrency: 4',
    `requests: ${app.requests}`,
    'sample: { interval: 0.5 }',
    `findSource: ${findSource}`,
  ].join('\n') + '\n')
  const out = join(dir, 'out')
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'run', join(dir, 'app.yml'), '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 })
  try {
    if (r.status !== 0) throw new Error(`memsiege exited ${r.status ?? r.signal}`)
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    const lines = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n')
    const header = lines[0].split(',')
    const rss = Number(lines.at(-1).split(',')[header.indexOf('rss_bytes')])
    return { rps: summary.transaction_rate_per_s, rss, sites: summary.source?.sites?.length }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`

console.log(`--find-source cost: ${pairs} pair(s) per runtime, an app that keeps nothing, concurrency 4`)
console.log('runtime  req/s off  req/s on  ratio  RSS off    RSS on     ratio')
for (const runtime of runtimes) {
  const app = APPS[runtime]
  if (!app) throw new Error(`BENCH_SOURCE_RUNTIMES: unknown runtime ${runtime} (node, ruby, python)`)
  const off = []
  const on = []
  for (let i = 0; i < pairs; i++) {
    for (const findSource of i % 2 === 0 ? [false, true] : [true, false]) (findSource ? on : off).push(await oneRun(app, findSource))
  }
  const [rOff, rOn] = [median(off.map((x) => x.rps)), median(on.map((x) => x.rps))]
  const [mOff, mOn] = [median(off.map((x) => x.rss)), median(on.map((x) => x.rss))]
  console.log(`${runtime.padEnd(8)} ${rOff.toFixed(0).padStart(9)}  ${rOn.toFixed(0).padStart(8)}  ${(rOn / rOff).toFixed(2).padStart(5)}  ${mib(mOff).padEnd(9)}  ${mib(mOn).padEnd(9)}  ${(mOn / mOff).toFixed(2)}`)
}
