/**
 * The run's verdict from its deciding metrics, and what the growth points at.
 *
 * - threads rising: a thread leak (each thread also holds a stack, so RSS rises with it);
 * - the live heap rising: an object leak (RSS follows the heap, or will once the heap has used
 *   up what it had reserved);
 * - memory outside the heap rising at a steady rate while the heap stays flat: native memory
 *   (a C extension, Buffers, a native library);
 * - memory outside the heap rising more and more slowly while the heap stays flat (settling):
 *   the allocator warming up: glibc gives threads their own arenas, each grows and fragments
 *   until the working set fits, which can take a fresh process hundreds of thousands of requests;
 * - RSS rising with no heap figures to compare: the app's GC statistics would tell which.
 */
import type { MetricResult, RunResult, SeriesVerdict } from './types.js'
import type { HintKind, RunReason, SettlingPart } from './reasons.js'
import { isHeapRole } from './metrics.js'
import type { Role } from '../columns/index.js'
import { verdictScale } from './scale.js'

/** Worst last: a leak outweighs an open question, which outweighs growth that is evening out. */
export const VERDICT_ORDER: Record<SeriesVerdict, number> = { flat: 0, plateau: 1, settling: 2, inconclusive: 3, leak: 4 }

export function worst (verdicts: readonly SeriesVerdict[]): SeriesVerdict {
  return verdicts.reduce<SeriesVerdict>((w, v) => (VERDICT_ORDER[v] > VERDICT_ORDER[w] ? v : w), 'flat')
}

export interface RoledVerdict extends MetricResult {
  role: Role
  decides: boolean
}

export interface AttributeContext {
  /** The target was started for this run. */
  freshProcess?: boolean
}

export interface Attributed extends Pick<RunResult, 'verdict' | 'attribution' | 'scale'> {
  why: { summary: RunReason; hint?: HintKind }
}

export function attribute (metrics: readonly RoledVerdict[], context: AttributeContext = {}): Attributed {
  const deciding = metrics.filter((m) => m.decides)
  // Nothing measured is nothing proven: inconclusive, not flat.
  const verdict = deciding.length === 0 ? 'inconclusive' : worst(deciding.map((m) => m.verdict))
  const judged = (role: Role, v: SeriesVerdict) => deciding.find((m) => m.role === role && m.verdict === v)
  const leaking = (role: Role) => judged(role, 'leak')
  const thread = leaking('threads')
  const heap = deciding.find((m) => isHeapRole(m.role) && m.verdict === 'leak')
  const outside = leaking('native') ?? leaking('rss')
  const hasHeap = metrics.some((m) => isHeapRole(m.role))
  // Flat, not a plateau: objects that grew and stopped are a cache or pool that filled, and
  // RSS settling with them is what those objects hold, not the allocator.
  const heaps = deciding.filter((m) => isHeapRole(m.role))
  const heapFlat = heaps.length > 0 && heaps.every((m) => m.verdict === 'flat')
  const settlingOutside = judged('native', 'settling') ?? judged('rss', 'settling')

  let attribution: RunResult['attribution'] = 'none'
  let hint: HintKind | undefined
  if (verdict === 'leak') {
    if (thread) {
      attribution = 'thread-leak'
    } else if (heap) {
      attribution = 'object-leak'
    } else if (outside && hasHeap) {
      attribution = 'native-or-fragmentation'
    } else {
      hint = outside ? 'rss-only' : 'named-metric'
    }
  } else if (verdict === 'settling' && settlingOutside && heapFlat) {
    attribution = 'allocator-warmup'
  }
  if (attribution !== 'none') hint = attribution
  const lead = leadMetric(verdict, deciding, { thread, heap, outside })
  const requests = lead?.segments.reduce((a, s) => a + s.requests[1] - s.requests[0], 0)
  const scale = lead ? verdictScale(lead, verdict, context.freshProcess, requests) : undefined
  const summary = summaryReason(verdict, deciding, { thread, heap, outside })
  return { verdict, attribution, ...(scale ? { scale } : {}), why: { summary, ...(hint ? { hint } : {}) } }
}

/** The metric the verdict's sentence is about: what leaks (threads, heap, outside), or the first deciding one of the verdict. */
function leadMetric (verdict: SeriesVerdict, deciding: readonly RoledVerdict[], leaks: { thread?: RoledVerdict; heap?: RoledVerdict; outside?: RoledVerdict }): RoledVerdict | undefined {
  if (verdict === 'leak') return leaks.thread ?? leaks.heap ?? leaks.outside ?? deciding.find((m) => m.verdict === 'leak')
  const same = deciding.filter((m) => m.verdict === verdict)
  // Memory before threads: "at most 0 threads a day" tells nobody anything.
  const memory = same.filter((m) => m.role !== 'threads')
  // An open question is about the growth that raised it: a shrinking series beside it gave
  // "heap_old_bytes grows 2.54 KiB/request … -1.76 MiB/h".
  const growing = verdict === 'inconclusive' ? memory.filter((m) => (m.per_request?.value ?? 0) > 0) : []
  if (growing.length > 0) return growing.reduce((a, b) => b.per_request!.value > a.per_request!.value ? b : a)
  return memory[0] ?? same[0]
}

function summaryReason (verdict: SeriesVerdict, deciding: readonly RoledVerdict[], leaks: { thread?: RoledVerdict; heap?: RoledVerdict; outside?: RoledVerdict }): RunReason {
  if (deciding.length === 0) return { kind: 'no-metrics' }
  switch (verdict) {
    case 'leak': {
      const lead = leaks.thread ?? leaks.heap ?? leaks.outside ?? deciding.find((m) => m.verdict === 'leak')!
      const seg = lead.segments.find((s) => s.verdict === 'leak') ?? lead.segments[0]
      const also = [leaks.heap, leaks.outside, leaks.thread].filter((m) => m && m !== lead).map((m) => m!.metric)
      const rate = lead.per_request ?? seg?.per_request
      return { kind: 'leak', metric: lead.metric, unit: lead.unit, ...(rate ? { per_request: rate.value } : {}), also }
    }
    case 'settling':
      return { kind: 'settling', parts: deciding.filter((m) => m.verdict === 'settling').map(settlingPart) }
    case 'plateau':
      return {
        kind: 'plateau',
        parts: deciding.filter((m) => m.verdict === 'plateau').map((m) => {
          const growth = m.segments.map((s) => s.growth?.value).find((v) => v !== undefined)
          return { metric: m.metric, unit: m.unit, ...(growth !== undefined ? { growth } : {}) }
        }),
      }
    case 'flat':
      return { kind: 'flat', metrics: deciding.map((m) => m.metric) }
    case 'inconclusive': {
      const open = deciding.filter((m) => m.verdict === 'inconclusive')
      return {
        kind: 'inconclusive',
        open: open.map((m) => {
          const why = m.why ?? m.segments[0]?.why
          return { metric: m.metric, ...(why ? { why } : {}) }
        }),
        more_requests: Math.max(...open.map((m) => m.more_requests ?? 0)),
      }
    }
  }
}

/** A settling metric's growth, its rate early and late, and where it is heading. */
function settlingPart (m: RoledVerdict): SettlingPart {
  const growth = m.segments.map((s) => s.growth?.value).find((v) => v !== undefined)
  // The requests the floors span, as the growth is slope × that.
  const requests = m.segments.reduce((a, s) => a + (s.floor.length > 1 ? s.floor[s.floor.length - 1][0] - s.floor[0][0] : s.requests[1] - s.requests[0] - s.warmup.requests), 0)
  const shape = m.shape
  const h = shape?.heading
  return {
    metric: m.metric,
    unit: m.unit,
    ...(growth !== undefined ? { growth } : {}),
    requests,
    ...(shape ? { early: (shape.since_start?.warmup ?? shape.early).value, late: shape.late } : {}),
    ...(shape?.since_start ? { since_start: shape.since_start.requests } : {}),
    ...(h ? { heading: { value: h.value, low: h.low, ...(h.high !== undefined ? { high: h.high } : {}), level: h.level } } : {}),
    ...(h && m.more_requests !== undefined ? { more_requests: m.more_requests } : {}),
  }
}
