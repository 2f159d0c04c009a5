/** The stub's counters: fixed memory however many requests it answers (it runs as long as the soak). */
import { createLatencyHistogram, latencyPercentiles } from '../counters/latency-histogram.js'
import type { StubSummary } from '../recorder/summary-json.js'

export type Outcome = 'hits' | 'rule_hits' | 'misses' | 'passed_through' | 'refused'

export class StubStats {
  readonly #latency = createLatencyHistogram()
  readonly counts: Record<Outcome | 'recorded', number> = { hits: 0, rule_hits: 0, misses: 0, passed_through: 0, refused: 0, recorded: 0 }

  /** `startedAt`: performance.now() when the request arrived. */
  count (outcome: Outcome, startedAt: number): void {
    this.counts[outcome]++
    this.#latency.recordValue(Math.max(1, Math.round((performance.now() - startedAt) * 1000)))
  }

  summary (about: Pick<StubSummary, 'mode' | 'url' | 'upstream'>): StubSummary {
    const { hits, rule_hits: ruleHits, misses, passed_through: passed, refused, recorded } = this.counts
    return { ...about, requests: hits + ruleHits + misses + passed + refused, hits, rule_hits: ruleHits, misses, passed_through: passed, recorded, refused, latency: latencyPercentiles(this.#latency) }
  }
}
