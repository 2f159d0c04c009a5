/**
 * A bisect from start to end: the plan (plan.ts) asks for trials, this runs them (trial.ts), one
 * at a time, each against a fresh target, and keeps bisect.json (state.ts) and bisect.html up to
 * date after every trial. On resume, trials already done are fed to the plan from bisect.json
 * instead of being run again: the plan is deterministic, so it asks for the same ones.
 */
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Estimate, RunVerdict, SegmentVerdict } from '../analysis/types.js'
import type { RunProgress } from '../run/run-scenario.js'
import type { Scenario } from '../scenario/types.js'
import { writeBisectHtml } from './bisect-html.js'
import { describeGroups, groupWeights, type EndpointGroup } from './groups.js'
import { BisectPlan, oneCulpritBound, type Conclusion, type TrialOutcome, type TrialRequest } from './plan.js'
import {
  BISECT_SCHEMA_VERSION, budgetLabel, buildTree, groupsRecord, scaleBudget, trialKey, writeBisectDocument,
  type BisectCulpritRecord, type BisectDocument, type BisectResult, type BisectTrialRecord, type TrialBudget
} from './state.js'
import { formatSigned } from '../units/format.js'
import { unitOf, type Unit } from '../columns/index.js'
import { restartTarget } from '../target/restart.js'
import { redactText, scenarioSecrets } from '../recorder/redact.js'
import { startTrial, trialScenario, type TrialHandle } from './trial.js'

export type BisectEvent =
  | { type: 'start'; doc: BisectDocument; dir: string; resumed: boolean }
  /** A trial found done in bisect.json (on resume): not run again. */
  | { type: 'trial-skipped'; trial: BisectTrialRecord }
  | { type: 'trial-started'; trial: BisectTrialRecord; expectedLeft: number }
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

/** The bound measured for two culprits by the plan's tests (N = 2..32): 2⌈log₂ N⌉ + 4. */
export function twoCulpritBound (n: number): number {
  return 2 * Math.ceil(Math.log2(Math.max(1, n))) + 4
}

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

    const plan = new BisectPlan(groups.length, { weights: groupWeights(groups) })
    const save = (): void => {
      doc.expected_left = plan.expectedLeft
      doc.tree = buildTree(plan.nodes, names, doc.trials)
      writeBisectDocument(dir, doc)
      writeBisectHtml(dir, doc)
    }
    options.onEvent?.({ type: 'start', doc, dir, resumed: options.resume !== undefined })
    save()

    for (let step = plan.next(); ; step = plan.next()) {
      if (step.kind === 'done') {
        doc.result = result(step.conclusion, plan, doc, names)
        doc.status = 'done'
        doc.ended_at = new Date().toISOString()
        save()
        options.onEvent?.({ type: 'done', doc })
        return doc
      }
      const request = step.trial
      const groupNames = request.groups.map((g) => names[g]!)
      const budget = scaleBudget(doc.budget, request.budgetFactor)
      const key = trialKey(groupNames, budget)
      const earlier = doneByKey.get(key)
      if (earlier) {
        options.onEvent?.({ type: 'trial-skipped', trial: earlier })
        plan.record(outcomeOf(earlier))
        continue
      }
      if (interrupted) return stop()

      const n = doc.trials.length + 1
      const record: BisectTrialRecord = {
        n,
        key,
        role: request.role,
        groups: groupNames,
        question: phrase(request, names),
        attempt: request.budgetFactor > 1 ? 2 : 1,
        budget,
        dir: `${String(n).padStart(2, '0')}-${request.role}${request.budgetFactor > 1 ? '-again' : ''}`,
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
        current = startTrial(trialScenario(scenario, groups, request.groups, budget, trialDir, name), {
          warn: options.warn,
          onProgress: options.onTrialProgress
        })
        if (interrupted) current.interrupt()
        const { run, verdict } = await current.done
        current = undefined
        record.ended_at = new Date().toISOString()
        record.requests = run.summary.transactions + run.summary.failed_transactions
        record.elapsed_s = run.summary.elapsed_s
        if (run.interrupted || !verdict) {
          record.status = 'interrupted'
          return stop()
        }
        doc.metric ??= verdict.verdict === 'leak' ? decidingMetric(verdict) : undefined
        record.verdict = verdict.verdict
        record.summary = verdict.summary
        const growth = doc.metric ? growthOf(verdict, doc.metric) : undefined
        if (growth) {
          record.metric = doc.metric
          record.unit = growth.unit
          record.per_request = growth.perRequest
        }
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
      plan.record(outcomeOf(record))
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

function outcomeOf (record: BisectTrialRecord): TrialOutcome {
  return { verdict: record.verdict!, ...(record.per_request ? { perRequest: record.per_request } : {}) }
}

/** The question in group names. */
function phrase (request: TrialRequest, names: readonly string[]): string {
  return request.question.replace(/#(\d+)/g, (_, i: string) => names[Number(i)] ?? `#${i}`)
}

/** The metric growth per request is read from: the first deciding metric that leaks (the analysis lists them in order). */
export function decidingMetric (verdict: RunVerdict): string | undefined {
  const deciding = verdict.metrics.filter((m) => verdict.deciding ? verdict.deciding.includes(m.metric) : m.decides !== false)
  return (deciding.find((m) => m.verdict === 'leak') ?? deciding.find((m) => m.verdict === verdict.verdict) ?? verdict.metrics.find((m) => m.verdict === 'leak'))?.metric
}

/** Growth per request of `metric` in a run: pooled over its segments, else from its longest segment. */
export function growthOf (verdict: RunVerdict, metric: string): { unit: Unit; perRequest: Estimate } | undefined {
  const m = verdict.metrics.find((x) => x.metric === metric)
  if (!m) return undefined
  if (m.per_request) return { unit: m.unit, perRequest: m.per_request }
  let best: SegmentVerdict | undefined
  for (const s of m.segments) if (!best || s.requests[1] - s.requests[0] > best.requests[1] - best.requests[0]) best = s
  return best?.per_request ? { unit: m.unit, perRequest: best.per_request } : undefined
}

function result (conclusion: Conclusion, plan: BisectPlan, doc: BisectDocument, names: readonly string[]): BisectResult {
  const n = names.length
  const all = names.map((_, i) => i)
  const rename = (text: string): string => text.replace(/#(\d+)/g, (_, i: string) => names[Number(i)] ?? `#${i}`)
  const lastDone = (groups: readonly number[]): BisectTrialRecord | undefined => {
    const key = [...groups.map((g) => names[g]!)].sort().join(' + ')
    return doc.trials.filter((t) => t.status === 'done' && t.key.startsWith(`${key} @ `)).at(-1)
  }
  const culprits: BisectCulpritRecord[] = conclusion.culprits.map((c) => {
    const own = lastDone(c.groups)
    const share = plan.explains(c.groups, all)
    return {
      groups: c.groups.map((g) => names[g]!),
      endpoints: c.groups.flatMap((g) => doc.groups[g]!.endpoints),
      kind: c.kind,
      evidence: rename(c.evidence),
      ...(own?.per_request ? { per_request: own.per_request } : {}),
      ...(share !== undefined ? { explains_control: Math.round(share * 1000) / 1000 } : {})
    }
  })
  const bound1 = oneCulpritBound(n)
  const bound2 = twoCulpritBound(n)
  const cut = doc.trials.filter((t) => t.status === 'interrupted').length
  const counts = `${conclusion.trials} trial${conclusion.trials === 1 ? '' : 's'} for ${n} group${n === 1 ? '' : 's'} (one culprit: at most ⌈log₂ ${n}⌉ + 2 = ${bound1}; two: at most ${bound2})` +
    (cut ? `, besides ${cut} interrupted and run again` : '')
  let message: string
  if (conclusion.outcome === 'no-leak') {
    const control = lastDone(all)
    const raise = doc.budget.kind === 'requests' ? '--trial-requests' : '--trial'
    message = `no leak reproduced in ${budgetLabel(scaleBudget(doc.budget, control?.attempt ?? 1))}: the control (the whole list) was ${control?.verdict ?? 'not decided'}; raise ${raise}`
  } else {
    const lines = culprits.map((c) => {
      const what = c.kind === 'interaction' ? `interaction: ${c.groups.join(' + ')} leak only together` : `culprit: ${c.groups.join(', ')}`
      const eps = c.groups.length === 1 && c.endpoints.length > 0 && (c.endpoints.length > 1 || c.endpoints[0] !== c.groups[0]) ? ` [${c.endpoints.join(', ')}]` : ''
      const growth = c.per_request ? ` ${formatSigned(c.per_request.value, culpritUnit(doc, c), 3, true)}/request alone` : ''
      const share = c.explains_control !== undefined ? `, ${Math.round(c.explains_control * 100)}% of the control's growth` : ''
      return `${what}${eps}${growth || share ? ` (${(growth + share).replace(/^ /, '')})` : ''}`
    })
    message = lines.join('\n')
  }
  return {
    outcome: conclusion.outcome,
    culprits,
    notes: conclusion.notes.map(rename),
    trials: conclusion.trials,
    groups: n,
    bound_one_culprit: bound1,
    bound_two_culprits: bound2,
    message: `${message}\n${counts}`
  }
}

/** The unit of the culprit's own trial; failing that, of the metric that decided the control. */
function culpritUnit (doc: BisectDocument, c: BisectCulpritRecord): Unit {
  return doc.trials.find((t) => t.unit && c.groups.every((g) => t.groups.includes(g)))?.unit ?? unitOf(doc.metric ?? 'rss_bytes')
}

/** `GET /a, GET /b and 3 more (5 groups)`. */
export function trialLabel (groups: readonly EndpointGroup[], indices: readonly number[]): string {
  return `${describeGroups(groups, indices)} (${indices.length} group${indices.length === 1 ? '' : 's'})`
}
