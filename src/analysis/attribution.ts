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
import type { MetricVerdict, RunVerdict, SeriesVerdict } from './types.js'
import type { MetricRole } from './metrics.js'
import { formatAmount, formatRate } from '../units/format.js'
import { scaleSentence, verdictScale } from './scale.js'

/** Worst last: a leak outweighs an open question, which outweighs growth that is evening out. */
export const VERDICT_ORDER: Record<SeriesVerdict, number> = { flat: 0, plateau: 1, settling: 2, inconclusive: 3, leak: 4 }

export function worst (verdicts: readonly SeriesVerdict[]): SeriesVerdict {
  return verdicts.reduce<SeriesVerdict>((w, v) => (VERDICT_ORDER[v] > VERDICT_ORDER[w] ? v : w), 'flat')
}

export interface RoledVerdict extends MetricVerdict {
  role: MetricRole
  decides: boolean
}

export const HINTS = {
  'object-leak': 'The runtime heap grows: objects are being kept. Next, compare two heap dumps taken some thousands of requests apart: Ruby ObjectSpace.dump_all (after ObjectSpace.trace_object_allocations_start) read with heapy; Node two heap snapshots (v8.writeHeapSnapshot() or --inspect) compared in Chrome DevTools; Go pprof heap profiles (go tool pprof -base).',
  'native-or-fragmentation': 'Memory outside the runtime heap grows at a steady rate while the heap stays flat: a native leak (a C extension, Buffers, a native library, memory malloc\'d and never freed). Next, find the allocations with heaptrack (heaptrack -p PID); running with jemalloc (LD_PRELOAD=libjemalloc.so.2) or MALLOC_ARENA_MAX=2 rules out fragmentation.',
  'allocator-warmup': 'Memory outside the runtime heap grows more and more slowly while the heap stays flat: the allocator warming up (glibc malloc gives threads their own arenas, which grow and fragment until the working set fits), not a leak. Next, if the level matters, run with MALLOC_ARENA_MAX=2 or jemalloc (LD_PRELOAD=libjemalloc.so.2), which usually settle sooner and lower; run longer to see it level off.',
  'thread-leak': 'Threads are created and never end. Next, list them over time (/proc/PID/task, or the runtime\'s thread dump) and find what starts them.',
  'rss-only': 'RSS grows, but without the app\'s GC statistics memsiege can\'t tell retained objects from native memory: add the probe (sample.gc) and run again.',
} as const

export interface AttributeContext {
  /** The target was started for this run. */
  freshProcess?: boolean
}

export function attribute (metrics: readonly RoledVerdict[], context: AttributeContext = {}): Pick<RunVerdict, 'verdict' | 'summary' | 'attribution' | 'hint' | 'scale'> {
  const deciding = metrics.filter((m) => m.decides)
  // Nothing measured is nothing proven: inconclusive, not flat.
  const verdict = deciding.length === 0 ? 'inconclusive' : worst(deciding.map((m) => m.verdict))
  const judged = (role: MetricRole, v: SeriesVerdict) => deciding.find((m) => m.role === role && m.verdict === v)
  const leaking = (role: MetricRole) => judged(role, 'leak')
  const thread = leaking('threads')
  const heap = leaking('heap-live')
  const outside = leaking('native') ?? leaking('rss')
  const hasHeap = metrics.some((m) => m.role === 'heap-live')
  // Flat, not a plateau: objects that grew and stopped are a cache or pool that filled, and
  // RSS settling with them is what those objects hold, not the allocator.
  const heaps = deciding.filter((m) => m.role === 'heap-live')
  const heapFlat = heaps.length > 0 && heaps.every((m) => m.verdict === 'flat')
  const settlingOutside = judged('native', 'settling') ?? judged('rss', 'settling')

  let attribution: RunVerdict['attribution'] = 'none'
  let hint = ''
  if (verdict === 'leak') {
    if (thread) {
      attribution = 'thread-leak'
      hint = HINTS['thread-leak']
    } else if (heap) {
      attribution = 'object-leak'
      hint = HINTS['object-leak']
    } else if (outside && hasHeap) {
      attribution = 'native-or-fragmentation'
      hint = HINTS['native-or-fragmentation']
    } else if (outside) {
      hint = HINTS['rss-only']
    } else {
      hint = 'A metric named in analysis.metrics grows; it says nothing about where.'
    }
  } else if (verdict === 'settling' && settlingOutside && heapFlat) {
    attribution = 'allocator-warmup'
    hint = HINTS['allocator-warmup']
  }
  const lead = leadMetric(verdict, deciding, { thread, heap, outside })
  const scale = lead ? verdictScale(lead, verdict, context.freshProcess) : undefined
  let summary = summarize(verdict, deciding, { thread, heap, outside }, hint)
  if (scale) summary += ` ${scaleSentence(scale, verdict, lead?.segments.reduce((a, s) => a + s.requests[1] - s.requests[0], 0))}`
  return { verdict, attribution, hint, summary, ...(scale ? { scale } : {}) }
}

/** The metric the verdict's sentence is about: what leaks (threads, heap, outside), or the first deciding one of the verdict. */
function leadMetric (verdict: SeriesVerdict, deciding: readonly RoledVerdict[], leaks: { thread?: RoledVerdict; heap?: RoledVerdict; outside?: RoledVerdict }): RoledVerdict | undefined {
  if (verdict === 'leak') return leaks.thread ?? leaks.heap ?? leaks.outside ?? deciding.find((m) => m.verdict === 'leak')
  const same = deciding.filter((m) => m.verdict === verdict)
  // Memory before threads: "at most 0 threads a day" tells nobody anything.
  return same.find((m) => m.role !== 'threads') ?? same[0]
}

function summarize (verdict: SeriesVerdict, deciding: readonly RoledVerdict[], leaks: { thread?: RoledVerdict; heap?: RoledVerdict; outside?: RoledVerdict }, hint: string): string {
  const names = deciding.map((m) => m.metric).join(', ')
  if (deciding.length === 0) return 'Inconclusive: samples.csv has none of the memory columns memsiege judges (was a target sampled? give target.port, target.pid or target.command).'
  switch (verdict) {
    case 'leak': {
      const lead = leaks.thread ?? leaks.heap ?? leaks.outside ?? deciding.find((m) => m.verdict === 'leak')!
      const seg = lead.segments.find((s) => s.verdict === 'leak') ?? lead.segments[0]
      const also = [leaks.heap, leaks.outside, leaks.thread].filter((m) => m && m !== lead).map((m) => m!.metric)
      const rate = lead.per_request ?? seg?.per_request
      const size = rate ? formatRate(rate.value, lead.unit, 'request') : ''
      return `Leak: ${lead.metric} grows ${size}, and the rate held to the end${also.length ? `; so ${also.length > 1 ? 'do' : 'does'} ${also.join(' and ')}` : ''}. ${firstSentence(hint)}`
    }
    case 'settling': {
      const parts = deciding.filter((m) => m.verdict === 'settling').map(settlingWords)
      return `Still settling, not a leak: ${parts.join('; ')}. Only a rate that holds is a leak.`
    }
    case 'plateau': {
      const grew = deciding.filter((m) => m.verdict === 'plateau')
      const parts = grew.map((m) => {
        const g = m.segments.map((s) => s.growth?.value).find((v) => v !== undefined)
        return g !== undefined ? `${m.metric} grew by ${formatAmount(g, m.unit)}` : `${m.metric} grew`
      })
      return `No leak: ${parts.join(', ')} and then stopped (a cache or pool filling up, or a warm-up longer than the one left out); the rest stayed flat.`
    }
    case 'flat':
      return `No leak: ${names} stayed flat over the analysed requests.`
    case 'inconclusive': {
      const open = deciding.filter((m) => m.verdict === 'inconclusive')
      const more = Math.max(...open.map((m) => m.more_requests ?? 0))
      const why = open.map((m) => `${m.metric}: ${m.reason ?? m.segments[0]?.reason ?? ''}`).join('; ')
      return `Inconclusive: ${why}.${more > 0 ? ` About ${more.toLocaleString('en-US')} more requests should settle it.` : ''}`
    }
  }
}

/** "rss_anon_bytes grew 54 MiB over 230,000 requests, slower and slower: 260 B/request early, 27 B/request late; heading for 75 MiB (...) after about 150,000 more requests" */
function settlingWords (m: RoledVerdict): string {
  const amount = (v: number) => formatAmount(v, m.unit)
  const grew = m.segments.map((s) => s.growth?.value).find((v) => v !== undefined)
  // The requests the floors span, as the growth is slope × that.
  const span = m.segments.reduce((a, s) => a + (s.floor.length > 1 ? s.floor[s.floor.length - 1][0] - s.floor[0][0] : s.requests[1] - s.requests[0] - s.warmup.requests), 0)
  const shape = m.shape
  let text = `${m.metric}${grew !== undefined ? ` grew ${amount(grew)} over ${Math.round(span).toLocaleString('en-US')} requests` : ' grew'}`
  if (!shape) return text
  text += `, slower and slower: ${formatRate(shape.early.value, m.unit, 'request')} early, ${formatRate(shape.late.value, m.unit, 'request')} late (${Math.round(shape.late.level * 100)}% CI ${amount(shape.late.low)} to ${amount(shape.late.high)})`
  const h = shape.heading
  if (h) {
    text += `; if it keeps slowing as it has, it levels off at about ${amount(h.value)} (${Math.round(h.level * 100)}% CI ${amount(h.low)} to ${h.high !== undefined ? amount(h.high) : 'no upper bound yet'})`
    if (m.more_requests !== undefined) text += ` after about ${m.more_requests.toLocaleString('en-US')} more requests, which would tell`
  }
  return text
}

function firstSentence (text: string): string {
  const i = text.indexOf('. ')
  return i < 0 ? text : text.slice(0, i + 1)
}
