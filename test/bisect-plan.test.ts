import t from 'tap'
import { BisectPlan, halves, oneCulpritBound, setKey, type Conclusion, type TrialOutcome, type TrialRequest } from '../src/bisect/plan.js'
import { twoCulpritBound } from '../src/bisect/bisect.js'
import type { SeriesVerdict } from '../src/analysis/types.js'

/**
 * A fake target: `leaks` are sets of groups that leak when all of them are in a trial (one group:
 * a plain leak; two: an interaction). Growth per request is each leaking set's share of the
 * trial's groups × 1000, as a real leak's would be diluted.
 */
interface Fake {
  leaks: number[][]
  /** Leave growth figures out (an analysis without per-request estimates). */
  noRates?: boolean
  /** Verdict override for some trials, by set key, per attempt. */
  override?: (trial: TrialRequest, attempt: number) => SeriesVerdict | undefined
}

function drive (n: number, fake: Fake): { conclusion: Conclusion; log: TrialRequest[]; plan: BisectPlan } {
  const plan = new BisectPlan(n)
  const log: TrialRequest[] = []
  const attempts = new Map<string, number>()
  for (let step = plan.next(); ; step = plan.next()) {
    if (step.kind === 'done') return { conclusion: step.conclusion, log, plan }
    const trial = step.trial
    log.push(trial)
    if (log.length > 200) throw new Error('runaway plan')
    const key = setKey(trial.groups)
    const attempt = (attempts.get(key) ?? 0) + 1
    attempts.set(key, attempt)
    const inTrial = new Set(trial.groups)
    const hit = fake.leaks.filter((m) => m.every((g) => inTrial.has(g)))
    const verdict = fake.override?.(trial, attempt) ?? (hit.length ? 'leak' : 'flat')
    const outcome: TrialOutcome = { verdict }
    if (hit.length && !fake.noRates) {
      const v = hit.reduce((sum, m) => sum + (1000 * m.length) / trial.groups.length, 0)
      outcome.perRequest = { value: v, low: v * 0.8, high: v * 1.2, level: 0.95 }
    }
    plan.record(outcome)
  }
}

const found = (c: Conclusion): string => c.culprits.map((x) => `${x.kind === 'interaction' ? 'i:' : ''}${x.groups.join('+')}`).sort().join(' ')

t.test('halves: the first is the larger', async (t) => {
  t.same(halves([0, 1, 2, 3, 4]), [[0, 1, 2], [3, 4]])
  t.same(halves([7, 9]), [[7], [9]])
  t.equal(oneCulpritBound(12), 6)
  t.equal(oneCulpritBound(2), 3)
  t.equal(oneCulpritBound(1), 2)
})

t.test('no leak: the control says so and the bisect stops', async (t) => {
  const { conclusion, log } = drive(12, { leaks: [] })
  t.equal(conclusion.outcome, 'no-leak')
  t.equal(log.length, 1)
  t.equal(log[0]!.role, 'control')
  t.same(log[0]!.groups, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
})

t.test('one culprit, every position, N = 1..32: found within ⌈log₂ N⌉ + 2 trials', async (t) => {
  const worst: string[] = []
  for (let n = 1; n <= 32; n++) {
    let max = 0
    for (let c = 0; c < n; c++) {
      const { conclusion, log } = drive(n, { leaks: [[c]] })
      if (found(conclusion) !== String(c)) t.fail(`N=${n} c=${c}: found ${found(conclusion)} after ${log.map((l) => `${l.role}[${l.groups}]`).join(' ')}`)
      if (conclusion.trials > oneCulpritBound(n)) t.fail(`N=${n} c=${c}: ${conclusion.trials} trials > ${oneCulpritBound(n)}`)
      max = Math.max(max, conclusion.trials)
    }
    worst.push(`${n}:${max}/${oneCulpritBound(n)}`)
  }
  t.comment(`one culprit, worst trials/bound by N: ${worst.join(' ')}`)
  t.pass('all within the bound')
})

t.test('one culprit without growth figures: one more trial at most (the rest is tried)', async (t) => {
  for (let n = 2; n <= 32; n++) {
    for (let c = 0; c < n; c++) {
      const { conclusion } = drive(n, { leaks: [[c]], noRates: true })
      if (found(conclusion) !== String(c)) t.fail(`N=${n} c=${c}: ${found(conclusion)}`)
      if (conclusion.trials > oneCulpritBound(n) + 1) t.fail(`N=${n} c=${c}: ${conclusion.trials} trials`)
    }
  }
  t.pass()
})

t.test('two culprits, every pair, N = 2..32: both found within 2⌈log₂ N⌉ + 4 trials', async (t) => {
  const worst: string[] = []
  for (let n = 2; n <= 32; n++) {
    let max = 0
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const { conclusion, log } = drive(n, { leaks: [[a], [b]] })
        if (found(conclusion) !== [String(a), String(b)].sort().join(' ')) t.fail(`N=${n} ${a},${b}: found ${found(conclusion)} after ${log.map((l) => `${l.role}[${l.groups}]`).join(' ')}`)
        if (conclusion.trials > twoCulpritBound(n)) t.fail(`N=${n} ${a},${b}: ${conclusion.trials} trials > ${twoCulpritBound(n)}`)
        max = Math.max(max, conclusion.trials)
      }
    }
    worst.push(`${n}:${max}/${twoCulpritBound(n)}`)
  }
  t.comment(`two culprits, worst trials/bound by N: ${worst.join(' ')}`)
  t.pass('all found within the bound')
})

t.test('a leak that needs two groups together is reported as an interaction, narrowed to the two', async (t) => {
  const worst: string[] = []
  for (let n = 2; n <= 16; n++) {
    let max = 0
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const { conclusion, log } = drive(n, { leaks: [[a, b]] })
        if (found(conclusion) !== `i:${a}+${b}`) t.fail(`N=${n} ${a}+${b}: found ${found(conclusion)} after ${log.map((l) => `${l.role}[${l.groups}]`).join(' ')}`)
        max = Math.max(max, conclusion.trials)
      }
    }
    worst.push(`${n}:${max}`)
  }
  t.comment(`interaction of two, worst trials by N: ${worst.join(' ')}`)
  const { conclusion } = drive(4, { leaks: [[1, 2]] })
  t.match(conclusion.culprits[0]!.evidence, /#1, #2\} leak together/)
})

t.test('a culprit and an interaction elsewhere: both found', async (t) => {
  const { conclusion } = drive(12, { leaks: [[3], [6, 10]] })
  t.equal(found(conclusion), '3 i:6+10')
})

t.test('an inconclusive trial is repeated once with double the budget', async (t) => {
  // The first try of the control is inconclusive, the repeat leaks.
  const { conclusion, log } = drive(8, { leaks: [[5]], override: (trial, attempt) => (trial.role === 'control' && attempt === 1 ? 'inconclusive' : undefined) })
  t.equal(found(conclusion), '5')
  t.same(log.slice(0, 2).map((l) => [l.role, l.budgetFactor]), [['control', 1], ['control', 2]])
  t.equal(conclusion.trials, oneCulpritBound(8) + 1, 'one trial more than the bound: the repeat')

  // Inconclusive twice: no leak, with a note.
  const twice = drive(8, { leaks: [[5]], override: (trial) => (trial.role === 'control' ? 'inconclusive' : undefined) })
  t.equal(twice.conclusion.outcome, 'no-leak')
  t.equal(twice.conclusion.trials, 2)
  t.match(twice.conclusion.notes.join('\n'), /inconclusive twice/)
})

t.test('plateau and flat are both "no leak"', async (t) => {
  const { conclusion } = drive(6, { leaks: [[4]], override: (trial) => (trial.groups.includes(4) ? undefined : trial.groups.includes(0) ? 'plateau' : 'flat') })
  t.equal(found(conclusion), '4')
})

t.test('deterministic: the same outcomes give the same trials (what --resume relies on)', async (t) => {
  const a = drive(12, { leaks: [[2], [9]] }).log
  const b = drive(12, { leaks: [[2], [9]] }).log
  t.same(a, b)
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
})

t.test('expected trials left: starts at the one-culprit bound', async (t) => {
  const plan = new BisectPlan(12)
  t.equal(plan.expectedLeft, oneCulpritBound(12))
  t.throws(() => new BisectPlan(0))
})

t.test('a trial that grows by a sliver of the control\'s leak is taken as no leak', async (t) => {
  // Group 1 "leaks" 3% of what group 5 does: a runtime warming up, say.
  const plan = new BisectPlan(8)
  for (let step = plan.next(); step.kind === 'trial'; step = plan.next()) {
    const g = step.trial.groups
    const v = (g.includes(5) ? 1000 / g.length : 0) + (g.includes(1) ? 30 / g.length : 0)
    plan.record(v > 0 ? { verdict: 'leak', perRequest: { value: v, low: v * 0.9, high: v * 1.1, level: 0.95 } } : { verdict: 'flat' })
  }
  const step = plan.next()
  if (step.kind !== 'done') throw new Error('not done')
  t.equal(found(step.conclusion), '5')
  t.match(step.conclusion.notes.join('\n'), /grew, but by 3% of what the control grew per request of theirs: not the control's leak/)
})
