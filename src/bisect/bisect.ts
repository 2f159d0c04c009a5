/**
 * A bisect from start to end: the plan (plan.ts) asks for trials, this runs them (trial.ts), one
 * at a time, each against a fresh target, and keeps bisect.json (state.ts) and bisect.html up to
 * date after every trial. On resume, trials already done are fed to the plan from bisect.json
 * instead of being run again: the plan is deterministic, so it asks for the same ones.
 */
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Estimate, RunVerdict, SegmentVerdict } from '../analysis/types.js'
import type { RunProgress } from '../report/progress-line.js'
import type { EndpointSummary } from '../recorder/summary-json.js'
import type { Scenario } from '../scenario/types.js'
import { writeBisectHtml } from './bisect-html.js'
import { describeGroups, groupWeights, matchesEndpoint, type EndpointGroup } from './groups.js'
import { BisectPlan, MINOR_SHARE, oneCulpritBound, scale, trialCap, twoCulpritBound, type Conclusion, type TrialOutcome, type TrialRequest, type TrialRole } from './plan.js'
import {
  BISECT_SCHEMA_VERSION, budgetLabel, buildTree, groupsRecord, scaleBudget, trialKey, writeBisectDocument,
  type BisectCulpritRecord, type BisectDocument, type BisectResult, type BisectTrialRecord, type TrialBudget
} from './state.js'
import { percentWithInterval } from './format.js'
import { formatCount, formatEstimate, formatSigned } from '../units/format.js'
import { unitOf, type Unit } from '../columns/index.js'
import { restartTarget } from '../target/restart.js'
import { redactText, scenarioSecrets } from '../recorder/redact.js'
import { startTrial, trialScenario, type TrialHandle } from './trial.js'
import { extensionFactors } from '../run/extension.js'
import { untilConclusive } from '../analysis/decision.js'
import { controlDecision, decidingMetric, leakConfirmed } from './confirm.js'
import { ConfigError } from '../errors.js'

export type BisectEvent =
  | { type: 'start'; doc: BisectDocument; dir: string; resumed: boolean }
  /** A trial found done in bisect.json (on resume): not run again. */
  | { type: 'trial-skipped'; trial: BisectTrialRecord }
  | { type: 'trial-started'; trial: BisectTrialRecord; expectedLeft: number }
  /** An undecided trial runs on to `factor` × its first length; `reason` says why. */
  | { type: 'trial-extended'; trial: BisectTrialRecord; factor: number; reason: string }
  | { type: 'trial-done'; trial: BisectTrialRecord; expectedLeft: number }
  | { type: 'restarting'; trial: BisectTrialRecord; command: string }
  | { type: 'done'; doc: BisectDocument }

export interface BisectOptions {
  scenario: Scenario
  groups: EndpointGroup[]
  budget: TrialBudget
  /** The bisect folder, created. */
  dir: string
  /** bisect.json of an earlier, unfinished bisect of the same scenario (--resume). */
  resume?: BisectDocument
  /** The longest a trial may run, as a multiple of its first length; default 4. */
  maxExtension?: number
  /** No trial starts, and none is extended, after this many seconds of trials (--max-time). */
  maxTimeS?: number
  warn: (message: string) => void
  onEvent?: (event: BisectEvent) => void
  onTrialProgress?: (progress: RunProgress) => void
}

export interface BisectHandle {
  readonly dir: string
  /** The final document: status done, interrupted or failed (a failure also rejects, after writing it). */
  readonly done: Promise<BisectDocument>
  /** Stops the trial under way (its partial run is kept, marked interrupted) and ends the bisect, resumable. */
  interrupt (): void
}

export const DEFAULT_MAX_EXTENSION = 4

/**
 * Where a trial's verdict is looked at: `factors`, from the longest length the control and
 * baseline trials before it reached. Every trial is compared with the baseline, and the baseline
 * with the control, by growth per request; over a fresh process's warm-up that figure falls as
 * the run gets longer (the same warm-up spread over more requests), so a baseline of 4,000
 * requests subtracted from a control extended to 8,000 takes away more warm-up than the control
 * holds, and hides a leak. The control sets the length; nothing compared with it runs shorter.
 * (A trial that extends beyond the baseline is compared with a baseline measured over fewer
 * requests: its excess is then, if anything, too small.)
 */
export function matchedFactors (factors: readonly number[], role: TrialRole, trials: readonly BisectTrialRecord[]): number[] {
  if (role === 'control') return [...factors]
  const reached = Math.max(1, ...trials.filter((t) => t.status === 'done' && (t.role === 'control' || t.role === 'baseline')).map((t) => t.extended ?? 1))
  const from = factors.filter((f) => f >= reached)
  return from.length ? from : [factors.at(-1)!]
}

// where the trials' looks are: the loop runs and trials share (src/run/extension.ts)
export { extensionFactors } from '../run/extension.js'

export function startBisect (options: BisectOptions): BisectHandle {
  const { scenario, groups, dir } = options
  const known = scenarioSecrets(scenario)
  let interrupted = false
  let current: TrialHandle | undefined
  const done = run()

  async function run (): Promise<BisectDocument> {
    const names = groups.map((g) => g.name)
    const now = new Date().toISOString()
    const doc: BisectDocument = options.resume ?? {
      schemaVersion: BISECT_SCHEMA_VERSION,
      kind: 'memsiege-bisect',
      name: scenario.name,
      scenario: scenario.file ?? '',
      started_at: now,
      updated_at: now,
      status: 'running',
      concurrency: scenario.concurrency,
      budget: options.budget,
      limits: {
        trials: trialCap(groups.length),
        extension: options.maxExtension ?? DEFAULT_MAX_EXTENSION,
        min_share: scenario.bisect?.minShare ?? MINOR_SHARE,
        ...(options.maxTimeS !== undefined ? { time_s: options.maxTimeS } : {})
      },
      ...(scenario.bisect?.baseline !== undefined ? { baseline: scenario.bisect.baseline } : {}),
      // for the record only, without secrets: the commands run are the scenario's
      restart: scenario.target.restart !== undefined
        ? { kind: 'restart', command: redactText(scenario.target.restart, known), port: scenario.target.port! }
        : { kind: 'command', command: redactText(scenario.target.command ?? '', known) },
      groups: groupsRecord(groups),
      trials: []
    }
    doc.status = 'running'
    delete doc.ended_at
    delete doc.error
    // Trials stopped half-way are history: kept in the list, run again.
    for (const t of doc.trials) if (t.status === 'running') t.status = 'interrupted'
    const doneByKey = new Map<string, BisectTrialRecord>()
    for (const t of doc.trials) if (t.status === 'done') doneByKey.set(t.key, t)

    const baseline = doc.baseline !== undefined ? baselineGroup(groups, doc.baseline) : undefined
    const plan = new BisectPlan(groups.length, { weights: groupWeights(groups), maxTrials: doc.limits.trials, minorShare: doc.limits.min_share, ...(baseline !== undefined ? { baseline } : {}) })
    const factors = extensionFactors(doc.limits.extension)
    /** Seconds of trials so far (this session's and earlier ones'), for --max-time. */
    const spent = (): number => doc.trials.reduce((s, t) => s + ((t.ended_at ? Date.parse(t.ended_at) : Date.now()) - Date.parse(t.started_at)) / 1000, 0)
    /** What the search made of a trial, in the card's words (set once the plan has decided it). */
    const judge = (t: BisectTrialRecord): void => {
      const judged = t.status === 'done' ? plan.judgement(t.groups.map((g) => names.indexOf(g))) : undefined
      if (!judged) return
      t.decision = judged.decision
      t.why = rename(judged.why, names)
    }
    const timeUp = (): boolean => doc.limits.time_s !== undefined && spent() >= doc.limits.time_s
    const save = (): void => {
      doc.expected_left = plan.expectedLeft
      for (const t of doc.trials) judge(t)
      doc.tree = buildTree(plan.nodes, names, doc.trials)
      writeBisectDocument(dir, doc)
      writeBisectHtml(dir, doc)
    }
    const finish = (conclusion: Conclusion): BisectDocument => {
      doc.result = result(conclusion, doc, names)
      doc.status = 'done'
      doc.ended_at = new Date().toISOString()
      save()
      options.onEvent?.({ type: 'done', doc })
      return doc
    }
    options.onEvent?.({ type: 'start', doc, dir, resumed: options.resume !== undefined })
    save()

    for (let step = plan.next(); ; step = plan.next()) {
      if (step.kind === 'done') return finish(step.conclusion)
      const request = step.trial
      const groupNames = request.groups.map((g) => names[g]!)
      const key = trialKey(groupNames, doc.budget)
      const earlier = doneByKey.get(key)
      if (earlier) {
        options.onEvent?.({ type: 'trial-skipped', trial: earlier })
        plan.record(outcomeOf(earlier, names))
        continue
      }
      if (interrupted) return stop()
      if (timeUp()) return finish(plan.halt(`the time limit (--max-time ${budgetLabel({ kind: 'duration', seconds: doc.limits.time_s! })}) was reached`))

      const n = doc.trials.length + 1
      const record: BisectTrialRecord = {
        n,
        key,
        role: request.role,
        groups: groupNames,
        question: phrase(request, names),
        budget: doc.budget,
        dir: `${String(n).padStart(2, '0')}-${request.role}`,
        started_at: new Date().toISOString(),
        status: 'running'
      }
      doc.trials.push(record)
      const trialDir = join(dir, record.dir)
      mkdirSync(trialDir, { recursive: true })
      save()
      options.onEvent?.({ type: 'trial-started', trial: record, expectedLeft: plan.expectedLeft })

      try {
        if (doc.restart.kind === 'restart') {
          options.onEvent?.({ type: 'restarting', trial: record, command: doc.restart.command })
          await restartTarget(scenario.target.restart ?? doc.restart.command, doc.restart.port, {
            url: scenario.target.url ?? scenario.urls.entries[0]!.url,
            insecure: scenario.target.insecure,
            cwd: scenario.file ? dirname(scenario.file) : undefined,
            logFile: join(trialDir, 'restart.log'),
            timeoutS: Math.max(30, scenario.target.readyTimeout),
            isCancelled: () => interrupted
          })
        }
        if (interrupted) {
          record.status = 'interrupted'
          return stop()
        }
        const name = `${scenario.name}-bisect-${String(n).padStart(2, '0')}`
        const longest = scaleBudget(doc.budget, factors.at(-1)!)
        const looks = matchedFactors(factors, request.role, doc.trials)
        if (looks[0]! > 1) {
          const reason = `as long as the ${request.role === 'baseline' ? 'control' : 'control and baseline'} ran, so that growth per request is compared over as many requests of a fresh process`
          ;(record.extensions ??= []).push(`to ${budgetLabel(scaleBudget(doc.budget, looks[0]!))}: ${reason}`)
          options.onEvent?.({ type: 'trial-extended', trial: record, factor: looks[0]!, reason })
        }
        current = startTrial(trialScenario(scenario, groups, request.groups, longest, trialDir, name), {
          warn: options.warn,
          onProgress: options.onTrialProgress,
          extension: {
            length: doc.budget,
            factors: looks,
            rule: request.role === 'control' ? controlDecision : untilConclusive,
            timeUp,
            onExtend: (factor, reason) => {
              ;(record.extensions ??= []).push(`to ${budgetLabel(scaleBudget(doc.budget, factor))}: ${reason}`)
              options.onEvent?.({ type: 'trial-extended', trial: record, factor, reason })
            }
          }
        })
        if (interrupted) current.interrupt()
        const { run, verdict, extended } = await current.done
        current = undefined
        record.ended_at = new Date().toISOString()
        record.requests = run.summary.transactions + run.summary.failed_transactions
        record.elapsed_s = run.summary.elapsed_s
        if (extended > 1) record.extended = extended
        if (run.interrupted || !verdict) {
          record.status = 'interrupted'
          return stop()
        }
        doc.metric ??= decidingMetric(verdict)
        record.verdict = verdict.verdict
        // A trial that a look decided ends at the row that look read: its verdict is the look's.
        if (request.role === 'control' && (verdict.verdict === 'leak' || verdict.verdict === 'inconclusive')) record.confirmed = leakConfirmed(verdict)
        record.summary = verdict.summary
        const growth = doc.metric ? growthOf(verdict, doc.metric) : undefined
        if (growth) {
          record.metric = doc.metric
          record.unit = growth.unit
          record.per_request = growth.perRequest
          if (growth.perHour) record.per_hour = growth.perHour
        }
        if (request.role === 'control') record.cheapest = cheapestGroups(groups, run.summary.endpoints)
        if (run.targetExited) options.warn(`trial ${n}: the target exited during the trial (see ${join(record.dir, 'events.csv')})`)
        record.status = 'done'
      } catch (err) {
        current = undefined
        record.status = 'failed'
        record.error = redactText((err as Error).message, known)
        record.ended_at = new Date().toISOString()
        doc.status = 'failed'
        doc.error = `trial ${n}: ${record.error}`
        save()
        throw err
      }
      doneByKey.set(key, record)
      plan.record(outcomeOf(record, names))
      save()
      options.onEvent?.({ type: 'trial-done', trial: record, expectedLeft: plan.expectedLeft })
    }

    function stop (): BisectDocument {
      doc.status = 'interrupted'
      save()
      return doc
    }
  }

  return {
    dir,
    done,
    interrupt () {
      if (interrupted) return
      interrupted = true
      current?.interrupt()
    }
  }
}

/** The group `bisect.baseline` names: a group name, or an endpoint of one (`GET /api/Ping`, `/api/Ping`). */
export function baselineGroup (groups: readonly EndpointGroup[], name: string): number {
  const byName = groups.findIndex((g) => g.name === name)
  if (byName >= 0) return byName
  const byEndpoint = groups.findIndex((g) => g.endpoints.some((ep) => matchesEndpoint(name, ep)))
  if (byEndpoint >= 0) return byEndpoint
  throw new ConfigError(`bisect.baseline: ${JSON.stringify(name)} is neither a group nor an endpoint of the URL list`)
}

/**
 * The groups of a trial from the cheapest up, by the median latency of their endpoints (weighted
 * by transactions); groups with unsuccessful answers last (an endpoint answering errors does less work
 * than a fresh process normally does, so it makes a poor picture of "no leak").
 */
export function cheapestGroups (groups: readonly EndpointGroup[], endpoints: readonly EndpointSummary[]): string[] {
  const cost = groups.map((g) => {
    const mine = endpoints.filter((e) => g.endpoints.includes(e.endpoint))
    const n = mine.reduce((s, e) => s + e.transactions, 0)
    const failed = mine.some((e) => e.failed > 0 || e.successful < e.transactions)
    return { name: g.name, failed, latency: n > 0 ? mine.reduce((s, e) => s + e.latency.p50_ms * e.transactions, 0) / n : Infinity }
  })
  return cost.sort((a, b) => Number(a.failed) - Number(b.failed) || a.latency - b.latency).map((c) => c.name)
}

function outcomeOf (record: BisectTrialRecord, names: readonly string[]): TrialOutcome {
  return {
    verdict: record.verdict!,
    ...(record.per_request ? { perRequest: record.per_request } : {}),
    ...(record.cheapest ? { cheapest: record.cheapest.map((g) => names.indexOf(g)).filter((i) => i >= 0) } : {}),
    ...(record.confirmed !== undefined ? { confirmed: record.confirmed } : {})
  }
}

/** The question in group names. */
function phrase (request: TrialRequest, names: readonly string[]): string {
  return rename(request.question, names)
}

function rename (text: string, names: readonly string[]): string {
  return text.replace(/#(\d+)/g, (_, i: string) => names[Number(i)] ?? `#${i}`)
}

/** Growth per request (and per hour) of `metric` in a run: pooled over its segments, else from its longest segment. */
export function growthOf (verdict: RunVerdict, metric: string): { unit: Unit; perRequest: Estimate; perHour?: Estimate } | undefined {
  const m = verdict.metrics.find((x) => x.metric === metric)
  if (!m) return undefined
  if (m.per_request) return { unit: m.unit, perRequest: m.per_request, ...(m.per_hour ? { perHour: m.per_hour } : {}) }
  let best: SegmentVerdict | undefined
  for (const s of m.segments) if (!best || s.requests[1] - s.requests[0] > best.requests[1] - best.requests[0]) best = s
  return best?.per_request ? { unit: m.unit, perRequest: best.per_request, ...(best.per_hour ? { perHour: best.per_hour } : {}) } : undefined
}

function result (conclusion: Conclusion, doc: BisectDocument, names: readonly string[]): BisectResult {
  const n = names.length
  const lastDone = (groups: readonly number[]): BisectTrialRecord | undefined => {
    const key = trialKey(groups.map((g) => names[g]!), doc.budget)
    return doc.trials.filter((t) => t.status === 'done' && t.key === key).at(-1)
  }
  const control = lastDone(names.map((_, i) => i))
  // The control's request rate turns growth per request of its mix into growth per hour.
  const perHourRate = control?.requests && control.elapsed_s ? (control.requests / control.elapsed_s) * 3600 : undefined
  const hourly = (e: Estimate | undefined): Estimate | undefined => (e && perHourRate ? scale(e, perHourRate) : undefined)
  const culprits: BisectCulpritRecord[] = conclusion.culprits.map((c) => ({
    groups: c.groups.map((g) => names[g]!),
    endpoints: c.groups.flatMap((g) => doc.groups[g]!.endpoints),
    kind: c.kind,
    evidence: rename(c.evidence, names),
    ...(c.measured ? { measured: c.measured } : {}),
    ...(c.excess ? { per_request: c.excess } : {}),
    ...(c.contribution ? { contribution_per_request: c.contribution, ...(perHourRate ? { per_hour: hourly(c.contribution) } : {}) } : {}),
    ...(c.share ? { share: c.share } : {})
  }))
  const small = conclusion.small.map((s) => ({
    groups: s.groups.map((g) => names[g]!),
    verdict: s.verdict,
    ...(s.excess ? { per_request: s.excess } : {}),
    ...(s.share !== undefined ? { share: Math.round(s.share * 1000) / 1000 } : {}),
    why: s.why
  }))
  const baseline = conclusion.baseline !== undefined ? lastDone([conclusion.baseline]) : undefined
  const unit = doc.trials.find((t) => t.unit)?.unit ?? unitOf(doc.metric ?? 'rss_bytes')
  const out: BisectResult = {
    outcome: conclusion.outcome,
    ...(conclusion.stopped ? { stopped: conclusion.stopped } : {}),
    culprits,
    small,
    ...(conclusion.baseline !== undefined ? { baseline: { group: names[conclusion.baseline]!, ...(baseline?.per_request ? { per_request: baseline.per_request } : {}) } } : {}),
    ...(conclusion.controlExcess ? { control_excess: { per_request: conclusion.controlExcess, ...(perHourRate ? { per_hour: hourly(conclusion.controlExcess)! } : {}) } } : {}),
    ...(conclusion.unexplained ? { unexplained: { share: conclusion.unexplained, ...(conclusion.controlExcess && perHourRate ? { per_hour: hourly(scale(conclusion.controlExcess, conclusion.unexplained.value))! } : {}) } } : {}),
    notes: conclusion.notes.map((t) => rename(t, names)),
    next: conclusion.next.map((t) => rename(t, names)),
    trials: conclusion.trials,
    groups: n,
    bound_one_culprit: oneCulpritBound(n),
    bound_two_culprits: twoCulpritBound(n),
    cap: doc.limits.trials,
    message: ''
  }
  out.message = resultMessage(out, doc, unit, control)
  return out
}

/** The closing words: what was found, with effect sizes; what is known when it stopped early; the counts. */
function resultMessage (r: BisectResult, doc: BisectDocument, unit: Unit, control: BisectTrialRecord | undefined): string {
  const lines: string[] = []
  if (r.stopped) lines.push(`stopped: ${r.stopped}; what is known:`)
  if (r.outcome === 'no-leak') {
    const raise = doc.budget.kind === 'requests' ? '--trial-requests' : '--trial'
    const why = r.baseline
      ? `the control (the whole list) grew no faster than the baseline ${r.baseline.group}`
      : control?.confirmed === false ? 'the control (the whole list) grew, but its rate neither held significantly nor bent' : `the control (the whole list) was ${control?.verdict ?? 'not decided'}`
    lines.push(`no leak ${control?.confirmed === false ? 'confirmed' : 'reproduced'} in ${budgetLabel(scaleBudget(doc.budget, control?.extended ?? 1))}: ${why}; raise ${raise} to look longer`)
  }
  for (const c of r.culprits) {
    const what = c.kind === 'interaction' ? `interaction: ${c.groups.join(' + ')} leak only together` : `culprit: ${c.groups.join(', ')}`
    const eps = c.groups.length === 1 && c.endpoints.length > 0 && (c.endpoints.length > 1 || c.endpoints[0] !== c.groups[0]) ? ` [${c.endpoints.join(', ')}]` : ''
    const facts: string[] = []
    if (c.per_request) facts.push(`${formatEstimate(c.per_request, unit, 'request')} ${c.measured === 'by-difference' ? 'by difference' : 'alone'}, above the baseline`)
    if (c.per_hour) facts.push(`${formatEstimate(c.per_hour, unit, 'hour')} in the whole list's mix`)
    if (c.share) facts.push(`${percentWithInterval(c.share)} of the control's growth`)
    lines.push(`${what}${eps}${facts.length ? ` (${facts.join('; ')})` : ''}`)
  }
  if (r.outcome !== 'no-leak' && r.unexplained && r.culprits.length > 0) {
    lines.push(`unexplained: ${percentWithInterval(r.unexplained.share)} of the control's growth${r.unexplained.per_hour ? ` (${formatEstimate(r.unexplained.per_hour, unit, 'hour')})` : ''}`)
  }
  if (r.outcome === 'incomplete' && r.culprits.length === 0) lines.push('no culprit established')
  for (const s of r.small) lines.push(`small effect: ${s.groups.join(', ')}${s.per_request ? ` (${formatSigned(s.per_request.value, unit, 3, true)}/request above the baseline)` : ''}: ${s.why}`)
  for (const t of r.next) lines.push(`try next: ${t}`)
  const trials = `${formatCount(r.trials, 'trial')} for ${formatCount(r.groups, 'group')}`
  const cut = doc.trials.filter((t) => t.status === 'interrupted').length
  lines.push(`${trials} (one culprit: at most ${r.bound_one_culprit}; two: at most ${r.bound_two_culprits}; cap ${r.cap})${cut ? `, besides ${cut} interrupted and run again` : ''}`)
  return lines.join('\n')
}

/** `GET /a, GET /b and 3 more (5 groups)`. */
export function trialLabel (groups: readonly EndpointGroup[], indices: readonly number[]): string {
  return `${describeGroups(groups, indices)} (${formatCount(indices.length, 'group')})`
}
