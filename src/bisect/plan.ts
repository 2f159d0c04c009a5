/**
 * The bisect search as a pure state machine: it asks for trials (sets of groups) and is told their
 * verdicts; no I/O, no clock. `bisect.ts` runs the trials; the tests drive it with fake verdicts.
 *
 * The search, for N groups:
 *
 * 1. **Control**: the whole list. No leak: stop ("no leak reproduced").
 * 2. **Descent**: in a set S known to leak, test its first half A (⌈|S|/2⌉ groups). A leaks: go into
 *    A, and keep the other half B *untested* for later. A doesn't: the leak is in B — go into B
 *    without testing it (inferred). One trial per level: ⌈log₂ N⌉ levels to one group.
 * 3. **Verify**: a group reached by inference is tested alone. If it doesn't leak on its own, the
 *    leak needs groups together (an interaction): QuickXplain (Junker 2004) narrows the last set
 *    known to leak to a minimal set of groups that leaks, testing unions of its parts.
 * 4. **Rest**: if halves were left untested, the whole list without the culprits found is tested;
 *    if it still leaks, the search goes on among the untested groups (a second culprit), else it
 *    ends. When every other group was in some trial that did not leak, there is no rest trial.
 *    When a verified culprit accounts for the growth of the set it was found in (its growth per
 *    request × its share of that set's requests ≥ 2/3 of the set's growth per request), the rest
 *    trial is skipped too: that is what keeps one culprit within ⌈log₂ N⌉ + 2 trials.
 *
 * A trial that leaks by less than a tenth of the control's growth (its growth per request × its
 * share of the control's requests) is taken as no leak: a fresh runtime warming up, not the leak.
 *
 * Trials for one culprit, none inconclusive: control + ⌈log₂ N⌉ descent + 1 (verify or rest)
 * = at most ⌈log₂ N⌉ + 2 — when the culprit was reached by inference *and* halves were left
 * untested, the growth check replaces the rest trial; if growth figures are missing or say
 * something else leaks too, the rest trial runs (⌈log₂ N⌉ + 3). An inconclusive trial is
 * repeated once with double the budget (one more trial); inconclusive twice counts as no leak.
 * Two culprits: at most 2⌈log₂ N⌉ + 4 (measured for N = 2..32 by test/bisect-plan.test.ts).
 * Assumptions (README): a set leaks if a part of it leaks alone (more endpoints never cure a
 * leak), and groups that each passed in trials without a leak don't leak together unless a trial
 * says so.
 */
import type { Estimate, SeriesVerdict } from '../analysis/types.js'

export type TrialRole = 'control' | 'half' | 'verify' | 'rest' | 'narrow'

/** A trial the plan wants run. */
export interface TrialRequest {
  /** Group indices, ascending. */
  groups: number[]
  role: TrialRole
  /** 1, or 2 for the repeat of an inconclusive trial. */
  budgetFactor: number
  /** The set this one was cut from (group indices), for the tree; absent for the control. */
  parent?: number[]
  /** What the trial asks, in a few words. */
  question: string
}

/** What a trial found: the run's verdict, and the deciding metric's growth per request. */
export interface TrialOutcome {
  verdict: SeriesVerdict
  perRequest?: Estimate
}

export type Decision = 'leak' | 'clean'

export interface Culprit {
  /** Group indices, ascending: one group, or several that leak only together. */
  groups: number[]
  kind: 'single' | 'interaction'
  /** How it was established, in words (group numbers as #i, replaced by names when reported). */
  evidence: string
}

export interface Conclusion {
  outcome: 'no-leak' | 'found'
  culprits: Culprit[]
  /** Notes on assumptions, skipped trials, twice-inconclusive trials. */
  notes: string[]
  /** Trials run (repeats included). */
  trials: number
}

export type NodeState = 'leak' | 'clean' | 'inferred' | 'untested'

/** A set of groups in the search tree: tested, inferred to leak, or left untested. */
export interface PlanNode {
  key: string
  groups: number[]
  parent?: string
  role: TrialRole | 'inferred' | 'untested'
  state: NodeState
}

export type PlanStep = { kind: 'trial'; trial: TrialRequest } | { kind: 'done'; conclusion: Conclusion }

/** A culprit explains the growth of a set when its share of it is at least this. */
export const EXPLAINED_SHARE = 2 / 3

/**
 * A trial that leaks, but whose growth would account for less than this share of the control's,
 * is not the leak being hunted (a runtime warming up, a small cache): taken as no leak, noted.
 */
export const MINOR_SHARE = 0.1

/** ⌈log₂ n⌉ + 2: the promised trial count for one culprit among n groups (control included). */
export function oneCulpritBound (n: number): number {
  return Math.ceil(Math.log2(Math.max(1, n))) + 2
}

export function setKey (groups: readonly number[]): string {
  return [...groups].sort((a, b) => a - b).join(',')
}

/** First half ⌈n/2⌉, second half ⌊n/2⌋. */
export function halves (set: readonly number[]): [number[], number[]] {
  const cut = Math.ceil(set.length / 2)
  return [set.slice(0, cut), set.slice(cut)]
}

interface Decided {
  decision: Decision
  outcome: TrialOutcome
}

export interface PlanOptions {
  /** Lines of the URL list per group: each group's share of a trial's requests. Default 1 each. */
  weights?: readonly number[]
}

/**
 * Drives the search: `next()` gives the trial to run (or the conclusion), `record()` its outcome.
 * Deterministic: the same outcomes give the same trials, which is how a bisect resumes.
 */
export class BisectPlan {
  readonly groupCount: number
  private readonly weights: readonly number[]
  private readonly decided = new Map<string, Decided>()
  private readonly nodeMap = new Map<string, PlanNode>()
  private readonly notes: string[] = []
  private readonly gen: Generator<TrialRequest, Conclusion, TrialOutcome>
  private step: PlanStep
  private trialsRun = 0
  /** Rough count of trials still to come, including the one asked for. */
  private left = 0

  constructor (groupCount: number, options: PlanOptions = {}) {
    if (!Number.isInteger(groupCount) || groupCount < 1) throw new Error(`bisect needs at least one group, got ${groupCount}`)
    this.groupCount = groupCount
    this.weights = options.weights ?? new Array<number>(groupCount).fill(1)
    if (this.weights.length !== groupCount) throw new Error('weights: one per group')
    this.gen = this.search()
    this.step = this.advance(this.gen.next())
  }

  /** The trial to run now, or the conclusion. */
  next (): PlanStep {
    return this.step
  }

  /** The outcome of the trial `next()` asked for. */
  record (outcome: TrialOutcome): PlanStep {
    if (this.step.kind !== 'trial') throw new Error('the bisect is over: no trial to record')
    this.trialsRun++
    this.step = this.advance(this.gen.next(outcome))
    return this.step
  }

  /** The sets looked at so far, in the order they came up. */
  get nodes (): PlanNode[] {
    return [...this.nodeMap.values()]
  }

  /** Trials recorded so far. */
  get trials (): number {
    return this.trialsRun
  }

  /** Trials still expected (the one asked for now included), if there is one culprit; 0 when done. */
  get expectedLeft (): number {
    return this.step.kind === 'done' ? 0 : Math.max(1, this.left)
  }

  /** The decision on a set, when it was tested. */
  decision (groups: readonly number[]): Decision | undefined {
    return this.decided.get(setKey(groups))?.decision
  }

  private advance (r: IteratorResult<TrialRequest, Conclusion>): PlanStep {
    return r.done ? { kind: 'done', conclusion: r.value } : { kind: 'trial', trial: r.value }
  }

  private node (groups: readonly number[], parent: readonly number[] | undefined, role: PlanNode['role'], state: NodeState): void {
    const key = setKey(groups)
    const existing = this.nodeMap.get(key)
    if (existing) {
      // A test outranks an inference, an inference outranks "untested".
      const rank = (s: NodeState): number => (s === 'untested' ? 0 : s === 'inferred' ? 1 : 2)
      if (rank(state) >= rank(existing.state)) existing.state = state
      if (existing.role === 'untested' || existing.role === 'inferred') existing.role = role
      return
    }
    this.nodeMap.set(key, { key, groups: [...groups].sort((a, b) => a - b), ...(parent ? { parent: setKey(parent) } : {}), role, state })
  }

  /** One question to the trials: cached, and repeated once with double the budget when inconclusive. */
  private * test (groups: number[], role: TrialRole, parent: number[] | undefined, question: string): Generator<TrialRequest, Decision, TrialOutcome> {
    const sorted = [...groups].sort((a, b) => a - b)
    const key = setKey(sorted)
    const known = this.decided.get(key)
    if (known) return known.decision
    this.node(sorted, parent, role, 'untested')
    const request: TrialRequest = { groups: sorted, role, budgetFactor: 1, ...(parent ? { parent: [...parent].sort((a, b) => a - b) } : {}), question }
    let outcome = yield request
    if (outcome.verdict === 'inconclusive') {
      this.left++
      outcome = yield { ...request, budgetFactor: 2, question: `${question} (again with double the budget: the first try was inconclusive)` }
      if (outcome.verdict === 'inconclusive') {
        this.notes.push(`the trial of ${this.names(sorted)} was inconclusive twice (also with double the budget): taken as no leak`)
      }
    }
    let decision: Decision = outcome.verdict === 'leak' ? 'leak' : 'clean'
    if (decision === 'leak' && role !== 'control') {
      const share = this.contribution(sorted, outcome)
      if (share !== undefined && share < MINOR_SHARE) {
        decision = 'clean'
        this.notes.push(`${this.names(sorted)} grew, but by ${share <= 0 ? 'nothing' : `${share < 0.01 ? '<1' : Math.round(share * 100)}%`} of what the control grew per request of theirs: not the control's leak, taken as no leak`)
      }
    }
    this.decided.set(key, { decision, outcome })
    this.node(sorted, parent, role, decision)
    return decision
  }

  private names (groups: readonly number[]): string {
    return groups.length === 1 ? `#${groups[0]}` : `{${groups.map((g) => `#${g}`).join(', ')}}`
  }

  private weight (groups: readonly number[]): number {
    return groups.reduce((sum, g) => sum + this.weights[g]!, 0)
  }

  /**
   * How much of the control's growth per request a trial's growth would account for: its growth
   * per request × its groups' share of the control's requests ÷ the control's.
   */
  private contribution (groups: readonly number[], outcome: TrialOutcome): number | undefined {
    const control = this.decided.get(setKey(Array.from({ length: this.groupCount }, (_, i) => i)))?.outcome.perRequest
    if (!control || !(control.value > 0) || !outcome.perRequest) return undefined
    return (outcome.perRequest.value * this.weight(groups)) / this.weight(Array.from({ length: this.groupCount }, (_, i) => i)) / control.value
  }

  /**
   * Whether the growth of `culprit` tested alone accounts for that of `whole` (a tested set that
   * contains it): growth per request alone × its share of `whole`'s requests, against `whole`'s.
   */
  explains (culprit: readonly number[], whole: readonly number[]): number | undefined {
    const c = this.decided.get(setKey(culprit))?.outcome.perRequest
    const w = this.decided.get(setKey(whole))?.outcome.perRequest
    if (!c || !w || !(w.value > 0) || !(c.value > 0)) return undefined
    return (c.value * this.weight(culprit)) / this.weight(whole) / w.value
  }

  private * search (): Generator<TrialRequest, Conclusion, TrialOutcome> {
    const n = this.groupCount
    const all = Array.from({ length: n }, (_, i) => i)
    const log2 = (k: number): number => Math.ceil(Math.log2(Math.max(1, k)))
    this.left = 1 + log2(n) + (n > 1 ? 1 : 0)
    const control = yield * this.test(all, 'control', undefined, 'does the whole list leak?')
    if (control === 'clean') return this.conclude('no-leak', [])

    const culprits: Culprit[] = []
    const excluded = new Set<number>()
    /** The last set tested to leak that the round searches in, and where the descent starts. */
    let known = all
    let start = all
    for (let round = 0; round < n; round++) {
      let S = start
      let lastLeak = known
      let inferred = setKey(start) !== setKey(known)
      if (inferred) this.node(start, known, 'inferred', 'inferred')
      const untested: number[] = []
      while (S.length > 1) {
        this.left = log2(S.length) + 1
        const [A, B] = halves(S)
        const d = yield * this.test(A, 'half', S, `is the leak in ${this.names(A)}?`)
        if (d === 'leak') {
          untested.push(...B)
          this.node(B, S, 'untested', 'untested')
          S = A
          lastLeak = A
          inferred = false
        } else {
          this.node(B, S, 'inferred', 'inferred')
          S = B
          inferred = true
        }
      }

      let found: Culprit
      let verifiedInferred = false
      if (inferred) {
        this.left = 1 + (untested.length ? 1 : 0)
        const v = yield * this.test(S, 'verify', S, `does ${this.names(S)} leak on its own?`)
        if (v === 'leak') {
          verifiedInferred = true
          found = { groups: S, kind: 'single', evidence: `${this.names(S)} leaks on its own` }
        } else {
          found = yield * this.narrow(lastLeak, S)
        }
      } else {
        found = { groups: S, kind: 'single', evidence: `${this.names(S)} leaks on its own` }
      }
      culprits.push(found)
      for (const g of found.groups) excluded.add(g)

      const rest = all.filter((g) => !excluded.has(g))
      const pool = untested.filter((g) => !excluded.has(g)).sort((a, b) => a - b)
      if (rest.length === 0) break
      if (found.kind === 'single' && pool.length === 0) {
        this.notes.push(`every group but ${this.names(found.groups)} was in a trial without a leak: no trial of the rest`)
        break
      }
      if (found.kind === 'single' && verifiedInferred) {
        const share = this.explains(found.groups, known)
        if (share !== undefined && share >= EXPLAINED_SHARE) {
          this.notes.push(`${this.names(found.groups)} accounts for ${Math.round(share * 100)}% of the growth of ${setKey(known) === setKey(all) ? 'the control' : this.names(known)}: the untested ${this.names(pool)} not tried on ${pool.length === 1 ? 'its' : 'their'} own`)
          break
        }
      }
      this.left = 1
      const r = yield * this.test(rest, 'rest', all, `does anything leak without ${this.names([...excluded].sort((a, b) => a - b))}?`)
      if (r === 'clean') break
      known = rest
      // Under the assumptions, what still leaks is among the groups never tested; if not, the
      // verify step finds out and narrows the rest.
      start = pool.length ? pool : rest
    }
    return this.conclude('found', culprits)
  }

  /**
   * The leak of `leaking` needs several groups: QuickXplain down to a minimal leaking set, then
   * that set tested as a whole (it usually was already).
   */
  private * narrow (leaking: number[], failed: number[]): Generator<TrialRequest, Culprit, TrialOutcome> {
    this.left = 2 * Math.ceil(Math.log2(Math.max(2, leaking.length))) + 1
    const minimal = (yield * this.quickXplain([], false, leaking, leaking)).sort((a, b) => a - b)
    const confirmed = yield * this.test(minimal, 'narrow', leaking, `do ${this.names(minimal)} leak together?`)
    if (confirmed === 'leak' && minimal.length === 1) {
      return { groups: minimal, kind: 'single', evidence: `${this.names(minimal)} leaks on its own (${this.names(failed)} did not)` }
    }
    if (confirmed === 'leak') {
      const alone = minimal.filter((g) => this.decision([g]) === 'clean')
      const aloneText = alone.length === minimal.length ? 'none of them leaks alone' : 'no smaller part of it leaked'
      return { groups: minimal, kind: 'interaction', evidence: `${this.names(minimal)} leak together and ${aloneText}` }
    }
    this.notes.push(`narrowing ${this.names(leaking)} gave ${this.names(minimal)}, which did not leak when tried: the trials disagree (noise?); the leak is reported as needing all of ${this.names(leaking)}`)
    return { groups: [...leaking].sort((a, b) => a - b), kind: 'interaction', evidence: `${this.names(leaking)} leaks; it could not be narrowed consistently` }
  }

  /**
   * QuickXplain: a minimal subset X of `candidates` such that background ∪ X leaks, given that
   * background ∪ candidates does. `delta`: background changed since it was last known to leak.
   */
  private * quickXplain (background: number[], delta: boolean, candidates: number[], parent: number[]): Generator<TrialRequest, number[], TrialOutcome> {
    if (delta && background.length > 0) {
      const d = yield * this.test(background, 'narrow', parent, `do ${this.names(background)} leak together?`)
      if (d === 'leak') return []
    }
    if (candidates.length === 1) return candidates
    const [c1, c2] = halves(candidates)
    const d2 = yield * this.quickXplain([...background, ...c1], c1.length > 0, c2, parent)
    const d1 = yield * this.quickXplain([...background, ...d2], d2.length > 0, c1, parent)
    return [...d1, ...d2]
  }

  private conclude (outcome: Conclusion['outcome'], culprits: Culprit[]): Conclusion {
    return { outcome, culprits, notes: [...this.notes], trials: this.trialsRun }
  }
}
