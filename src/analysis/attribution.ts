/**
 * The run's verdict from its deciding metrics, and what the growth points at.
 *
 * - threads rising: a thread leak (each thread also holds a stack, so RSS rises with it);
 * - the live heap rising: an object leak (RSS follows the heap, or will once the heap has used
 *   up what it had reserved);
 * - memory outside the heap rising while the heap stays flat: native memory (a C extension,
 *   Buffers, a native library) or malloc fragmentation;
 * - RSS rising with no heap figures to compare: the app's GC statistics would tell which.
 */
import type { MetricVerdict, RunVerdict, SeriesVerdict } from './types.js'
import type { MetricRole } from './metrics.js'
import { formatAmount, formatRate } from '../units/format.js'

const ORDER: Record<SeriesVerdict, number> = { flat: 0, plateau: 1, inconclusive: 2, leak: 3 }

export function worst (verdicts: readonly SeriesVerdict[]): SeriesVerdict {
  return verdicts.reduce<SeriesVerdict>((w, v) => (ORDER[v] > ORDER[w] ? v : w), 'flat')
}

export interface RoledVerdict extends MetricVerdict {
  role: MetricRole
  decides: boolean
}

export const HINTS = {
  'object-leak': 'The runtime heap grows: objects are being kept. Next, compare two heap dumps taken some thousands of requests apart: Ruby ObjectSpace.dump_all (after ObjectSpace.trace_object_allocations_start) read with heapy; Node two heap snapshots (v8.writeHeapSnapshot() or --inspect) compared in Chrome DevTools; Go pprof heap profiles (go tool pprof -base).',
  'native-or-fragmentation': 'Memory outside the runtime heap grows while the heap stays flat: native memory (a C extension, Buffers, a native library) or malloc fragmentation. Next, run with jemalloc (LD_PRELOAD=libjemalloc.so.2) or MALLOC_ARENA_MAX=2; if it still grows, find the allocations with heaptrack.',
  'thread-leak': 'Threads are created and never end. Next, list them over time (/proc/PID/task, or the runtime\'s thread dump) and find what starts them.',
  'rss-only': 'RSS grows, but without the app\'s GC statistics memsiege can\'t tell retained objects from native memory: add the probe (sample.gc) and run again.',
} as const

export function attribute (metrics: readonly RoledVerdict[]): Pick<RunVerdict, 'verdict' | 'summary' | 'attribution' | 'hint'> {
  const deciding = metrics.filter((m) => m.decides)
  // Nothing measured is nothing proven: inconclusive, not flat.
  const verdict = deciding.length === 0 ? 'inconclusive' : worst(deciding.map((m) => m.verdict))
  const leaking = (role: MetricRole) => deciding.find((m) => m.role === role && m.verdict === 'leak')
  const thread = leaking('threads')
  const heap = leaking('heap-live')
  const outside = leaking('native') ?? leaking('rss')
  const hasHeap = metrics.some((m) => m.role === 'heap-live')

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
  }
  return { verdict, attribution, hint, summary: summarize(verdict, deciding, { thread, heap, outside }, hint) }
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
      const hour = lead.per_hour ?? seg?.per_hour
      const size = rate ? `${formatRate(rate.value, lead.unit, 'request')}${hour ? `, ${formatRate(hour.value, lead.unit, 'h')} at this request rate` : ''}` : ''
      return `Leak: ${lead.metric} grows ${size} and was still growing at the end${also.length ? `; so does ${also.join(' and ')}` : ''}. ${firstSentence(hint)}`
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

function firstSentence (text: string): string {
  const i = text.indexOf('. ')
  return i < 0 ? text : text.slice(0, i + 1)
}
