/**
 * bisect.json: the bisect's state and its report in one document, rewritten (write + rename)
 * after every trial so that `--resume DIR` carries on after a Ctrl-C, a crash or a reboot.
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFileWhole } from '../recorder/write-whole.js'
import { join } from 'node:path'
import type { Estimate } from '../analysis/types.js'
import type { Unit } from '../columns/index.js'
import type { EndpointGroup } from './groups.js'
import type { NodeState, PlanNode, TrialRole, TrialVerdict } from './plan.js'
import { ConfigError } from '../errors.js'
import { lengthLabel as budgetLabel, type LoadLength as TrialBudget } from '../run/load-length.js'

export const BISECT_FILE = 'bisect.json'
export const BISECT_SCHEMA_VERSION = 2

/** The budget of one trial: a length of load, as runs that decide have (labelled 3m, 90s, 30,000 requests). */
export { type LoadLength as TrialBudget, lengthLabel as budgetLabel, scaleLength as scaleBudget } from '../run/load-length.js'

export interface BisectTrialRecord {
  /** 1-based, in the order run. */
  n: number
  /** The groups (names, sorted) and the budget: what makes two trials the same on resume. */
  key: string
  role: TrialRole
  /** Group names, in the order of the groups. */
  groups: string[]
  question: string
  /** The first length; an undecided trial runs on (see `extended`). */
  budget: TrialBudget
  /** The length it ran to, as a multiple of `budget`, when it was extended. */
  extended?: number
  /** Why it was extended, one line per extension. */
  extensions?: string[]
  /** The trial's run folder, relative to the bisect folder. */
  dir: string
  started_at: string
  ended_at?: string
  /** done: decided by a verdict; interrupted: stopped by Ctrl-C (run again on resume); failed: the run failed. */
  status: 'running' | 'done' | 'interrupted' | 'failed'
  verdict?: TrialVerdict
  /** The metric growth per request comes from (the one that decided the control). */
  metric?: string
  unit?: Unit
  per_request?: Estimate
  per_hour?: Estimate
  /** For a control called leak: whether its rate held significantly (only a confirmed leak is searched). */
  confirmed?: boolean
  /** What the search made of it (leak: it holds a culprit), once decided, and why in words. */
  decision?: 'leak' | 'clean'
  why?: string
  /** The control's groups from the cheapest up (median latency): where the baseline comes from. */
  cheapest?: string[]
  requests?: number
  elapsed_s?: number
  /** The verdict's own words. */
  summary?: string
  error?: string
}

export interface BisectTreeNode {
  groups: string[]
  role: PlanNode['role']
  state: NodeState
  /** Numbers of the trials that tested this set (a repeat makes two). */
  trials: number[]
  children: BisectTreeNode[]
}

export interface BisectCulpritRecord {
  groups: string[]
  endpoints: string[]
  kind: 'single' | 'interaction'
  evidence: string
  /** `alone`: its own trial; `by-difference`: a tested pair's growth minus its sibling's. */
  measured?: 'alone' | 'by-difference'
  /** Growth per request of its own traffic beyond the baseline's, in the deciding metric. */
  per_request?: Estimate
  /** What it adds per request of the whole list's mix: per_request × its share of the requests. */
  contribution_per_request?: Estimate
  /** contribution_per_request at the control's request rate. */
  per_hour?: Estimate
  /** Its share of the control's growth beyond the baseline. */
  share?: Estimate
}

export interface BisectSmallEffect {
  groups: string[]
  verdict: TrialVerdict
  per_request?: Estimate
  /** Of the control's growth beyond the baseline. */
  share?: number
  why: string
}

export interface BisectResult {
  /** `incomplete`: stopped by the trial cap or --max-time before the search ended. */
  outcome: 'no-leak' | 'found' | 'incomplete'
  /** Why it stopped early. */
  stopped?: string
  culprits: BisectCulpritRecord[]
  /** Sets that grew but are no culprit (not above the baseline, or too small a part of the control's growth). */
  small: BisectSmallEffect[]
  /** The baseline trial's group and growth. */
  baseline?: { group: string; per_request?: Estimate }
  /** The control's growth beyond the baseline's. */
  control_excess?: { per_request: Estimate; per_hour?: Estimate }
  /** What the culprits leave unexplained of the control's growth. */
  unexplained?: { share: Estimate; per_hour?: Estimate }
  notes: string[]
  /** What to try next. */
  next: string[]
  /** Trials run; the bounds they are measured against, and the cap. */
  trials: number
  groups: number
  bound_one_culprit: number
  bound_two_culprits: number
  cap: number
  /** The closing words, as printed. */
  message: string
}

export interface BisectDocument {
  schemaVersion: number
  kind: 'memsiege-bisect'
  name: string
  /** The scenario file, absolute: where --resume reads it again. */
  scenario: string
  started_at: string
  updated_at: string
  ended_at?: string
  status: 'running' | 'interrupted' | 'done' | 'failed'
  concurrency: number
  /** The first length of every trial. */
  budget: TrialBudget
  /**
   * The hard stops — trials, the longest trial as a multiple of `budget`, seconds of trials — and
   * the share of the control's growth a culprit must account for.
   */
  limits: { trials: number; extension: number; time_s?: number; min_share: number }
  /** bisect.baseline as written. */
  baseline?: string
  /** How each trial gets a fresh target. */
  restart: { kind: 'command'; command: string } | { kind: 'restart'; command: string; port: number }
  /** The metric that decided the control: growth per request is read from it in every trial. */
  metric?: string
  groups: Array<{ name: string; endpoints: string[]; lines: number }>
  trials: BisectTrialRecord[]
  /** Trials still expected (one culprit), while running. */
  expected_left?: number
  tree?: BisectTreeNode
  result?: BisectResult
  error?: string
}

export function trialKey (groupNames: readonly string[], budget: TrialBudget): string {
  return `${[...groupNames].sort().join(' + ')} @ ${budgetLabel(budget)}`
}

export function groupsRecord (groups: readonly EndpointGroup[]): BisectDocument['groups'] {
  return groups.map((g) => ({ name: g.name, endpoints: [...g.endpoints], lines: g.entries.length }))
}

/** Writes bisect.json whole: a temporary file renamed over it, so a reader never sees half of it. */
export function writeBisectDocument (dir: string, doc: BisectDocument): void {
  doc.updated_at = new Date().toISOString()
  const path = join(dir, BISECT_FILE)
  writeFileWhole(path, JSON.stringify(doc, null, 2) + '\n')
}

/** Reads DIR/bisect.json for --resume; a ConfigError (exit 2) when it isn't one. */
export function readBisectDocument (dir: string): BisectDocument {
  const path = join(dir, BISECT_FILE)
  if (!existsSync(path)) throw new ConfigError(`--resume: ${dir} has no ${BISECT_FILE}: not a bisect folder`)
  let doc: BisectDocument
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as BisectDocument
  } catch (err) {
    throw new ConfigError(`--resume: ${path} is not JSON (${(err as Error).message})`)
  }
  if (doc?.kind !== 'memsiege-bisect' || !Array.isArray(doc.trials) || !Array.isArray(doc.groups)) {
    throw new ConfigError(`--resume: ${path} is not a memsiege bisect state`)
  }
  if (doc.groups.length === 0) throw new ConfigError(`--resume: ${path} has no groups: not the state of a real bisect (every bisect has at least one)`)
  if (doc.schemaVersion > BISECT_SCHEMA_VERSION) throw new ConfigError(`--resume: ${path} was written by a newer memsiege (schema ${doc.schemaVersion})`)
  if (doc.schemaVersion < BISECT_SCHEMA_VERSION) throw new ConfigError(`--resume: ${path} was written by an older memsiege, whose search differs (no baseline trial): start a new bisect`)
  return doc
}

/** The plan's nodes as a tree under the control, with the trials that tested each. */
export function buildTree (nodes: readonly PlanNode[], names: readonly string[], trials: readonly BisectTrialRecord[]): BisectTreeNode | undefined {
  if (nodes.length === 0) return undefined
  const byKey = new Map<string, BisectTreeNode>()
  const nameList = (groups: readonly number[]): string[] => groups.map((g) => names[g]!)
  for (const node of nodes) {
    const groupNames = nameList(node.groups)
    const key = [...groupNames].sort().join(' + ')
    byKey.set(node.key, {
      groups: groupNames,
      role: node.role,
      state: node.state,
      trials: trials.filter((t) => t.status === 'done' && t.key.startsWith(`${key} @ `)).map((t) => t.n),
      children: []
    })
  }
  const root = byKey.get(nodes[0]!.key)!
  for (const node of nodes.slice(1)) {
    const parent = (node.parent !== undefined ? byKey.get(node.parent) : undefined) ?? root
    const me = byKey.get(node.key)!
    if (parent !== me) parent.children.push(me)
  }
  return root
}
