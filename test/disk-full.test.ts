/**
 * A full disk mid-run: the row that does not fit is taken back (no half row), the run goes on
 * with one warning, and once there is room again the rows resume and the summary is written.
 * A real filesystem fills: a 64 KiB tmpfs, mounted for the test (root only).
 */
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHttpFixture } from './fixtures/http-fixture.js'
import { runCli } from './helpers/cli.js'

const mountPoint = join(t.testdirName + '-tmpfs')
mkdirSync(mountPoint, { recursive: true })
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]).status === 0
t.teardown(() => {
  if (mounted) spawnSync('umount', [mountPoint])
  rmSync(mountPoint, { recursive: true, force: true })
})

t.test('disk full mid-run: rows stay whole, one warning, the run ends normally', { skip: mounted ? false : 'cannot mount a tmpfs here (needs root)' }, async (t) => {
  const fixture = await startHttpFixture()
  t.teardown(() => fixture.close())
  const dir = t.testdir({ 'app.yml': `target:\n  url: ${fixture.url}\nurls: ["/ok"]\nduration: 4s\nsample: { interval: 20ms }\n` })
  // Leave three 4 KiB pages: the copies of the scenario and of the URL list take one each, and
  // samples.csv fills the last one within a second.
  const filler = join(mountPoint, 'filler')
  writeFileSync(filler, Buffer.alloc(52 * 1024))
  const out = join(mountPoint, 'run')
  const run = runCli(['run', join(dir, 'app.yml'), '--out', out, '-q'], {
    onSpawn: () => setTimeout(() => rmSync(filler), 2500)
  })
  const r = await run
  t.equal(r.status, 0, r.stderr)
  const warnings = r.stderr.split('\n').filter((l) => l.includes('samples.csv: cannot write a row'))
  t.equal(warnings.length, 1, 'one warning, not one per lost row')
  t.match(r.stderr, /samples\.csv: \d+ rows? (was|were) lost/, 'and how many at the end')
  const text = readFileSync(join(out, 'samples.csv'), 'utf8')
  t.ok(text.endsWith('\n'), 'no half row at the end')
  const rows = text.trim().split('\n')
  const width = rows[0].split(',').length
  for (const row of rows) t.equal(row.split(',').length, width, 'a whole row')
  const elapsed = rows.slice(1).map((row) => Number(row.split(',')[1]))
  const gap = Math.max(...elapsed.slice(1).map((e, i) => e - elapsed[i]))
  t.ok(gap > 0.1, `rows were lost while the disk was full (largest gap ${gap.toFixed(2)} s)`)
  t.ok(elapsed.at(-1)! > 3.5, 'rows resumed once there was room')
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.ok(summary.transactions > 0)
})
