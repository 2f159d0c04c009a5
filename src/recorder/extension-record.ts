/** summary.json's record of a run that decides (`--until-decided`, src/run/extension.ts). */

/** One look that did not decide, as summary.json keeps it. */
export interface ExtensionStep {
  /** The run goes on to this multiple of its first length. */
  to: number
  /** Where the look was. */
  requests: number
  elapsed_s: number
  reason: string
}

/** How far a run that decides went, and why: summary.json's `extension`. */
export interface ExtensionRecord {
  /** The first length (the stop condition given) and the longest allowed. */
  first: string
  max: number
  /** The multiple of the first length the run reached. */
  reached: number
  steps: ExtensionStep[]
  /** decided: a look decided; cap: the longest length ran out; time: no time was left to go on; interrupted: Ctrl-C. */
  ended: 'decided' | 'cap' | 'time' | 'interrupted'
}
