import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { oneCulpritBound, trialCap } from '../src/bisect/plan.js'
import type { BisectDocument } from '../src/bisect/state.js'
import { pumaScenario, readDoc, roles, runBisect } from './helpers/bisect.js'
import type { CliResult } from './helpers/cli.js'
import { freePort } from './fixtures/sampler-helpers.js'

// Live, the cases of issue 12 on a real Rack app: ten endpoints on puma, a fresh puma per trial
// (target.command), trials sized in requests (1,500, extended up to 6,000 while inconclusive) so
// that the file takes the same trials on any machine. The five bisects run side by side.

function which (cmd: string): boolean {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() !== ''
  } catch {
    return false
  }
}

const TEN = Array.from({ length: 10 }, (_, i) => `/api/e${i}`)
const TRIAL_REQUESTS = '1500'

interface Case { out: string; run: CliResult; doc: BisectDocument; seconds: number }

async function bisect (work: string, name: string, env: Record<string, string>, urls = TEN, extra = ''): Promise<Case> {
  const file = pumaScenario({ dir: work, name, port: await freePort(), env: { BISECT_ENDPOINTS: '10', ...env }, urls, extra })
  const out = join(work, name)
  const started = Date.now()
  const run = await runBisect([file, '--trial-requests', TRIAL_REQUESTS, '--out', out], { timeoutMs: 170_000 })
  return { out, run, doc: readDoc(out), seconds: (Date.now() - started) / 1000 }
}

const culprits = (doc: BisectDocument): string[] => (doc.result?.culprits ?? []).map((c) => `${c.kind === 'interaction' ? 'together: ' : ''}${c.groups.join(' + ')}`).sort()

if (!which('puma') || !which('ruby')) {
  t.plan(0, 'puma (and ruby) not installed: apt-get install puma ruby-rack')
} else {
  const work = mkdtempSync(join(tmpdir(), 'memsiege-bisect-cases-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))

  const cases = Promise.all([
    // One native leak (Fiddle malloc, never freed); a memo cache filling 300 × 8 KB; an endpoint answering 400.
    bisect(work, 'one', { BISECT_NATIVE: '/api/e8', BISECT_CACHE: '/api/e2', BISECT_NEEDS_PARAM: '/api/e6:id' }),
    // Two: the native one, and Ruby objects kept when `q` comes in a form body: only X-Method POSTs reach it.
    bisect(work, 'two', { BISECT_NATIVE: '/api/e3', BISECT_BODY_LEAK: '/api/e8', BISECT_CACHE: '/api/e5', BISECT_NEEDS_PARAM: '/api/e7:id' },
      TEN.map((u) => (u === '/api/e8' ? '/api/e8?q=widgets' : u)), 'methodOverride: true\n'),
    // No leak, but a bounded cache on /api/e4 filling in a straight line over most of the first
    // 1,500 requests (135 entries of 64 KiB), then stopping dead: a control that looks like a leak.
    bisect(work, 'none', { BISECT_NEEDS_PARAM: '/api/e7:id', BISECT_LRU: '/api/e4' }),
    // /api/e1 fills a capped list (alone: a plateau), /api/e6 makes it permanent (alone: nothing to keep).
    bisect(work, 'pair', { BISECT_FILL: '/api/e1', BISECT_PIN: '/api/e6' }),
    // Two of very different sizes: a native 32 KiB malloc on /api/e3, 10 KiB of Ruby strings kept on /api/e6.
    bisect(work, 'uneven', { BISECT_NATIVE: '/api/e3', BISECT_NATIVE_BYTES: '32768', BISECT_LEAK: '/api/e6', BISECT_LEAK_BYTES: '10240' })
  ])

  t.test('one native leak among 10 (a cache filling, a 400): named within 6 trials, nothing else', async (t) => {
    const [{ run, doc, seconds }] = await cases
    t.comment(`one native leak among 10: ${doc.result?.trials} trials in ${seconds.toFixed(0)} s: ${roles(doc)}`)
    t.equal(run.status, 0, run.stderr)
    t.same(culprits(doc), ['GET /api/e8'])
    t.ok(doc.result!.trials <= oneCulpritBound(10), `${doc.result!.trials} trials, at most ${oneCulpritBound(10)}`)
    const c = doc.result!.culprits[0]!
    t.ok(c.per_request && c.per_request.low > 30 * 1024 && c.per_request.high < 40 * 1024, `~35 KiB/request: ${JSON.stringify(c.per_request)}`)
    t.ok(c.share && c.share.value > 0.5 && c.share.value < 1.2, `most of the control's growth: ${JSON.stringify(c.share)}`)
    t.ok(c.per_hour && c.per_hour.value > 0)
    t.match(run.stdout, /^culprit: GET \/api\/e8 \(\+3\d\.?\d* KiB\/request \(.* … .*, 95%\) (alone|by difference), above the baseline; \+[\d.]+ [MG]iB\/hour \(.* … .*, 95%\) in the whole list's mix; \d+% \(\d+% … \d+%\) of the control's growth\)\nunexplained: −?\d+% \(.* … .*\) of the control's growth/)
    t.match(run.stderr, /^memsiege bisect: 10 groups, trials of 1,500 requests \(extended up to 6,000 requests while undecided\) at concurrency 4, at most 12 trials \(room for two culprits, 11, and one to spare\), into /)
    t.equal(doc.trials[1]!.role, 'baseline')
  })

  t.test('two leaks among 10 (native, and Ruby heap through a POST body param with X-Method): both named within 12 trials', async (t) => {
    const [, { run, doc, seconds }] = await cases
    t.comment(`two leaks among 10: ${doc.result?.trials} trials in ${seconds.toFixed(0)} s: ${roles(doc)}`)
    t.equal(run.status, 0, run.stderr)
    t.same(culprits(doc), ['GET /api/e3', 'GET /api/e8'])
    t.ok(doc.result!.trials <= 12, `${doc.result!.trials} trials`)
    const shares = doc.result!.culprits.map((c) => c.share!.value)
    t.ok(shares.every((s) => s > 0.2), `each a good part of the control's growth: ${shares}`)
  })

  t.test('no leak among 10, with a cache that fills during the first trial: "no leak" within 2 trials', async (t) => {
    const [, , { run, doc, seconds }] = await cases
    const control = doc.trials[0]!
    t.comment(`no leak among 10, a cache filling: ${doc.result?.trials} trials in ${seconds.toFixed(0)} s: ${roles(doc)}; the control ${control.extended ? `extended ${control.extended}× (${control.extensions?.join('; ')})` : 'not extended'}`)
    t.equal(run.status, 0, run.stderr)
    t.equal(doc.result?.outcome, 'no-leak')
    t.ok(doc.result!.trials <= 2, `${doc.result!.trials} trials`)
    t.match(run.stdout, /^no leak (reproduced|confirmed) in [\d,]+ requests: /)
    t.equal(control.decision, 'clean', 'the control\'s card says what the search made of it')
    t.ok(control.verdict !== 'leak' || control.confirmed === false, `a control called leak was not confirmed: ${control.verdict}, ${control.confirmed}`)
  })

  t.test('a leak that needs two endpoints together, apart in the list: the trials contradict each other; stopped at the cap with what is known', async (t) => {
    const [, , , { run, doc, seconds }] = await cases
    t.comment(`a pair among 10: ${doc.result?.trials} trials in ${seconds.toFixed(0)} s: ${roles(doc)}`)
    t.equal(run.status, 0, run.stderr)
    t.equal(doc.result?.outcome, 'incomplete')
    t.equal(doc.result?.trials, trialCap(10))
    t.match(doc.result?.notes.join('\n'), /the trials contradict each other: .* leaks, but neither .* does: the leak seems to need several groups together/)
    t.match(run.stdout, /^stopped: the cap of 12 trials was reached; what is known:\n/)
    t.match(run.stdout, /\ntry next: the leak seems to need several groups together: name them as one group \(bisect.groups\)/)
    t.match(run.stdout, /\ntry next: the next question was: /)
    t.match(run.stdout, /\ntry next: the smallest set seen leaking is \{.*GET \/api\/e1.*\}|\ntry next: the smallest set seen leaking is \{.*GET \/api\/e6.*\}/)
    t.notOk(doc.result?.culprits.some((c) => c.kind === 'single' && c.groups.length === 1 && !['GET /api/e1', 'GET /api/e6'].includes(c.groups[0]!)), 'no innocent group named')
  })

  t.test('two leaks of very different sizes among 10 (native 32 KiB, Ruby heap 10 KiB): the unexplained share lies above min_share, the rest is searched, both named within 12 trials', async (t) => {
    const [, , , , { run, doc, seconds }] = await cases
    t.comment(`two uneven leaks among 10: ${doc.result?.trials} trials in ${seconds.toFixed(0)} s: ${roles(doc)}`)
    t.equal(run.status, 0, run.stderr)
    t.same(culprits(doc), ['GET /api/e3', 'GET /api/e6'])
    t.ok(doc.result!.trials <= 12, `${doc.result!.trials} trials`)
    const small = doc.result!.culprits.find((c) => c.groups[0] === 'GET /api/e6')!
    t.ok(small.share && small.share.value < 1 / 3, `the smaller one leaves less than a third unexplained, where the search used to stop: ${JSON.stringify(small.share)}`)
    t.ok(doc.trials.some((x) => x.role === 'rest'), 'the rest was searched')
    // The tree and the cards agree: each tested node's state is its trials' decision.
    const nodes = (n: NonNullable<typeof doc.tree>): Array<NonNullable<typeof doc.tree>> => [n, ...n.children.flatMap(nodes)]
    for (const node of nodes(doc.tree!)) {
      for (const n of node.trials) {
        const card = doc.trials.find((x) => x.n === n)!
        t.equal(card.decision, node.state, `#${n} ${card.role}: the tree says ${node.state}, the card ${card.decision} (${card.why})`)
      }
    }
    const baseline = doc.trials.find((x) => x.role === 'baseline' && x.groups[0] === doc.result!.baseline?.group)!
    t.match(baseline.why, /^the baseline: /, 'the baseline\'s card says it is the baseline, and why its growth was accepted')
    t.match(readFileSync(join(work, 'uneven', 'bisect.html'), 'utf8'), /in the search: no leak<\/b> · the baseline: /)
  })
}
