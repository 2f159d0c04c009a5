/**
 * Whether a verdict answers the question, and if not, why: what makes a run that decides
 * (`run --until-decided`) or a bisect trial go on. Callers with their own rule (a bisect's
 * control) pass one of the same shape.
 */
import type { MetricVerdict, RunVerdict } from './types.js'
import { formatCount } from '../units/format.js'
import { isHeapRole } from './metrics.js'

export type Decision = { decided: true } | { decided: false; reason: string }

/** The caller's rule: is `verdict` an answer, and if not, why (said in the run's record). */
export type DecisionRule = (verdict: RunVerdict) => Decision

/**
 * Decided unless inconclusive, or a leak of memory outside the heap in a process started for
 * the run that is not yet a native leak: its rate not yet shown to hold (a fresh process's
 * allocator grows outside the heap for a while and then stops, which a short run cannot tell
 * from a native leak), or the heap's own verdict still open (a cache of strings filling up
 * grows outside the heap and a little inside it, until it is full).
 */
export function defaultDecision (verdict: RunVerdict): Decision {
  const conclusive = untilConclusive(verdict)
  if (!conclusive.decided) return conclusive
  if (verdict.verdict === 'leak' && verdict.attribution === 'native-or-fragmentation' && verdict.scale?.fresh_process === true) {
    const metrics = deciding(verdict)
    const m = metrics.find((x) => x.verdict === 'leak')
    const what = `leak on ${m?.metric ?? 'memory outside the heap'} of a fresh process`
    if (m?.shape?.holding !== true) return { decided: false, reason: `${what}, its rate not yet shown to hold (an allocator's warm-up looks the same at first)` }
    const heap = metrics.find((x) => isHeapRole(x.role) && x.verdict === 'inconclusive')
    if (heap) return { decided: false, reason: `${what}, while ${heap.metric} is still inconclusive (a cache filling up looks the same until it is full)` }
  }
  return { decided: true }
}

/** "inconclusive on gc.old_objects, about 45,000 more requests needed (…)". */
export function inconclusiveReason (verdict: RunVerdict): string {
  const m = deciding(verdict).find((x) => x.verdict === 'inconclusive')
  const more = m?.more_requests ?? m?.segments.find((s) => s.more_requests)?.more_requests
  const reason = m?.reason ?? m?.segments.at(-1)?.reason
  return `inconclusive${m ? ` on ${m.metric}` : ''}${more ? `, about ${formatCount(Math.round(more), 'more request')} needed` : ''}${reason ? ` (${reason})` : ''}`
}

function deciding (verdict: RunVerdict): MetricVerdict[] {
  return verdict.metrics.filter((x) => verdict.deciding ? verdict.deciding.includes(x.metric) : x.decides !== false)
}

/** Decided unless inconclusive: a bisect trial's rule (a leak of any kind answers its question). */
export function untilConclusive (verdict: RunVerdict): Decision {
  return verdict.verdict === 'inconclusive' ? { decided: false, reason: inconclusiveReason(verdict) } : { decided: true }
}
