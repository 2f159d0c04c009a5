/**
 * A full disk when the files written whole at the end are written (summary.json, report.html,
 * memory.svg, compare.html): nothing half-written is left in their place, the summary block and
 * the verdict still reach stdout, and the error names the file. A real filesystem fills: a small
 * tmpfs mounted for the test (root only), filled to the last byte while the run goes on.
 */
import t from 'tap'
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { startHttpFixture } from './fixtures/http-fixture.js'
import { runCli } from './helpers/cli.js'
import { waitFor } from './helpers/wait.js'
import { mountTmpfs } from './helpers/tmpfs.js'
import { fakeSummary } from './helpers/report.js'
import { writeFileWhole } from '../src/recorder/write-whole.js'

const { mountPoint, skip } = mountTmpfs(t, '256k')

/** Writes `path` until the filesystem refuses: the disk is then full to the last block. */
function fill (path: string): void {
  const fd = openSync(path, 'a')
  const block = Buffer.alloc(4096)
  try {
    for (;;) writeSync(fd, block)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    closeSync(fd)
  }
}

t.test('summary.json cannot be written: the summary and the verdict on stdout, the file named, exit 1', { skip }, async (t) => {
  const fixture = await startHttpFixture()
  t.teardown(() => fixture.close())
  const dir = t.testdir({ 'app.yml': `target:\n  url: ${fixture.url}\nurls: ["/ok"]\nrequests: 3000\nconcurrency: 2\nsample: { interval: 50ms }\n` })
  const out = join(mountPoint, 'run')
  const filler = join(mountPoint, 'filler-run')
  t.teardown(() => rmSync(filler, { force: true }))
  const samples = join(out, 'samples.csv')
  const r = await runCli(['run', join(dir, 'app.yml'), '--out', out], {
    timeoutMs: 60_000,
    // the disk fills as soon as the run has written its first rows
    onSpawn: () => { waitFor(() => existsSync(samples) && readFileSync(samples, 'utf8').split('\n').length > 2, undefined, 'two rows of samples').then(() => fill(filler), () => {}) }
  })
  t.equal(r.status, 1, 'a run-time failure')
  t.match(r.stdout, /Transactions:\s+3000 hits/, 'the summary block still on stdout')
  t.match(r.stdout, /Memory:\s+\w+/, 'and the verdict')
  t.match(r.stderr, new RegExp(`memsiege: error: cannot write ${join(out, 'summary.json').replace(/[.]/g, '\\.')}: ENOSPC`), 'the error names the file')
  t.notOk(existsSync(join(out, 'summary.json')), 'no summary.json of 0 bytes')
  t.same(readdirSync(out).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left behind')
})

t.test('report and compare on a full disk: the old files stay whole, the error names the file', { skip }, async (t) => {
  const run = join(mountPoint, 'report')
  mkdirSync(run)
  copyFileSync(join(import.meta.dirname, 'corpus', 'demo-leak', 'samples.csv'), join(run, 'samples.csv'))
  writeFileSync(join(run, 'summary.json'), JSON.stringify(fakeSummary({ name: 'full' })))
  writeFileSync(join(run, 'report.html'), 'the report before\n')
  const filler = join(mountPoint, 'filler-report')
  t.teardown(() => rmSync(filler, { force: true }))
  fill(filler)

  const report = await runCli(['report', run])
  t.equal(report.status, 1)
  t.equal(report.stderr, `memsiege: error: cannot write ${join(run, 'report.html')}: ENOSPC: no space left on device, write\n`)
  t.equal(readFileSync(join(run, 'report.html'), 'utf8'), 'the report before\n', 'the old report.html is untouched')
  t.same(readdirSync(run).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left behind')

  const compared = await runCli(['compare', join(import.meta.dirname, 'corpus', 'demo-leak'), run, '--out', mountPoint])
  // the corpus folder has no summary.json: refused before anything is written
  t.equal(compared.status, 2)
  const base = t.testdir({ 'summary.json': JSON.stringify(fakeSummary({ name: 'base' })) })
  copyFileSync(join(import.meta.dirname, 'corpus', 'demo-flat', 'samples.csv'), join(base, 'samples.csv'))
  const again = await runCli(['compare', base, run, '--out', mountPoint])
  t.equal(again.status, 1)
  t.match(again.stderr, `memsiege: error: cannot write ${join(mountPoint, 'compare.html')}: ENOSPC`)
  t.notOk(existsSync(join(mountPoint, 'compare.html')))

  t.throws(() => writeFileWhole(join(run, 'summary.json'), 'x'.repeat(8192)), { name: 'WriteWholeError', message: `cannot write ${join(run, 'summary.json')}: ENOSPC: no space left on device, write` })
  t.equal(JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')).name, 'full', 'the old summary.json stays whole')
})
