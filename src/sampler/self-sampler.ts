/**
 * memsiege's own memory, so a leak in the load generator isn't mistaken for one in the target
 * (and a memsiege that grows during a soak shows up in samples.csv).
 */
import { getHeapStatistics } from 'node:v8'
import type { Cell, Sampler } from './types.js'
import { SELF_MEANINGS } from '../columns/index.js'

export const SELF_COLUMNS = ['self_rss_bytes', 'self_heap_used_bytes'] as const

export class SelfSampler implements Sampler {
  readonly columns: readonly string[] = SELF_COLUMNS
  readonly meanings = SELF_MEANINGS

  async start (): Promise<void> {}

  async read (): Promise<Cell[]> {
    try {
      // Not process.memoryUsage(): it can walk every page for the total RSS; these two are cheap.
      return [process.memoryUsage.rss(), getHeapStatistics().used_heap_size]
    } catch {
      return [undefined, undefined]
    }
  }

  async stop (): Promise<void> {}
}
