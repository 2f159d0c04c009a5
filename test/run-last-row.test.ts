import t from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './helpers/cli.js'

// The GC endpoint is read on its own schedule; a run that ends before its next reading must
// still end on a fresh one, or the last row repeats the baseline and the run shows no growth.
t.test('the last row has a GC reading taken after the load, even in a run shorter than one interval', async (t) => {
  let served = 0
  const server = createServer((req, res) => {
    if (req.url === '/gc') {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ heap_live_slots: served }))
      return
    }
    served++
    res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const port = (server.address() as AddressInfo).port
  const dir = t.testdir()
  writeFileSync(join(dir, 'run.yml'), [
    'target:',
    `  url: http://127.0.0.1:${port}`,
    'urls:',
    '  - /work',
    'concurrency: 2',
    'requests: 50',
    'sample: { interval: 1h, gc: { url: /gc, interval: 1h } }'
  ].join('\n') + '\n')
  const out = join(dir, 'out')
  const r = await runCli(['run', join(dir, 'run.yml'), '--out', out], { timeoutMs: 120_000 })
  t.ok(r.status === 0 || r.status === 1, r.stderr)
  const [header, ...rows] = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n').map((l) => l.split(','))
  const col = header!.indexOf('gc.heap_live_slots')
  t.ok(col >= 0, header!.join(','))
  t.equal(rows[0]![col], '0', 'the baseline is read before the load')
  t.equal(rows.at(-1)![col], '50', 'the last row is read after the 50 requests')
})
