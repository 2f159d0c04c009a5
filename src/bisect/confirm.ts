/**
 * The control's rule for running on: a leak is confirmed only when its rate holds significantly
 * (growth-shape.ts `holding`). A cache that fills over the first trial, or a long warm-up, is
 * called `leak` while it is still filling; run on, it bends (settling, plateau) and the bisect
 * ends at once instead of descending after growth that no part reproduces.
 */
import type { RunVerdict } from '../analysis/types.js'
import { untilConclusive, type Decision } from '../analysis/decision.js'

/** Whether a `leak` verdict's deciding metric grows at a rate that holds significantly. */
export function leakConfirmed (verdict: RunVerdict): boolean {
  if (verdict.verdict !== 'leak') return false
  const name = decidingMetric(verdict)
  const m = verdict.metrics.find((x) => x.metric === name)
  const shape = m?.shape ?? m?.segments.at(-1)?.shape
  return shape?.holding === true
}

/** The control runs on while inconclusive, or while a leak is not yet confirmed. */
export function controlDecision (verdict: RunVerdict): Decision {
  if (verdict.verdict === 'leak' && !leakConfirmed(verdict)) return { decided: false, reason: 'a leak whose rate does not hold significantly yet: the control is confirmed before the descent (a cache filling looks the same at first)' }
  return untilConclusive(verdict)
}

/** The metric growth per request is read from: the first deciding metric that leaks (the analysis lists them in order). */
export function decidingMetric (verdict: RunVerdict): string | undefined {
  const deciding = verdict.metrics.filter((m) => verdict.deciding ? verdict.deciding.includes(m.metric) : m.decides !== false)
  return (deciding.find((m) => m.verdict === 'leak') ?? deciding.find((m) => m.verdict === verdict.verdict) ?? verdict.metrics.find((m) => m.verdict === 'leak') ?? deciding[0])?.metric
}
