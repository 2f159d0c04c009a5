import t from 'tap'
import {
  BisectPlan, difference, halves, oneCulpritBound, ratio, setKey, trialCap, twoCulpritBound,
  type Conclusion, type TrialOutcome, type TrialRequest, type TrialVerdict
} from '../src/bisect/plan.js'

/**
 * A fake target: `leaks` are sets of groups that leak when all of them are in a trial (one group:
 * a plain leak; two: an interaction). Every trial also grows by `warm` per request (a fresh
 * process warming up). A leak's growth per request is diluted by the trial's other groups:
 * `size` × (its groups ÷ the trial's). Intervals ±10% + 10 (±`spread` + 10 when given).
 */
interface Fake {
  leaks: number[][]
  /** Growth per request of each leak alone (default 1000). */
  size?: number[]
  warm?: number
  /** Relative half-width of the intervals (default 0.1). */
  spread?: number
  /** Leave growth figures out (an analysis without per-request estimates). */
  noRates?: boolean
  /** The control's cheapest groups, first to last. */
  cheapest?: number[]
  /** Verdict override for some trials. */
  override?: (trial: TrialRequest) => TrialVerdict | undefined
}

function drive (n: number, fake: Fake, options: ConstructorParameters<typeof BisectPlan>[1] = {}): { conclusion: Conclusion; log: TrialRequest[]; plan: BisectPlan } {
  const plan = new BisectPlan(n, options)
  const log: TrialRequest[] = []
  const warm = fake.warm ?? 100
  for (let step = plan.next(); ; step = plan.next()) {
    if (step.kind === 'done') return { conclusion: step.conclusion, log, plan }
    const trial = step.trial
    log.push(trial)
    if (log.length > 200) throw new Error('runaway plan')
    const inTrial = new Set(trial.groups)
    const hit = fake.leaks.map((m, i) => [m, fake.size?.[i] ?? 1000] as const).filter(([m]) => m.every((g) => inTrial.has(g)))
    const v = warm + hit.reduce((s, [m, size]) => s + (size * m.length) / trial.groups.length, 0)
    // Warm-up alone levels off within a trial: flat, unless the fake says otherwise.
    const verdict = fake.override?.(trial) ?? (hit.length ? 'leak' : 'flat')
    const outcome: TrialOutcome = { verdict }
    const spread = fake.spread ?? 0.1
    if (!fake.noRates) outcome.perRequest = { value: v, low: v * (1 - spread) - 10, high: v * (1 + spread) + 10, level: 0.95 }
    if (trial.role === 'control' && fake.cheapest) outcome.cheapest = fake.cheapest
    plan.record(outcome)
  }
}

const found = (c: Conclusion): string => c.culprits.map((x) => `${x.kind === 'interaction' ? 'i:' : ''}${x.groups.join('+')}`).sort().join(' ')
const path = (log: TrialRequest[]): string => log.map((l) => `${l.role}[${l.groups}]`).join(' ')

t.test('halves, bounds, interval arithmetic', async (t) => {
  t.same(halves([0, 1, 2, 3, 4]), [[0, 1, 2], [3, 4]])
  t.same(halves([7, 9]), [[7], [9]])
  t.equal(oneCulpritBound(10), 6, '⌈log₂ 10⌉ + 2')
  t.equal(twoCulpritBound(10), 11)
  t.equal(trialCap(10), 12, 'two culprits and one to spare')
  const d = difference({ value: 10, low: 7, high: 14, level: 0.95 }, { value: 4, low: 0, high: 8, level: 0.95 })
  t.equal(d.value, 6)
  t.equal(d.low, 1, '6 − hypot(3, 4)')
  t.equal(d.high, 6 + Math.hypot(4, 4))
  const r = ratio({ value: 5, low: 4, high: 6, level: 0.95 }, { value: 10, low: 10, high: 10, level: 0.95 })
  t.same([r.value, r.low, r.high], [0.5, 0.4, 0.6])
})

t.test('no leak: a control that does not grow ends it at once', async (t) => {
  const { conclusion, log } = drive(10, { leaks: [], warm: 0 })
  t.equal(conclusion.outcome, 'no-leak')
  t.equal(log.length, 1)
})

t.test('no leak: a control that grows like the baseline (warm-up) ends after 2 trials', async (t) => {
  const { conclusion, log } = drive(10, { leaks: [], warm: 600, cheapest: [7, 3], override: (trial) => (trial.role === 'control' ? 'leak' : undefined) })
  t.equal(conclusion.outcome, 'no-leak')
  t.same(log.map((l) => [l.role, l.groups]), [['control', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], ['baseline', [7]]])
  t.match(conclusion.notes.join('\n'), /(no|not significantly) more than the baseline #7: the warm-up every fresh process has/)
})

t.test('settling, plateau and flat never leak', async (t) => {
  for (const verdict of ['settling', 'plateau', 'flat'] as const) {
    const { conclusion } = drive(6, { leaks: [[4]], override: (trial) => (trial.groups.includes(4) ? undefined : verdict) })
    t.equal(found(conclusion), '4', verdict)
    t.equal(conclusion.small.length, 0)
  }
  const { conclusion, log } = drive(6, { leaks: [[4]], override: () => 'settling' })
  t.equal(conclusion.outcome, 'no-leak')
  t.equal(log.length, 1)
})

t.test('one culprit, every position, N = 1..32: found within the bound, nothing else named', async (t) => {
  const worst: string[] = []
  for (let n = 1; n <= 32; n++) {
    let max = 0
    for (let c = 0; c < n; c++) {
      const { conclusion, log } = drive(n, { leaks: [[c]] })
      if (found(conclusion) !== String(c)) t.fail(`N=${n} c=${c}: found ${found(conclusion)} after ${path(log)}`)
      if (conclusion.trials > oneCulpritBound(n)) t.fail(`N=${n} c=${c}: ${conclusion.trials} trials > ${oneCulpritBound(n)}: ${path(log)}`)
      if (conclusion.outcome !== 'found') t.fail(`N=${n} c=${c}: ${conclusion.outcome}`)
      max = Math.max(max, conclusion.trials)
    }
    worst.push(`${n}:${max}/${oneCulpritBound(n)}`)
  }
  t.comment(`one culprit, worst trials/bound by N: ${worst.join(' ')}`)
  t.pass('all within the bound')
})

t.test('one culprit among 10 with a warm-up as large as a third of the control\'s growth: named, effect measured', async (t) => {
  for (let c = 0; c < 10; c++) {
    const { conclusion, log } = drive(10, { leaks: [[c]], warm: 50, cheapest: [(c + 3) % 10] })
    t.equal(found(conclusion), String(c), path(log))
    t.ok(conclusion.trials <= 6, `${conclusion.trials} trials: ${path(log)}`)
    const culprit = conclusion.culprits[0]!
    t.ok(culprit.share && Math.abs(culprit.share.value - 1) < 0.05, `share ${culprit.share?.value}`)
    t.ok(culprit.excess && Math.abs(culprit.excess.value - 1000) < 1, `excess ${culprit.excess?.value} (${culprit.measured})`)
    t.ok(conclusion.unexplained && Math.abs(conclusion.unexplained.value) < 0.05)
  }
})

t.test('without growth figures the verdicts decide (no baseline comparison possible)', async (t) => {
  for (let n = 2; n <= 16; n++) {
    for (let c = 0; c < n; c++) {
      const { conclusion, log } = drive(n, { leaks: [[c]], noRates: true, warm: 0, override: (trial) => (trial.groups.includes(c) ? 'leak' : 'flat') })
      if (found(conclusion) !== String(c)) t.fail(`N=${n} c=${c}: ${found(conclusion)} after ${path(log)}`)
      if (conclusion.trials > oneCulpritBound(n) + 1) t.fail(`N=${n} c=${c}: ${conclusion.trials} trials`)
    }
  }
  t.pass()
})

t.test('two culprits of equal size, every pair, N = 3..32: both found within twoCulpritBound', async (t) => {
  const worst: string[] = []
  for (let n = 3; n <= 32; n++) {
    let max = 0
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const { conclusion, log } = drive(n, { leaks: [[a], [b]] }, { maxTrials: 100 })
        if (found(conclusion) !== [String(a), String(b)].sort().join(' ')) t.fail(`N=${n} ${a},${b}: found ${found(conclusion)} after ${path(log)}`)
        if (conclusion.trials > twoCulpritBound(n)) t.fail(`N=${n} ${a},${b}: ${conclusion.trials} trials > ${twoCulpritBound(n)}: ${path(log)}`)
        max = Math.max(max, conclusion.trials)
      }
    }
    worst.push(`${n}:${max}/${twoCulpritBound(n)}`)
  }
  t.comment(`two culprits, worst trials/bound by N: ${worst.join(' ')}`)
  t.pass('all found within the bound')
})

t.test('a group that grows by a sliver of the control\'s growth is a small effect, not a culprit', async (t) => {
  // Group 1 leaks 3% of what group 5 does: a cache filling, say.
  const { conclusion, log } = drive(8, { leaks: [[5], [1]], size: [1000, 30] })
  t.equal(found(conclusion), '5', path(log))
  t.equal(conclusion.outcome, 'found')
})

t.test('the baseline: named by the user, else the control\'s cheapest; one that leaks itself is a culprit and replaced', async (t) => {
  const named = drive(10, { leaks: [[6]], cheapest: [2] }, { baseline: 9 })
  t.same(named.log[1]!.groups, [9])
  t.equal(named.conclusion.baseline, 9)
  const cheapest = drive(10, { leaks: [[6]], cheapest: [2, 9] })
  t.same(cheapest.log[1]!.groups, [2])
  const leaky = drive(10, { leaks: [[2]], cheapest: [2, 9] })
  t.same(leaky.log.slice(0, 3).map((l) => [l.role, l.groups]), [['control', leaky.log[0]!.groups], ['baseline', [2]], ['baseline', [9]]])
  t.equal(found(leaky.conclusion), '2')
  t.equal(leaky.conclusion.baseline, 9)
  t.match(leaky.conclusion.culprits[0]!.evidence, /tried as the baseline, leaks on its own/)
  // A candidate that fills a cache (grows, but by a sliver of the control's growth) is replaced, and is no culprit.
  const cache = drive(10, { leaks: [[6], [2]], size: [1000, 40], cheapest: [2, 9] })
  t.same(cache.log.slice(1, 3).map((l) => l.groups), [[2], [9]])
  t.equal(found(cache.conclusion), '6')
  t.ok(cache.conclusion.small.some((s) => s.groups.join() === '2'), 'a small effect')
  // Every candidate grows: the slowest is the baseline.
  const growing = drive(10, { leaks: [[6]], cheapest: [2, 9, 4], override: (trial) => (trial.role === 'baseline' ? 'leak' : undefined) })
  t.equal(growing.conclusion.baseline, 2)
  t.match(growing.conclusion.notes.join('\n'), /every baseline candidate kept growing/)
  t.equal(found(growing.conclusion), '6')
  t.ok(leaky.conclusion.trials <= 4, `${leaky.conclusion.trials} trials: ${path(leaky.log)}`)
})

t.test('a half that grows by a cache filling over exactly one trial: the rest of its parent, holding more of the growth, is searched first', async (t) => {
  // As in CI on puma: 1,500-request trials, #2's cache (300 × 8 KB) filling all through the trial of
  // #0–#4 and done early in any smaller one; #8 leaking 35 KiB/request.
  const cacheFilling = (trial: TrialRequest): TrialVerdict | undefined => (trial.groups.includes(2) && !trial.groups.includes(8) && trial.groups.length < 5 ? 'plateau' : undefined)
  const { conclusion, log } = drive(10, { leaks: [[8], [2]], size: [35840, 5600], warm: 177, cheapest: [9], override: cacheFilling })
  t.equal(found(conclusion), '8', path(log))
  t.ok(conclusion.trials <= oneCulpritBound(10), `${conclusion.trials} trials: ${path(log)}`)
  t.match(conclusion.notes.join('\n'), /\{#0, #1, #2, #3, #4\} grew, but .* grew more than that accounts for: the rest of it, \{#5, #6, #7, #8, #9\}, was searched first/)
  // Without the difference (no growth figures) the plan goes into the half that leaked, as before.
  t.equal(drive(10, { leaks: [[8], [2]], size: [35840, 5600], noRates: true, override: cacheFilling }).log[1]!.groups.join(), '0,1,2,3,4')
})

t.test('a leak that needs two groups together: narrowed to the pair, or stopped at the cap with an honest report', async (t) => {
  const ends: string[] = []
  for (let a = 0; a < 10; a++) {
    for (let b = a + 1; b < 10; b++) {
      const { conclusion, log } = drive(10, { leaks: [[a, b]] })
      t.ok(conclusion.trials <= trialCap(10), `${a}+${b}: ${conclusion.trials} trials`)
      if (conclusion.outcome === 'incomplete') {
        ends.push(`${a}+${b}:cap`)
        t.match(conclusion.stopped, /the cap of 12 trials was reached/)
        t.match(conclusion.next.join('\n'), /the next question was/)
      } else {
        ends.push(`${a}+${b}:${found(conclusion)}`)
        if (found(conclusion) !== `i:${a}+${b}` && found(conclusion) !== String(b)) t.fail(`${a}+${b}: ${found(conclusion)} after ${path(log)}`)
      }
    }
  }
  t.comment(`interaction of two among 10: ${ends.join(' ')}`)
  const { conclusion } = drive(10, { leaks: [[1, 6]] })
  t.equal(conclusion.outcome, 'incomplete')
  t.match(conclusion.notes.join('\n'), /the trials contradict each other: .* leaks, but neither/)
  t.match(conclusion.next.join('\n'), /need several groups together/)
  t.match(conclusion.next.join('\n'), /the smallest set seen leaking is \{/)
})

t.test('halt: a time limit ends the search with what is known', async (t) => {
  const plan = new BisectPlan(10)
  const rate = (v: number): TrialOutcome => ({ verdict: 'leak', perRequest: { value: v, low: v * 0.9, high: v * 1.1, level: 0.95 } })
  plan.record(rate(200))
  plan.record({ ...rate(100), verdict: 'flat' })
  const conclusion = plan.halt('the time limit (--max-time 10m) was reached')
  t.equal(conclusion.outcome, 'incomplete')
  t.equal(conclusion.trials, 2)
  t.match(conclusion.next.join('\n'), /the next question was: is the leak in/)
  t.equal(plan.next().kind, 'done')
  t.equal(plan.expectedLeft, 0)
})

t.test('deterministic: the same outcomes give the same trials (what --resume relies on)', async (t) => {
  t.same(drive(12, { leaks: [[2], [9]] }).log, drive(12, { leaks: [[2], [9]] }).log)
})

t.test('the tree: the control at the root, inferred and untested halves marked', async (t) => {
  const { plan } = drive(8, { leaks: [[6]] })
  const nodes = plan.nodes
  t.equal(nodes[0]!.key, '0,1,2,3,4,5,6,7')
  t.equal(nodes[0]!.state, 'leak')
  t.ok(nodes.some((n) => n.state === 'inferred' && n.key === '4,5,6,7'), 'the second half, inferred when the first had no leak')
  t.ok(nodes.some((n) => n.state === 'clean' && n.key === '0,1,2,3'))
  for (const n of nodes.slice(1)) t.ok(nodes.some((p) => p.key === n.parent), `${n.key} has a parent`)
  t.equal(plan.expectedLeft, 0)
  t.equal(setKey([3, 1]), '1,3')
  t.throws(() => new BisectPlan(0))
})

t.test('a control called leak whose rate never held (a cache still filling at the longest length): no leak confirmed, no descent', async (t) => {
  const plan = new BisectPlan(10)
  const step = plan.record({ verdict: 'leak', perRequest: { value: 449, low: 300, high: 600, level: 0.95 }, confirmed: false })
  t.equal(step.kind, 'done')
  const conclusion = (step as { conclusion: Conclusion }).conclusion
  t.equal(conclusion.outcome, 'no-leak')
  t.equal(conclusion.trials, 1)
  t.match(conclusion.notes.join('\n'), /the control grew \(leak\), but its rate neither held significantly nor bent .*: no leak confirmed, no descent/)
  t.match(plan.judgement([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), { decision: 'clean', why: /not confirmed/ })
  // Still inconclusive at the longest length, its rate never held: no more a confirmed leak.
  const open = new BisectPlan(10).record({ verdict: 'inconclusive', perRequest: { value: 449, low: 300, high: 600, level: 0.95 }, confirmed: false })
  t.equal(open.kind === 'done' && open.conclusion.outcome, 'no-leak')
  // Confirmed (or from a bisect.json written before confirmation existed): the search goes on.
  for (const confirmed of [true, undefined]) {
    const p = new BisectPlan(10)
    const next = p.record({ verdict: 'leak', perRequest: { value: 449, low: 300, high: 600, level: 0.95 }, ...(confirmed !== undefined ? { confirmed } : {}) })
    t.equal(next.kind === 'trial' && next.trial.role, 'baseline', `confirmed: ${confirmed}`)
  }
})

t.test('two leaks of very different sizes: the unexplained share lies above min_share, so the untried rest is searched; both named within the cap', async (t) => {
  // One leak 4× the other (a native malloc and a runtime-heap leak): the first culprit explains
  // ~80% of the control's growth, more than the 2/3 that used to end the search; with intervals of
  // ±3% (as long trials give) the 20% left is significantly above min_share.
  let worst = 0
  for (let a = 0; a < 10; a++) {
    for (let b = 0; b < 10; b++) {
      if (a === b) continue
      const { conclusion, log } = drive(10, { leaks: [[a], [b]], size: [4000, 1000], spread: 0.03 })
      if (found(conclusion) !== [String(a), String(b)].sort().join(' ')) t.fail(`${a} (big), ${b}: found ${found(conclusion)} after ${path(log)}`)
      if (conclusion.trials > trialCap(10)) t.fail(`${a}, ${b}: ${conclusion.trials} trials: ${path(log)}`)
      worst = Math.max(worst, conclusion.trials)
    }
  }
  t.comment(`two leaks of 4:1 among 10: at most ${worst} trials (cap ${trialCap(10)})`)
  t.ok(worst <= 12)
  // What the culprits leave may be under min_share: the rest is not tried, and the note says which of it was tried alone.
  const sliver = drive(10, { leaks: [[6], [2]], size: [1000, 40], cheapest: [2, 9] })
  t.equal(found(sliver.conclusion), '6')
  t.notOk(sliver.log.some((l) => l.role === 'rest'), path(sliver.log))
  t.match(sliver.conclusion.notes.join('\n'), /the rest may be under 10% of it: the rest \(\{#0, #1, #2, #3, #4, #5, #7, #8, #9\}\) not tried as a whole; \{#2, #5, #9\} were tried alone/)
})

t.test('what the search made of each trial, in words: the baseline says why its own growth was accepted', async (t) => {
  const { plan } = drive(10, { leaks: [[6], [2]], size: [1000, 40], cheapest: [2, 9] })
  t.match(plan.judgement([9]), { decision: 'clean', why: /^the baseline: flat, it did not keep growing, so its growth is what a fresh process does without a leak/ })
  t.match(plan.judgement([2]), { decision: 'clean', why: /^a baseline candidate that kept growing: leak, significantly above the baseline, but under 10% of the control's growth/ })
  t.match(plan.judgement([5, 6]), { decision: 'leak', why: /^leak, significantly above the baseline: \d+% of the control's growth/ })
  const growing = drive(10, { leaks: [[6]], cheapest: [2, 9, 4], override: (trial) => (trial.role === 'baseline' ? 'inconclusive' : undefined) })
  t.match(growing.plan.judgement([2]), { why: /^the baseline: every candidate kept growing, and this one grew slowest/ })
  // A clean half that still grew says so: the tree's "no leak" and the card's "inconclusive" agree.
  const half = drive(10, { leaks: [[8]], override: (trial) => (trial.role === 'half' && !trial.groups.includes(8) ? 'inconclusive' : undefined) })
  t.match(half.plan.judgement([0, 1, 2, 3, 4]), { decision: 'clean', why: /^inconclusive, but not significantly above the baseline/ })
})

t.test('"try next" names the groups behind small effects, not those tried alone without growth', async (t) => {
  // {#0..#4} grows a sliver (its #1 a little), #9 is the baseline, flat alone.
  const { conclusion } = drive(10, { leaks: [[7], [1]], size: [1000, 30], cheapest: [9] })
  t.equal(found(conclusion), '7')
  const next = conclusion.next.join('\n')
  t.notMatch(next, /#9/, next)
  t.notMatch(next, /the small effects/, next)
})
