/**
 * The bisect search as a pure state machine: it asks for trials (sets of groups) and is told their
 * outcomes; no I/O, no clock. `bisect.ts` runs the trials; the tests drive it with fake outcomes.
 *
 * Every trial runs against a fresh process, so every trial carries the same warm-up growth (an
 * allocator filling its arenas, caches filling). Decisions are therefore made against a
 * **baseline**: a trial of one cheap group (`bisect.baseline`, else the group with the lowest
 * median latency in the control) that shows what "no leak" looks like for this app.
 *
 * A trial **leaks** when its verdict is `leak` (or still `inconclusive` after the runner extended
 * it), its growth per request is significantly above the baseline's (the interval of the
 * difference lies above zero), and that excess, weighted by the trial's share of the control's
 * requests, is at least `minorShare` (10%) of the control's excess. `flat`, `plateau` and
 * `settling` never leak. A trial that grew but failed one of the tests is a **small effect**:
 * no culprit, but reported.
 *
 * The search, for N groups:
 *
 * 1. **Control**: the whole list. Not growing: stop ("no leak"). Called `leak`, it must be
 *    **confirmed**: the runner extends it until its rate holds significantly or it bends (a cache
 *    filling, a warm-up); one still growing whose rate never held by the longest length
 *    (`confirmed: false`, a leak or inconclusive) stops the search ("no leak confirmed") rather
 *    than chasing it. Then the **baseline** trial; the
 *    control must be significantly above it, else stop ("no leak": the control's growth is the
 *    warm-up every fresh process has). A baseline candidate that keeps growing (verdict leak or
 *    inconclusive: a cache filling, a leak) is replaced by the next cheapest, up to three; those
 *    that grew are judged like any other trial (a culprit, a small effect, or nothing).
 * 2. **Descent**: in a set S known to leak, test its first half A (⌈|S|/2⌉ groups). A leaks: go into
 *    A, keep the other half B untested for later — unless S was tested and its growth, less A's,
 *    leaves significantly more to B than A has: then B first (inferred), A kept for later. A
 *    doesn't leak: the leak is in B (inferred).
 * 3. **One group left**: tested alone on the way down, it is the culprit. Reached by inference from
 *    a pair that was itself tested and leaked, its effect is that pair's growth minus its sibling's
 *    (no trial). Reached by inference otherwise, it is verified alone; if it doesn't leak, the
 *    results contradict each other (a set leaks, none of its parts does): the leak needs groups
 *    together and QuickXplain (Junker 2004) narrows the last set known to leak to a minimal one.
 * 4. **Rest**: when the culprits found account for less than 2/3 of the control's excess, or what
 *    they leave unexplained is significantly more than `minorShare` (its interval lies above it: a
 *    second, smaller leak), the whole list without the culprits is tested; if it leaks, the search
 *    goes on among the untested groups.
 *
 * **A hard stop**: at most `maxTrials` trials (`trialCap(N)`); the runner may also stop it
 * (`halt`, for a time limit). Either way the conclusion says what is known: the culprits so far,
 * the small effects, and what to try next.
 *
 * Trial counts (measured for N = 1..32 by test/bisect-plan.test.ts): one culprit at most
 * ⌈log₂ N⌉ + 3 (control, baseline, descent, one verification), ⌈log₂ N⌉ + 2 unless N is more than
 * ¾ of the next power of two (`oneCulpritBound`); two culprits `twoCulpritBound(N)`.
 * Assumptions (docs/bisect.md, "Assumptions and limits"): a set leaks if a part of it leaks alone (more endpoints never cure a leak);
 * within a pair tried together, a leak of one group is not an interaction of the two.
 */
import type { Estimate, SeriesVerdict } from '../analysis/types.js'

/** A trial's verdict; `settling` (growth that slows down), like plateau and flat, is never a culprit. */
export type TrialVerdict = SeriesVerdict

export type TrialRole = 'control' | 'baseline' | 'half' | 'verify' | 'rest' | 'narrow'

/** A trial the plan wants run. */
export interface TrialRequest {
  /** Group indices, ascending. */
  groups: number[]
  role: TrialRole
  /** The set this one was cut from (group indices), for the tree; absent for the control. */
  parent?: number[]
  /** What the trial asks, in a few words (groups as #i). */
  question: string
}

/** What a trial found. */
export interface TrialOutcome {
  verdict: TrialVerdict
  /** Growth per request of the deciding metric, with its interval. */
  perRequest?: Estimate
  /** Groups of the trial from the cheapest up (lowest median latency): the control's picks the baseline. */
  cheapest?: number[]
  /**
   * For a growing control (leak or inconclusive): whether its rate held significantly (absent:
   * taken as confirmed). False when it neither held nor bent by the longest length the runner allows.
   */
  confirmed?: boolean
}

export type Decision = 'leak' | 'clean'

export interface Culprit {
  /** Group indices, ascending: one group, or several that leak only together. */
  groups: number[]
  kind: 'single' | 'interaction'
  /** How it was established, in words (group numbers as #i, replaced by names when reported). */
  evidence: string
  /** Growth per request of its own traffic beyond the baseline's. */
  excess?: Estimate
  /** `alone`: from its own trial; `by-difference`: a tested pair's growth minus its sibling's. */
  measured?: 'alone' | 'by-difference'
  /** What it adds per request of the control's mix: excess × its share of the control's requests. */
  contribution?: Estimate
  /** contribution ÷ the control's excess. */
  share?: Estimate
}

/** A set that grew but is no culprit: not above the baseline, or too small a part of the control's growth. */
export interface SmallEffect {
  groups: number[]
  verdict: TrialVerdict
  excess?: Estimate
  share?: number
  why: string
}

export interface Conclusion {
  /** `incomplete`: stopped by the trial cap or the runner (time) before the search ended. */
  outcome: 'no-leak' | 'found' | 'incomplete'
  /** Why it stopped early. */
  stopped?: string
  culprits: Culprit[]
  small: SmallEffect[]
  /** The baseline group, when a baseline trial ran. */
  baseline?: number
  /** The control's growth per request beyond the baseline's. */
  controlExcess?: Estimate
  /** Share of the control's excess the culprits don't account for. */
  unexplained?: Estimate
  /** Notes on assumptions, skipped trials, contradictions. */
  notes: string[]
  /** What to try next (when incomplete, contradictory, or growth is left unexplained). */
  next: string[]
  /** Trials run. */
  trials: number
}

export type NodeState = 'leak' | 'clean' | 'inferred' | 'untested'

/** What the search made of a tested set, and why, in words (groups as #i). */
export interface Judgement {
  decision: Decision
  why: string
}

/** A set of groups in the search tree: tested, inferred to leak, or left untested. */
export interface PlanNode {
  key: string
  groups: number[]
  parent?: string
  role: TrialRole | 'inferred' | 'untested'
  state: NodeState
}

export type PlanStep = { kind: 'trial'; trial: TrialRequest } | { kind: 'done'; conclusion: Conclusion }

/** Culprits that account for this share of the control's excess end the search without a rest trial. */
export const EXPLAINED_SHARE = 2 / 3

/** Baseline candidates tried at most, when the first ones keep growing. */
export const BASELINE_CANDIDATES = 3

/** Default: a trial's excess must account for at least this share of the control's to be a culprit. */
export const MINOR_SHARE = 0.1

const log2 = (k: number): number => Math.ceil(Math.log2(Math.max(1, k)))

/**
 * Most trials for one culprit among n groups (control and baseline included), as measured: the
 * descent is ⌈log₂ n⌉ trials, plus one verification when the culprit was inferred from a set that
 * was itself inferred — which costs a trial beyond ⌈log₂ n⌉ + 2 only when n is more than ¾ of the
 * next power of two (7–8, 13–16, 25–32 …): there the descent has no level to spare.
 */
export function oneCulpritBound (n: number): number {
  if (n <= 2) return n + 1
  return log2(n) + (n > 3 * 2 ** (log2(n) - 2) ? 3 : 2)
}

/**
 * Most trials for two culprits among n groups, as measured: the first search, the rest trial, and
 * a second descent without control and baseline — 2 × `oneCulpritBound(n)` − 1.
 */
export function twoCulpritBound (n: number): number {
  return n <= 1 ? 1 : 2 * oneCulpritBound(n) - 1
}

/**
 * The hard stop: room for two culprits and one trial to spare (a noisy decision that costs one
 * more) — 12 for 10 groups, 14 for 12 to 24. A search that needs more is chasing an interaction or
 * contradicting itself; more trials of the same length rarely settle that, an honest report does.
 */
export function trialCap (n: number): number {
  return twoCulpritBound(n) + 1
}

export function setKey (groups: readonly number[]): string {
  return [...groups].sort((a, b) => a - b).join(',')
}

/** First half ⌈n/2⌉, second half ⌊n/2⌋. */
export function halves (set: readonly number[]): [number[], number[]] {
  const cut = Math.ceil(set.length / 2)
  return [set.slice(0, cut), set.slice(cut)]
}

/** a − b, the sides of the interval combined in quadrature. */
export function difference (a: Estimate, b: Estimate): Estimate {
  const value = a.value - b.value
  return {
    value,
    low: value - Math.hypot(a.value - a.low, b.high - b.value),
    high: value + Math.hypot(a.high - a.value, b.value - b.low),
    level: a.level
  }
}

/** a + b, the sides combined in quadrature. */
export function sum (a: Estimate, b: Estimate): Estimate {
  const value = a.value + b.value
  return { value, low: value - Math.hypot(a.value - a.low, b.value - b.low), high: value + Math.hypot(a.high - a.value, b.high - b.value), level: a.level }
}

/** k × a (a negative k swaps the ends). */
export function scale (a: Estimate, k: number): Estimate {
  const [low, high] = k >= 0 ? [a.low * k, a.high * k] : [a.high * k, a.low * k]
  return { value: a.value * k, low, high, level: a.level }
}

/** a ÷ b for b > 0, first-order propagation of both intervals. */
export function ratio (a: Estimate, b: Estimate): Estimate {
  const r = a.value / b.value
  return {
    value: r,
    low: r - Math.hypot((a.value - a.low) / b.value, (a.value * (b.high - b.value)) / (b.value * b.value)),
    high: r + Math.hypot((a.high - a.value) / b.value, (a.value * (b.value - b.low)) / (b.value * b.value)),
    level: a.level
  }
}

const ZERO: Estimate = { value: 0, low: 0, high: 0, level: 0.95 }
/** Verdicts that say memory was still growing at the end of the trial. */
const GROWING: ReadonlySet<TrialVerdict> = new Set(['leak', 'inconclusive'])

interface Decided extends Judgement {
  outcome: TrialOutcome
}

export interface PlanOptions {
  /** Lines of the URL list per group: each group's share of a trial's requests. Default 1 each. */
  weights?: readonly number[]
  /** The baseline group (bisect.baseline); default the control's cheapest. */
  baseline?: number
  /** The hard stop; default `trialCap(groups)`. */
  maxTrials?: number
  /** A culprit's excess must be at least this share of the control's; default MINOR_SHARE. */
  minorShare?: number
}

/** Thrown inside the search when the trial cap is reached: the search ends with what it knows. */
class OutOfTrials extends Error {
  constructor (readonly question: string) {
    super('out of trials')
  }
}

/**
 * Drives the search: `next()` gives the trial to run (or the conclusion), `record()` its outcome.
 * Deterministic: the same outcomes give the same trials, which is how a bisect resumes.
 */
export class BisectPlan {
  readonly groupCount: number
  readonly maxTrials: number
  readonly #weights: readonly number[]
  readonly #minorShare: number
  readonly #userBaseline?: number
  readonly #all: number[]
  readonly #decided = new Map<string, Decided>()
  readonly #nodeMap = new Map<string, PlanNode>()
  readonly #notes: string[] = []
  readonly #culprits: Culprit[] = []
  readonly #small: SmallEffect[] = []
  readonly #gen: Generator<TrialRequest, Conclusion, TrialOutcome>
  #step: PlanStep
  #trialsRun = 0
  #baselineGroup?: number
  #baselineRate?: Estimate
  #controlExcess?: Estimate
  /** Rough count of trials still to come, including the one asked for. */
  #left = 0

  constructor (groupCount: number, options: PlanOptions = {}) {
    if (!Number.isInteger(groupCount) || groupCount < 1) throw new Error(`bisect needs at least one group, got ${groupCount}`)
    this.groupCount = groupCount
    this.#all = Array.from({ length: groupCount }, (_, i) => i)
    this.#weights = options.weights ?? new Array<number>(groupCount).fill(1)
    if (this.#weights.length !== groupCount) throw new Error('weights: one per group')
    this.maxTrials = options.maxTrials ?? trialCap(groupCount)
    this.#minorShare = options.minorShare ?? MINOR_SHARE
    if (options.baseline !== undefined && !(options.baseline >= 0 && options.baseline < groupCount)) throw new Error(`baseline: no group ${options.baseline}`)
    this.#userBaseline = options.baseline
    this.#gen = this.#run()
    this.#step = this.#advance(this.#gen.next())
  }

  /** The trial to run now, or the conclusion. */
  next (): PlanStep {
    return this.#step
  }

  /** The outcome of the trial `next()` asked for. */
  record (outcome: TrialOutcome): PlanStep {
    if (this.#step.kind !== 'trial') throw new Error('the bisect is over: no trial to record')
    this.#trialsRun++
    this.#step = this.#advance(this.#gen.next(outcome))
    return this.#step
  }

  /** Ends the search now (a time limit): the conclusion says what is known. */
  halt (reason: string): Conclusion {
    if (this.#step.kind === 'done') return this.#step.conclusion
    const pending = this.#step.trial.question
    this.#gen.return(undefined as never)
    this.#step = { kind: 'done', conclusion: this.#conclude('incomplete', reason, pending) }
    return this.#step.conclusion
  }

  /** The sets looked at so far, in the order they came up. */
  get nodes (): PlanNode[] {
    return [...this.#nodeMap.values()]
  }

  /** Trials recorded so far. */
  get trials (): number {
    return this.#trialsRun
  }

  /** Trials still expected (the one asked for now included), if there is one culprit; 0 when done. */
  get expectedLeft (): number {
    return this.#step.kind === 'done' ? 0 : Math.max(1, Math.min(this.#left, this.maxTrials - this.#trialsRun))
  }

  /** The decision on a set, when it was tested. */
  decision (groups: readonly number[]): Decision | undefined {
    return this.#decided.get(setKey(groups))?.decision
  }

  /** The decision on a tested set and why (groups as #i), when it is known. */
  judgement (groups: readonly number[]): Judgement | undefined {
    const d = this.#decided.get(setKey(groups))
    return d && { decision: d.decision, why: d.why }
  }

  #advance (r: IteratorResult<TrialRequest, Conclusion>): PlanStep {
    return r.done ? { kind: 'done', conclusion: r.value } : { kind: 'trial', trial: r.value }
  }

  #node (groups: readonly number[], parent: readonly number[] | undefined, role: PlanNode['role'], state: NodeState): void {
    const key = setKey(groups)
    const existing = this.#nodeMap.get(key)
    if (existing) {
      // A test outranks an inference, an inference outranks "untested".
      const rank = (s: NodeState): number => (s === 'untested' ? 0 : s === 'inferred' ? 1 : 2)
      if (rank(state) >= rank(existing.state)) existing.state = state
      if (existing.role === 'untested' || existing.role === 'inferred') existing.role = role
      return
    }
    this.#nodeMap.set(key, { key, groups: [...groups].sort((a, b) => a - b), ...(parent ? { parent: setKey(parent) } : {}), role, state })
  }

  /** Asks for one trial (the cap permitting) and returns its outcome. */
  * #ask (groups: number[], role: TrialRole, parent: number[] | undefined, question: string): Generator<TrialRequest, TrialOutcome, TrialOutcome> {
    if (this.#trialsRun >= this.maxTrials) throw new OutOfTrials(question)
    this.#node(groups, parent, role, 'untested')
    return yield { groups, role, ...(parent ? { parent: [...parent].sort((a, b) => a - b) } : {}), question }
  }

  /** One question to the trials, cached: the same set is never tried twice. */
  * #test (groups: number[], role: TrialRole, parent: number[] | undefined, question: string): Generator<TrialRequest, Decision, TrialOutcome> {
    const sorted = [...groups].sort((a, b) => a - b)
    const key = setKey(sorted)
    const known = this.#decided.get(key)
    if (known) return known.decision
    const outcome = yield * this.#ask(sorted, role, parent, question)
    const judged = this.#judge(sorted, outcome)
    this.#decided.set(key, { ...judged, outcome })
    this.#node(sorted, parent, role, judged.decision)
    return judged.decision
  }

  #names (groups: readonly number[]): string {
    return groups.length === 1 ? `#${groups[0]}` : `{${groups.map((g) => `#${g}`).join(', ')}}`
  }

  #weight (groups: readonly number[]): number {
    return groups.reduce((s, g) => s + this.#weights[g]!, 0)
  }

  /** Growth per request of a tested set beyond the baseline's. */
  #excessOf (groups: readonly number[]): Estimate | undefined {
    const rate = this.#decided.get(setKey(groups))?.outcome.perRequest
    return rate && excess(rate, this.#baselineRate)
  }

  /** What an excess of `groups`' own traffic adds per request of the control's mix. */
  #contributionOf (groups: readonly number[], e: Estimate): Estimate {
    return scale(e, this.#weight(groups) / this.#weight(this.#all))
  }

  /** Leak or not, against the baseline and the control (see the top of the file). */
  #judge (groups: number[], outcome: TrialOutcome): Judgement {
    const v = outcome.verdict
    if (!GROWING.has(v)) return { decision: 'clean', why: `${v}: not growing at the end of the trial` }
    const rate = outcome.perRequest
    // Without growth figures only the verdict can decide.
    if (!rate || !this.#controlExcess) return v === 'leak' ? { decision: 'leak', why: 'leak (no growth figures to compare)' } : { decision: 'clean', why: 'inconclusive, and no growth figures to compare' }
    const e = excess(rate, this.#baselineRate)
    const share = this.#contributionOf(groups, e).value / this.#controlExcess.value
    if (e.low <= 0) {
      // Growth like the baseline's is the warm-up, not an effect; a positive one that can't be told from it is noted.
      const why = 'not significantly above the baseline'
      if (e.value > 0) this.#small.push({ groups, verdict: v, excess: e, share, why })
      return { decision: 'clean', why: `${v}, but ${why}: the warm-up every fresh process has` }
    }
    if (share < this.#minorShare) {
      const why = `under ${Math.round(this.#minorShare * 100)}% of the control's growth`
      this.#small.push({ groups, verdict: v, excess: e, share, why })
      return { decision: 'clean', why: `${v}, significantly above the baseline, but ${why}` }
    }
    return { decision: 'leak', why: `${v}, significantly above the baseline: ${Math.round(share * 100)}% of the control's growth` }
  }

  * #run (): Generator<TrialRequest, Conclusion, TrialOutcome> {
    try {
      return yield * this.#search()
    } catch (err) {
      if (err instanceof OutOfTrials) return this.#conclude('incomplete', `the cap of ${this.maxTrials} trials was reached`, err.question)
      throw err
    }
  }

  * #search (): Generator<TrialRequest, Conclusion, TrialOutcome> {
    const n = this.groupCount
    const all = this.#all
    this.#left = oneCulpritBound(n)
    const control = yield * this.#ask(all, 'control', undefined, 'does the whole list leak?')
    if (!GROWING.has(control.verdict)) {
      this.#decided.set(setKey(all), { ...this.#judge(all, control), outcome: control })
      this.#node(all, undefined, 'control', 'clean')
      return this.#conclude('no-leak')
    }
    if (control.confirmed === false) {
      // A cache filling or a long warm-up looks like a leak until it bends: chasing it costs a
      // dozen trials that no part reproduces, so an unconfirmed control ends the search.
      const why = `${control.verdict}, and its rate neither held significantly nor bent by the end of the trial: not confirmed`
      this.#decided.set(setKey(all), { decision: 'clean', why, outcome: control })
      this.#node(all, undefined, 'control', 'clean')
      this.#notes.push(`the control grew (${control.verdict}), but its rate neither held significantly nor bent by the end of the trial (a cache filling or a long warm-up looks the same at first): no leak confirmed, no descent`)
      return this.#conclude('no-leak')
    }
    if (n === 1) {
      const leaks = control.verdict === 'leak'
      this.#decided.set(setKey(all), { ...this.#judge(all, control), outcome: control })
      this.#node(all, undefined, 'control', leaks ? 'leak' : 'clean')
      if (!leaks) return this.#conclude('no-leak')
      this.#culprits.push({ groups: all, kind: 'single', evidence: `${this.#names(all)} leaks (the only group: no baseline)`, measured: 'alone', ...(control.perRequest ? { excess: control.perRequest } : {}) })
      return this.#conclude('found')
    }

    if (!control.perRequest) {
      // Without growth figures there is nothing to compare with a baseline: the verdicts decide.
      this.#decided.set(setKey(all), { ...this.#judge(all, control), outcome: control })
      this.#node(all, undefined, 'control', control.verdict === 'leak' ? 'leak' : 'clean')
      if (control.verdict !== 'leak') return this.#conclude('no-leak')
      return yield * this.#descend()
    }
    // The baseline: the named group, else the control's cheapest. A candidate that keeps growing
    // (a cache filling, a leak) is no picture of "no leak": the next one is tried, up to three;
    // the candidates that grew are then judged like any other trial.
    const order = [...new Set([...(this.#userBaseline !== undefined ? [this.#userBaseline] : []), ...(control.cheapest ?? []), ...all])]
    const tried: Array<{ group: number; outcome: TrialOutcome }> = []
    for (const b of order.slice(0, BASELINE_CANDIDATES)) {
      const outcome = yield * this.#ask([b], 'baseline', all, `what does ${this.#names([b])} alone grow (the baseline: no leak)?`)
      tried.push({ group: b, outcome })
      if (!GROWING.has(outcome.verdict)) break
    }
    const rateOf = (o: TrialOutcome): number => o.perRequest?.value ?? (GROWING.has(o.verdict) ? Infinity : 0)
    const steady = tried.find((c) => !GROWING.has(c.outcome.verdict))
    const chosen = steady ?? tried.reduce((a, b) => (rateOf(b.outcome) < rateOf(a.outcome) ? b : a))
    if (!steady) this.#notes.push(`every baseline candidate kept growing (${tried.map((c) => this.#names([c.group])).join(', ')}): the slowest, ${this.#names([chosen.group])}, is the baseline`)
    const rate = chosen.outcome.perRequest ?? ZERO
    this.#baselineGroup = chosen.group
    this.#baselineRate = rate
    const accepted = steady
      ? `the baseline: ${chosen.outcome.verdict}, it did not keep growing, so its growth is what a fresh process does without a leak`
      : 'the baseline: every candidate kept growing, and this one grew slowest'
    this.#decided.set(setKey([chosen.group]), { decision: 'clean', why: accepted, outcome: chosen.outcome })
    this.#node([chosen.group], all, 'baseline', 'clean')
    const e = excess(control.perRequest, rate)
    if (e.value > 0) this.#controlExcess = e
    if (e.low <= 0) {
      const why = `the control grew ${e.value <= 0 ? 'no more than' : 'not significantly more than'} the baseline ${this.#names([chosen.group])}: the warm-up every fresh process has, not a leak`
      this.#decided.set(setKey(all), { decision: 'clean', why: `${control.verdict}, but ${why.replace('the control ', '')}`, outcome: control })
      this.#node(all, undefined, 'control', 'clean')
      this.#notes.push(why)
      return this.#conclude('no-leak')
    }
    this.#decided.set(setKey(all), { decision: 'leak', why: `${control.verdict}, significantly above the baseline ${this.#names([chosen.group])}`, outcome: control })
    this.#node(all, undefined, 'control', 'leak')
    for (const c of tried) {
      if (c === chosen) continue
      const judged = this.#judge([c.group], c.outcome)
      const decision = judged.decision
      this.#decided.set(setKey([c.group]), { decision, why: `a baseline candidate that kept growing: ${judged.why}`, outcome: c.outcome })
      this.#node([c.group], all, 'baseline', decision)
      if (decision === 'leak') {
        const found: Culprit = { groups: [c.group], kind: 'single', evidence: `${this.#names([c.group])}, tried as the baseline, leaks on its own` }
        this.#measure(found)
        this.#culprits.push(found)
      }
    }
    return yield * this.#descend()
  }

  /** Steps 2–4, once the control is known to leak. */
  * #descend (): Generator<TrialRequest, Conclusion, TrialOutcome> {
    const n = this.groupCount
    const all = this.#all
    const excluded = new Set<number>(this.#culprits.flatMap((c) => c.groups))
    /** The last set tested to leak that the round searches in, and where the descent starts. */
    let known = all
    let start = all
    if (excluded.size > 0) {
      const more = yield * this.#restStep(excluded, all)
      if (!more) return this.#conclude('found')
      known = more
      start = more
    }
    for (let round = 0; round < n; round++) {
      let S = start
      let lastLeak = known
      let inferred = setKey(start) !== setKey(known)
      if (inferred) this.#node(start, known, 'inferred', 'inferred')
      /** The tested-clean halves since lastLeak: S = lastLeak minus these. */
      let cleanSince: number[][] = []
      const untested: number[] = []
      while (S.length > 1) {
        this.#left = log2(S.length) + 1
        const [A, B] = halves(S)
        const d = yield * this.#test(A, 'half', S, `is the leak in ${this.#names(A)}?`)
        if (d === 'leak' && !inferred && this.#otherHalfHoldsMore(S, A)) {
          this.#notes.push(`${this.#names(A)} grew, but ${this.#names(S)} grew more than that accounts for: the rest of it, ${this.#names(B)}, was searched first`)
          untested.push(...A)
          this.#node(B, S, 'inferred', 'inferred')
          S = B
          inferred = true
        } else if (d === 'leak') {
          untested.push(...B)
          this.#node(B, S, 'untested', 'untested')
          S = A
          lastLeak = A
          cleanSince = []
          inferred = false
        } else {
          this.#node(B, S, 'inferred', 'inferred')
          S = B
          cleanSince.push(A)
          inferred = true
        }
      }

      let found: Culprit
      const byDifference = inferred && cleanSince.length === 1 && lastLeak.length === 2 ? this.#byDifference(S, lastLeak, cleanSince[0]!) : undefined
      if (byDifference) {
        found = byDifference
      } else if (inferred) {
        this.#left = 1 + (untested.length ? 1 : 0)
        const v = yield * this.#test(S, 'verify', S, `does ${this.#names(S)} leak on its own?`)
        if (v === 'leak') {
          found = { groups: S, kind: 'single', evidence: `${this.#names(S)} leaks on its own` }
        } else {
          const parts = [...cleanSince, S].map((c) => this.#names(c))
          this.#notes.push(`the trials contradict each other: ${this.#names(lastLeak)} leaks, but ${parts.length === 1 ? `${parts[0]} does not` : `neither ${parts.join(' nor ')} does`}: the leak seems to need several groups together`)
          found = yield * this.#narrow(lastLeak, S)
        }
      } else {
        found = { groups: S, kind: 'single', evidence: `${this.#names(S)} leaks on its own` }
      }
      this.#measure(found)
      this.#culprits.push(found)
      for (const g of found.groups) excluded.add(g)

      const pool = untested.filter((g) => !excluded.has(g)).sort((a, b) => a - b)
      if (found.kind === 'single' && pool.length === 0) {
        if (excluded.size < n) this.#notes.push(`every group but ${this.#names([...excluded].sort((a, b) => a - b))} was in a trial without a leak: no trial of the rest`)
        break
      }
      const rest = yield * this.#restStep(excluded, all)
      if (!rest) break
      known = rest
      // Under the assumptions, what still leaks is among the groups never tested; if not, the
      // verify step finds out and narrows the rest.
      start = pool.length ? pool : rest
    }
    return this.#conclude('found')
  }

  /**
   * Whether the untested half of S holds more of S's growth than the half A that leaked: S's excess
   * in requests of its own mix, less A's, is B's; B holds more when that is significantly more
   * than A's. A cache that fills over exactly one trial makes a half look like a leak that none
   * of its parts is; the difference sends the search where most of the growth is.
   */
  #otherHalfHoldsMore (S: readonly number[], A: readonly number[]): boolean {
    const eS = this.#excessOf(S)
    const eA = this.#excessOf(A)
    if (!eS || !eA) return false
    return difference(scale(eS, this.#weight(S)), scale(eA, 2 * this.#weight(A))).low > 0
  }

  /**
   * After culprits were found: ends the search (undefined) when they account for most of the
   * control's growth and what they leave may be under `minorShare`, or when the rest does not
   * leak; else returns the rest, known to leak.
   */
  * #restStep (excluded: ReadonlySet<number>, all: number[]): Generator<TrialRequest, number[] | undefined, TrialOutcome> {
    const rest = all.filter((g) => !excluded.has(g))
    if (rest.length === 0) return undefined
    const explained = this.#explainedShare()
    // A second leak a few times smaller than the first leaves a share that is clearly there
    // although the culprits explain most of the growth: its interval, not its size, decides.
    if (explained !== undefined && explained.value >= EXPLAINED_SHARE && 1 - explained.high <= this.#minorShare) {
      const alone = rest.filter((g) => this.#decided.has(setKey([g])))
      const triedAlone = alone.length ? `; ${this.#names(alone)} ${alone.length === 1 ? 'was' : 'were'} tried alone` : ''
      this.#notes.push(`the culprits account for ${Math.round(explained.value * 100)}% of the control's growth, and the rest may be under ${Math.round(this.#minorShare * 100)}% of it: the rest (${this.#names(rest)}) not tried as a whole${triedAlone}`)
      return undefined
    }
    this.#left = 1
    const r = yield * this.#test(rest, 'rest', all, `does anything leak without ${this.#names([...excluded].sort((a, b) => a - b))}?`)
    return r === 'leak' ? rest : undefined
  }

  /**
   * The single group left of a tested leaking pair whose other group was tested clean: its effect
   * is the pair's excess minus its sibling's, when that is clearly above zero and worth naming.
   */
  #byDifference (group: number[], pair: number[], sibling: number[]): Culprit | undefined {
    const p = this.#excessOf(pair)
    const s = this.#excessOf(sibling)
    if (!p || !s || !this.#controlExcess) return undefined
    const e = scale(difference(scale(p, this.#weight(pair)), scale(s, this.#weight(sibling))), 1 / this.#weight(group))
    if (e.low <= 0 || this.#contributionOf(group, e).value / this.#controlExcess.value < this.#minorShare) return undefined
    return { groups: group, kind: 'single', evidence: `${this.#names(pair)} leaks and ${this.#names(sibling)} does not: ${this.#names(group)} leaks (not tried alone)`, excess: e, measured: 'by-difference' }
  }

  /** Fills in a culprit's excess (from its own trial, unless measured otherwise), contribution and share. */
  #measure (c: Culprit): void {
    if (!c.excess) {
      const e = this.#excessOf(c.groups)
      if (e) {
        c.excess = e
        c.measured = 'alone'
      }
    }
    if (!c.excess) return
    c.contribution = this.#contributionOf(c.groups, c.excess)
    if (this.#controlExcess) c.share = ratio(c.contribution, this.#controlExcess)
  }

  /** Share of the control's excess the culprits account for together. */
  #explainedShare (): Estimate | undefined {
    if (!this.#controlExcess || this.#culprits.length === 0 || this.#culprits.some((c) => !c.contribution)) return undefined
    const total = this.#culprits.map((c) => c.contribution!).reduce(sum)
    return ratio(total, this.#controlExcess)
  }

  /**
   * The leak of `leaking` needs several groups: QuickXplain down to a minimal leaking set, then
   * that set tested as a whole (it usually was already).
   */
  * #narrow (leaking: number[], failed: number[]): Generator<TrialRequest, Culprit, TrialOutcome> {
    this.#left = 2 * log2(Math.max(2, leaking.length)) + 1
    const minimal = (yield * this.#quickXplain([], false, leaking, leaking)).sort((a, b) => a - b)
    const confirmed = yield * this.#test(minimal, 'narrow', leaking, `do ${this.#names(minimal)} leak together?`)
    if (confirmed === 'leak' && minimal.length === 1) {
      return { groups: minimal, kind: 'single', evidence: `${this.#names(minimal)} leaks on its own (${this.#names(failed)} did not)` }
    }
    if (confirmed === 'leak') {
      const alone = minimal.filter((g) => this.decision([g]) === 'clean')
      const aloneText = alone.length === minimal.length ? 'none of them leaks alone' : 'no smaller part of it leaked'
      return { groups: minimal, kind: 'interaction', evidence: `${this.#names(minimal)} leak together and ${aloneText}` }
    }
    this.#notes.push(`narrowing ${this.#names(leaking)} gave ${this.#names(minimal)}, which did not leak when tried: the trials disagree (noise?); the leak is reported as needing all of ${this.#names(leaking)}`)
    return { groups: [...leaking].sort((a, b) => a - b), kind: 'interaction', evidence: `${this.#names(leaking)} leaks; it could not be narrowed consistently` }
  }

  /**
   * QuickXplain: a minimal subset X of `candidates` such that background ∪ X leaks, given that
   * background ∪ candidates does. `delta`: background changed since it was last known to leak.
   */
  * #quickXplain (background: number[], delta: boolean, candidates: number[], parent: number[]): Generator<TrialRequest, number[], TrialOutcome> {
    if (delta && background.length > 0) {
      const d = yield * this.#test(background, 'narrow', parent, `do ${this.#names(background)} leak together?`)
      if (d === 'leak') return []
    }
    if (candidates.length === 1) return candidates
    const [c1, c2] = halves(candidates)
    const d2 = yield * this.#quickXplain([...background, ...c1], c1.length > 0, c2, parent)
    const d1 = yield * this.#quickXplain([...background, ...d2], d2.length > 0, c1, parent)
    return [...d1, ...d2]
  }

  #conclude (outcome: Conclusion['outcome'], stopped?: string, pending?: string): Conclusion {
    const culprits = this.#culprits.map((c) => ({ ...c, groups: [...c.groups] }))
    const named = new Set(culprits.flatMap((c) => c.groups.map(String)))
    // A set that contains a culprit grew because of it: only sets clear of culprits are small effects.
    const small = this.#small.filter((s) => !s.groups.some((g) => named.has(String(g))))
    const explained = this.#explainedShare()
    const unexplained = explained && { value: 1 - explained.value, low: 1 - explained.high, high: 1 - explained.low, level: explained.level }
    const next: string[] = []
    const contradiction = this.#notes.some((n) => n.startsWith('the trials contradict each other'))
    if (outcome === 'incomplete') {
      // The smallest set seen leaking holds the leak, whatever the rest of the search would have said.
      const leaking = [...this.#decided.entries()].filter(([k, d]) => d.decision === 'leak' && k !== setKey(this.#all) && !culprits.some((c) => setKey(c.groups) === k))
      const smallest = leaking.map(([k]) => k.split(',').map(Number)).sort((a, b) => a.length - b.length)[0]
      if (smallest) next.push(`the smallest set seen leaking is ${this.#names(smallest)}: bisect it on its own (bisect.groups), with longer trials`)
      if (contradiction) next.push('the leak seems to need several groups together: name them as one group (bisect.groups) and bisect again, or try the suspects together')
      if (pending) next.push(`the next question was: ${pending}`)
    }
    // A group tried alone that did not grow, or the baseline, is no suspect of a small effect it was part of.
    const cleared = (g: number): boolean => g === this.#baselineGroup || (this.#decided.has(setKey([g])) && !GROWING.has(this.#decided.get(setKey([g]))!.outcome.verdict))
    const suspects = [...new Set(small.flatMap((s) => s.groups))].filter((g) => !cleared(g)).sort((a, b) => a - b)
    if (suspects.length > 0) next.push(`try ${this.#names(suspects)} alone with longer trials (--trial-requests ×4) to tell a slow leak from warm-up`)
    if (outcome !== 'no-leak' && unexplained && unexplained.low > 1 - EXPLAINED_SHARE) next.push(`${Math.round(unexplained.value * 100)}% of the control's growth is not explained by the culprits: bisect again without them`)
    return {
      outcome,
      ...(stopped ? { stopped } : {}),
      culprits,
      small,
      ...(this.#baselineGroup !== undefined ? { baseline: this.#baselineGroup } : {}),
      ...(this.#controlExcess ? { controlExcess: this.#controlExcess } : {}),
      ...(unexplained ? { unexplained } : {}),
      notes: [...this.#notes],
      next,
      trials: this.#trialsRun
    }
  }
}

/** Growth beyond the baseline's: the difference when there is a baseline, else the growth itself. */
function excess (rate: Estimate, baseline: Estimate | undefined): Estimate {
  return baseline ? difference(rate, baseline) : rate
}
