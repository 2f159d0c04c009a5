/**
 * The meanings of a samples.csv header: as recorded in summary.json by the samplers that wrote
 * the columns, else recognised by name (an older results folder), and a scenario's
 * `analysis.columns` over both (for a figure whose name says nothing).
 */
import { isRole, isRuntime, isUnit, type ColumnMeaning, type ColumnMeanings, type Role } from './meaning.js'
import { headerRuntime, recognise, type Recognised } from './recognise.js'

/** `analysis.columns`: column → role, as the scenario says it. */
export type DeclaredRoles = Readonly<Record<string, Role>>

export interface MeaningSources {
  /** summary.json's `columns`. */
  recorded?: ColumnMeanings
  declared?: DeclaredRoles
}

export function headerMeanings (header: readonly string[], sources: MeaningSources = {}): Map<string, Recognised> {
  const set = new Set(header)
  const runtime = headerRuntime(header)
  const out = new Map<string, Recognised>()
  for (const column of header) {
    const byName = recognise(column, set, runtime)
    const recorded = sources.recorded?.[column]
    let m: Recognised = byName
    // The preference among candidates (rank) is the analysis's, by name; it holds while the recorded role agrees.
    if (recorded) m = recorded.role === byName.role ? { ...byName, ...recorded } : { ...recorded }
    const role = sources.declared?.[column]
    if (role) m = declaredMeaning(m, role)
    out.set(column, m)
  }
  return out
}

/** A declared role comes first among the candidates of its question. */
function declaredMeaning (m: Recognised, role: Role): Recognised {
  return {
    runtime: m.runtime,
    role,
    unit: role === 'threads' ? 'threads' : m.unit,
    source: 'analysis.columns',
    ...(role === 'heap-live' || role === 'old-generation' || role === 'threads' || role === 'native' || role === 'rss' ? { rank: 0 } : {}),
  }
}

/** The meanings to record in summary.json: without the analysis's preferences. */
export function recordable (meanings: ReadonlyMap<string, ColumnMeaning>): ColumnMeanings {
  const out: ColumnMeanings = {}
  for (const [column, m] of meanings) out[column] = { runtime: m.runtime, role: m.role, unit: m.unit, ...(m.source ? { source: m.source } : {}) }
  return out
}

/** summary.json's `columns` when it is well formed; a damaged or hand-edited one is ignored (recognition by name takes over). */
export function readRecorded (value: unknown): ColumnMeanings | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const out: ColumnMeanings = {}
  for (const [column, m] of Object.entries(value as Record<string, unknown>)) {
    const r = m as Partial<Record<keyof ColumnMeaning, unknown>> | null
    if (!r || !isRuntime(r.runtime) || !isRole(r.role) || !isUnit(r.unit)) return undefined
    out[column] = { runtime: r.runtime, role: r.role, unit: r.unit, ...(typeof r.source === 'string' ? { source: r.source } : {}) }
  }
  return out
}
