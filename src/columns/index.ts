/** The registry of what each samples.csv column means (runtime, role, unit). */
export * from './meaning.js'
export { FIXED_MEANINGS, GC_FIXED_MEANINGS, LOAD_MEANINGS, PROC_MEANINGS, SELF_MEANINGS } from './fixed.js'
export { headerRuntime, recognise, type Recognised } from './recognise.js'
export { headerMeanings, readRecorded, recordable, type DeclaredRoles, type MeaningSources } from './table.js'
import { recognise } from './recognise.js'
import type { Unit } from './meaning.js'

/** The unit of a column, for a formatter that has only its name. */
export function unitOf (column: string, header?: ReadonlySet<string>): Unit {
  return recognise(column, header).unit
}
