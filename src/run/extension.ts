/**
 * Runs as long as they need: a run (or each side of a side-by-side run, or a bisect trial) is
 * sized for its longest length, its verdict is looked at at each of `factors` × its first
 * length, and it ends at the first look that decides. The one loop `run --until-decided`, side
 * by side and bisect trials share.
 */
import { defaultDecision, type DecisionRule } from '../analysis/decision.js'
import type { RunVerdict } from '../analysis/types.js'
import { lengthLabel, lengthReached, scaleLength, type LoadLength } from './load-length.js'
import type { ExtensionRecord, ExtensionStep } from '../recorder/extension-record.js'

/** Where an undecided run is looked at again: 1, 2, 4 … up to `max` × its first length (every doubling at least). */
export function extensionFactors (max: number): number[] {
  const factors = [1]
  while (factors.at(-1)! * 2 < max) factors.push(factors.at(-1)! * 2)
  if (max > 1) factors.push(max)
  return factors
}

export interface ExtensionSettings {
  /** The first length: factors multiply it. */
  length: LoadLength
  /** Ascending: where the verdict is looked at (e.g. 1, 2, 4, 8); the run is sized for the last. */
  factors: number[]
  /** Whether a verdict decides; default defaultDecision. */
  rule?: DecisionRule
  /** True when no more time may be spent: the run ends at the next look. */
  timeUp?: () => boolean
  /** The run goes on to `factor` × its first length, for `reason`. */
  onExtend?: (factor: number, reason: string) => void
}

/** A side's verdict at a look, or why there is none yet; `label` names the side in the reason (side by side). */
export interface Looked {
  label?: string
  verdict?: RunVerdict
  error?: string
}

/** The looks of one run (or of sides in lockstep): when the next is due, and whether it decides. */
export class Looks {
  #next = 0
  #finishing = false
  #ranOut = false
  readonly #steps: ExtensionStep[] = []
  readonly #settings: ExtensionSettings
  reached = 1

  constructor (settings: ExtensionSettings) {
    this.#settings = settings
  }

  /** The longest length the run may reach: its stop condition. */
  get longest (): LoadLength {
    return scaleLength(this.#settings.length, this.#settings.factors.at(-1)!)
  }

  /** Whether a run at `at` has reached the next look (the last is the stop condition itself). */
  due (at: { requests: number; elapsedS: number }): boolean {
    const f = this.#settings.factors
    return !this.#finishing && this.#next < f.length - 1 && lengthReached(this.#settings.length, at) >= f[this.#next]!
  }

  /** The look that is due, on each side's verdict so far (none yet: too few rows to analyse, undecided): true to go on. */
  goOn (looked: readonly Looked[], at: { requests: number; elapsedS: number }): boolean {
    const f = this.#settings.factors
    this.reached = f[this.#next++]!
    const rule = this.#settings.rule ?? defaultDecision
    const open = looked.flatMap((l) => {
      const d = l.verdict ? rule(l.verdict) : { decided: false as const, reason: `no verdict yet (${l.error ?? 'nothing to analyse'})` }
      return d.decided ? [] : [`${l.label ? `${l.label}: ` : ''}${d.reason}`]
    })
    if (open.length > 0 && this.#settings.timeUp?.() === true) this.#ranOut = true
    if (open.length === 0 || this.#ranOut) {
      this.#finishing = true
      return false
    }
    const reason = open.join('; ')
    const to = f[this.#next]!
    this.#steps.push({ to, requests: at.requests, elapsed_s: Number(at.elapsedS.toFixed(1)), reason })
    this.#settings.onExtend?.(to, reason)
    return true
  }

  /** The record at the run's end. */
  record (interrupted: boolean): ExtensionRecord {
    if (!this.#finishing && !interrupted) this.reached = this.#settings.factors.at(-1)!
    const ended = interrupted ? 'interrupted' : !this.#finishing ? 'cap' : this.#ranOut ? 'time' : 'decided'
    return { first: lengthLabel(this.#settings.length), max: this.#settings.factors.at(-1)!, reached: this.reached, steps: [...this.#steps], ended }
  }
}
