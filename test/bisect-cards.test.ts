/**
 * bisect's words, without a live target: bisect.html's tree and cards agree with each other and
 * with the search (a baseline says why its own growth was accepted), a fall is "did not grow",
 * counts are singular when they are 1; and bad input to `memsiege bisect` (a finished bisect.json
 * that holds nothing, a side-by-side scenario) is one line and exit 2.
 */
import t from 'tap'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bisectHtml } from '../src/bisect/bisect-html.js'
import { BISECT_SCHEMA_VERSION, type BisectDocument, type BisectTrialRecord } from '../src/bisect/state.js'
import { eventLine } from '../src/commands/bisect.js'
import { scaleText, seriesReasonText } from '../src/analysis/verdict-words.js'
import { runCli } from './helpers/cli.js'

const work = mkdtempSync(join(tmpdir(), 'memsiege-bisect-cards-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

const e = (value: number, spread: number) => ({ value, low: value - spread, high: value + spread, level: 0.95 })
const trial = (n: number, role: BisectTrialRecord['role'], groups: string[], extra: Partial<BisectTrialRecord>): BisectTrialRecord => ({
  n,
  key: `${[...groups].sort().join(' + ')} @ 1,500 requests`,
  role,
  groups,
  question: '?',
  budget: { kind: 'requests', count: 1500 },
  dir: `${String(n).padStart(2, '0')}-${role}`,
  started_at: '2026-12-07T17:00:00Z',
  ended_at: '2026-12-07T17:01:00Z',
  status: 'done',
  unit: 'bytes',
  ...extra
})

function doc (): BisectDocument {
  const names = ['GET /flat', 'GET /cache', 'GET /leak']
  return {
    schemaVersion: BISECT_SCHEMA_VERSION,
    kind: 'memsiege-bisect',
    name: 'cards',
    scenario: '/x/cards.yml',
    started_at: '2026-12-07T17:00:00Z',
    updated_at: '2026-12-07T17:05:00Z',
    status: 'done',
    concurrency: 4,
    budget: { kind: 'requests', count: 1500 },
    limits: { trials: 5, extension: 4, min_share: 0.1 },
    restart: { kind: 'command', command: 'app' },
    metric: 'rss_bytes',
    groups: names.map((name) => ({ name, endpoints: [name], lines: 1 })),
    trials: [
      trial(1, 'control', names, { verdict: 'leak', per_request: e(9000, 500), confirmed: true, decision: 'leak', why: 'leak, significantly above the baseline GET /flat' }),
      trial(2, 'baseline', ['GET /flat'], { verdict: 'inconclusive', per_request: e(-58_000, 40_000), decision: 'clean', why: 'the baseline: every candidate kept growing, and this one grew slowest' }),
      trial(3, 'half', ['GET /flat', 'GET /cache'], { verdict: 'inconclusive', per_request: e(300, 400), decision: 'clean', why: 'inconclusive, but not significantly above the baseline: the warm-up every fresh process has' })
    ],
    tree: {
      groups: names,
      role: 'control',
      state: 'leak',
      trials: [1],
      children: [
        { groups: ['GET /flat'], role: 'baseline', state: 'clean', trials: [2], children: [] },
        { groups: ['GET /flat', 'GET /cache'], role: 'half', state: 'clean', trials: [3], children: [] }
      ]
    }
  }
}

t.test('bisect.html: the tree and each card say what the search made of the trial, and why', async (t) => {
  const dir = join(work, 'html')
  mkdirSync(dir)
  const html = bisectHtml(dir, doc())
  const card = (n: number): string => html.slice(html.indexOf(`id="trial-${n}"`), html.indexOf('</div>\n', html.indexOf(`id="trial-${n}"`) + 400))
  t.match(card(3), /inconclusive/)
  t.match(card(3), /in the search: no leak<\/b> · inconclusive, but not significantly above the baseline/)
  t.match(html, /no leak<\/span> <a href="#trial-3">#3<\/a> <span class="muted">inconclusive, but not significantly above the baseline/, 'the tree gives the same reason')
  t.match(card(2), /in the search: no leak<\/b> · the baseline: every candidate kept growing, and this one grew slowest/)
  t.match(card(2), /did not grow/, 'a fall is not shown as growth')
  t.notMatch(card(2), /−5\d(\.\d+)? KiB\/request/)
  t.match(card(1), /\+8\.79 KiB\/request/)
})

t.test('a fall is "did not grow", not a scale', async (t) => {
  const scale = { metric: 'rss_bytes', unit: 'bytes' as const, requests_per_hour: 3_600_000, per_hour: -351 * 2 ** 20, per_day: -8.24 * 2 ** 30, fresh_process: false }
  t.equal(scaleText(scale, 'inconclusive'), 'It did not grow over this run at this run\'s 1,000 requests/s.')
  t.notMatch(scaleText(scale, 'flat'), /over a day|−|-\d/)
  t.match(scaleText({ ...scale, per_hour: 2 ** 20, per_day: 24 * 2 ** 20 }, 'leak'), /^At that rate, at this run's 1,000 requests\/s: 1 MiB\/h/)
  const threshold = { value: 2 ** 20, basis: { kind: 'minimum' as const, unit: 'bytes' as const } }
  const flat = seriesReasonText({ kind: 'flat', unit: 'bytes', growth: -200 * 1024, shrinks: true, requests: 1500, at_most: -57 * 1024, threshold } as Parameters<typeof seriesReasonText>[0])
  t.notMatch(flat, /at most −|at most -/, flat)
  t.match(flat, /it did not grow even at the interval's upper end/)
})

t.test('the lines on stderr: "done after 1 trial", a fall "did not grow"', async (t) => {
  const d = doc()
  d.result = { outcome: 'no-leak', culprits: [], small: [], notes: [], next: [], trials: 1, groups: 3, bound_one_culprit: 4, bound_two_culprits: 7, cap: 8, message: '' }
  t.equal(eventLine({ type: 'done', doc: d }, []), 'memsiege bisect: done after 1 trial')
  d.result.trials = 2
  t.equal(eventLine({ type: 'done', doc: d }, []), 'memsiege bisect: done after 2 trials')
  const groups = d.groups.map((g, i) => ({ name: g.name, endpoints: g.endpoints, entries: [i] }))
  t.match(eventLine({ type: 'trial-done', trial: d.trials[1]!, expectedLeft: 3 }, groups), /^ {2}#2 baseline: inconclusive, did not grow; about 3 more$/)
})

t.test('bad input: one line, exit 2', async (t) => {
  const empty = join(work, 'empty')
  mkdirSync(empty)
  const bare = { ...doc(), groups: [], trials: [], tree: undefined }
  writeFileSync(join(empty, 'bisect.json'), JSON.stringify(bare))
  const r1 = await runCli(['bisect', '--resume', empty], { timeoutMs: 20_000 })
  t.equal(r1.status, 2)
  t.match(r1.stderr, /^memsiege: --resume: .*empty\/bisect\.json has no groups: not the state of a real bisect/)
  t.equal(r1.stderr.trim().split('\n').length, 1, r1.stderr)

  const noResult = join(work, 'no-result')
  mkdirSync(noResult)
  writeFileSync(join(noResult, 'bisect.json'), JSON.stringify({ ...doc(), trials: [] }))
  const r2 = await runCli(['bisect', '--resume', noResult], { timeoutMs: 20_000 })
  t.equal(r2.status, 2)
  t.match(r2.stderr, /^memsiege: --resume: .*no-result\/bisect\.json says the bisect is done but holds no result and no trials: not a finished bisect/)

  const sides = join(work, 'sides.yml')
  writeFileSync(sides, ['name: sides', 'targets:', '  - name: old', '    url: http://127.0.0.1:9', '    command: sleep 30', '  - name: new', '    url: http://127.0.0.1:10', '    command: sleep 30', 'urls: [/a]', ''].join('\n'))
  const r3 = await runCli(['bisect', sides, '--trial-requests', '100', '--out', join(work, 'sides-out')], { timeoutMs: 20_000 })
  t.equal(r3.status, 2, r3.stderr)
  t.match(r3.stderr, /^memsiege: .*sides\.yml:2: targets: bisect runs one target, afresh for every trial; side by side is not supported/)
  t.equal(r3.stderr.trim().split('\n').length, 1, r3.stderr)
})
