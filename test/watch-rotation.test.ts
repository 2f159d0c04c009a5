// A watch's samples rotate daily (samples-YYYYMMDD.csv) and are analysed together. The day
// boundary is crossed with a clock that only names the files: the samples themselves are real.
import t from 'tap'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeRun } from '../src/analysis/analyze-run.js'
import { AnalysisInputError } from '../src/errors.js'
import { dailyFileName } from '../src/watch/daily-samples.js'
import { startWatch } from '../src/watch/watch-run.js'
import { watchScenario } from '../src/watch/watch-scenario.js'
import { runCli } from './helpers/cli.js'
import { waitFor } from './helpers/wait.js'
import { killGroup, nodeHttpServerArgs, spawnWithLine } from './fixtures/sampler-helpers.js'

const DAY_MS = 86_400_000

t.test('rows after midnight go to the next day\'s file; analyze and report read the days as one', async (t) => {
  const { child } = await spawnWithLine(process.execPath, nodeHttpServerArgs())
  t.teardown(() => killGroup(child))
  const dir = join(t.testdir(), 'watch')
  let rows = 0
  // The first 15 rows are on the day of 2026-03-07, the rest on the 8th.
  const day = (): Date => new Date(Date.UTC(2026, 2, 7, 23, 59, 59) + (rows++ < 15 ? 0 : DAY_MS))
  const handle = startWatch(watchScenario({ target: { pid: child.pid!, insecure: false }, interval: 0.05, out: dir }), { counter: { kind: 'time' }, fileDay: day })
  const files = (): string[] => readdirSync(dir).filter((f) => f.startsWith('samples-')).sort()
  const lines = (f: string): string[] => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean)
  await waitFor(() => files().length === 2 && lines(files()[1]).length > 15, 30_000, '15 rows on the second day')
  handle.interrupt()
  const result = await handle.done
  t.same(files(), ['samples-20260307.csv', 'samples-20260308.csv'])
  const [first, second] = files().map(lines)
  t.equal(first[0], second[0], 'each day\'s file has the header')
  t.equal(first.length - 1, 15)
  const elapsed = (line: string) => Number(line.split(',')[1])
  t.ok(elapsed(second[1]) > elapsed(first.at(-1)!), 'one clock across the days')
  const total = first.length + second.length - 2
  t.equal(result.summary.verdict?.rows, total, 'the verdict read every row of both days')
  t.match(result.summary.verdict?.notes?.join('\n'), /2 daily samples files, read as one: samples-20260307.csv, samples-20260308.csv/)
  t.notOk(readdirSync(dir).includes('samples.csv'))

  const analyzed = await runCli(['analyze', '--json', dir])
  t.equal(analyzed.status, 0, analyzed.stderr)
  t.equal(JSON.parse(analyzed.stdout).rows, total, '`memsiege analyze` on the folder')
  const report = await runCli(['report', dir])
  t.equal(report.status, 0, report.stderr)
  t.match(readFileSync(join(dir, 'report.html'), 'utf8'), new RegExp(`All ${total} samples are drawn`), '`memsiege report` on the folder')
})

t.test('daily files whose columns differ are refused, naming the file', async (t) => {
  const dir = t.testdir({
    [dailyFileName(new Date('2026-03-07T12:00:00Z'))]: 'time,elapsed_s,requests,rss_bytes\n2026-03-07T23:59:58Z,0,0,100\n2026-03-07T23:59:59Z,1,1,100\n',
    [dailyFileName(new Date('2026-03-08T12:00:00Z'))]: 'time,elapsed_s,requests,threads\n2026-03-08T00:00:00Z,2,2,3\n'
  })
  t.throws(() => analyzeRun(dir), new AnalysisInputError(`${join(dir, 'samples-20260308.csv')}: its columns differ from those of ${join(dir, 'samples-20260307.csv')}`))
  writeFileSync(join(dir, 'samples-20260308.csv'), 'time,elapsed_s,requests,rss_bytes\n2026-03-08T00:00:00Z,2,2,100\n')
  t.equal(analyzeRun(dir).rows, 3)
})
