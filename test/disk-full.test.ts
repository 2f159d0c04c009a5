/**
 * A full disk mid-run: the row that does not fit is taken back (no half row), the run goes on
 * with one warning, and once there is room again the rows resume and the summary is written.
 * A real filesystem fills: a small tmpfs, mounted for the test (root only), filled to its last
 * byte as statfs measures it — whatever its block size.
 */
import t from 'tap'
import { existsSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHttpFixture } from './fixtures/http-fixture.js'
import { afterCondition, runCli } from './helpers/cli.js'
import { waitFor, waitForLine } from './helpers/wait.js'
import { mountTmpfs } from './helpers/tmpfs.js'

const { mountPoint, skip } = mountTmpfs(t, '1m')

/** Takes every block left on the filesystem, as statfs counts them. */
function fillUp (file: string): void {
  const { bavail, bsize } = statfsSync(mountPoint)
  try {
    writeFileSync(file, Buffer.alloc(bavail * bsize))
  } catch (err) {
    // The run appended a row since statfs: what fitted is enough.
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  }
}

t.test('disk full mid-run: rows stay whole, one warning, the run ends normally', { skip }, async (t) => {
  const fixture = await startHttpFixture()
  t.teardown(() => fixture.close())
  // One request held by the server keeps the run going, rows every 20 ms, until the test is done
  // with the disk; released, the run ends by itself after its three requests.
  const dir = t.testdir({ 'app.yml': `target:\n  url: ${fixture.url}\nurls: ["/held"]\nconcurrency: 1\nrequests: 3\ntimeout: 10m\nsample: { interval: 20ms }\n` })
  const filler = join(mountPoint, 'filler')
  const out = join(mountPoint, 'run')
  const samples = join(out, 'samples.csv')
  const rowCount = (): number => readFileSync(samples, 'utf8').split('\n').length - 1
  let phases: Promise<void> = Promise.resolve()
  const r = await runCli(['run', join(dir, 'app.yml'), '--out', out, '-q'], {
    timeoutMs: 150_000,
    onSpawn: (child) => {
      const full = waitForLine(child.stderr!, /samples\.csv: cannot write a row/, 60_000)
      phases = afterCondition(child, () => fixture.requests.length > 0 && existsSync(samples) && rowCount() >= 2, 'the run to be under way', async () => {
        fillUp(filler)
        t.equal(statfsSync(mountPoint).bavail, 0, 'not a block left')
        await full
        const rowsWhenFull = rowCount()
        rmSync(filler)
        await waitFor(() => rowCount() >= rowsWhenFull + 3, 60_000, 'rows to resume once there is room')
        fixture.release()
      })
    }
  })
  await phases
  t.equal(r.status, 0, r.stderr)
  const warnings = r.stderr.split('\n').filter((l) => l.includes('samples.csv: cannot write a row'))
  t.equal(warnings.length, 1, 'one warning, not one per lost row')
  t.match(r.stderr, /samples\.csv: \d+ rows? (was|were) lost/, 'and how many at the end')
  const text = readFileSync(samples, 'utf8')
  t.ok(text.endsWith('\n'), 'no half row at the end')
  const rows = text.trim().split('\n')
  const width = rows[0].split(',').length
  for (const row of rows) t.equal(row.split(',').length, width, 'a whole row')
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.equal(summary.transactions, 3)
})
