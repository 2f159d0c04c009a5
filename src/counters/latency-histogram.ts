// hdr-histogram-js's index loads its WebAssembly build, pako, base64 and log codecs (≈55 ms of CPU
// in every thread that imports it: each worker thread pays it again); memsiege records into its
// plain Uint32Array histogram only, so it loads that class alone.
import Int32HistogramModule from 'hdr-histogram-js/dist/Int32Histogram.js'

const Int32Histogram = Int32HistogramModule.default

export type LatencyHistogram = InstanceType<typeof Int32Histogram>

/** Latencies in microseconds, 1 µs to an hour at 3 significant digits: fixed memory whatever the run's length. */
export function createLatencyHistogram (): LatencyHistogram {
  return new Int32Histogram(1, 3_600_000_000, 3)
}

/** A histogram for another thread: its non-zero buckets as (index, count) pairs, exact. */
export type LatencyCounts = number[]

export function latencyCounts (histogram: LatencyHistogram): LatencyCounts {
  const pairs: LatencyCounts = []
  if (histogram.totalCount === 0) return pairs
  for (let i = 0; i < histogram.countsArrayLength; i++) {
    const count = histogram.getCountAtIndex(i)
    if (count > 0) pairs.push(i, count)
  }
  return pairs
}

/** Histograms rebuilt from another thread's counts, added through one spare. */
export class LatencyCountsReader {
  readonly #spare = createLatencyHistogram()

  /** Adds `counts` to `histogram`: as HdrHistogram decodes a histogram, then adds it. */
  addTo (histogram: LatencyHistogram, counts: LatencyCounts): void {
    if (counts.length === 0) return
    const spare = this.#spare
    spare.reset()
    for (let i = 0; i < counts.length; i += 2) spare.setCountAtIndex(counts[i], counts[i + 1])
    spare.establishInternalTackingValues()
    histogram.add(spare)
  }
}

export interface LatencyPercentiles {
  p50_ms: number
  p90_ms: number
  p99_ms: number
  p999_ms: number
  max_ms: number
  min_ms: number
  mean_ms: number
}

export function latencyPercentiles (histogram: LatencyHistogram): LatencyPercentiles {
  const ms = (us: number) => us / 1000
  const empty = histogram.totalCount === 0
  return {
    p50_ms: ms(histogram.getValueAtPercentile(50)),
    p90_ms: ms(histogram.getValueAtPercentile(90)),
    p99_ms: ms(histogram.getValueAtPercentile(99)),
    p999_ms: ms(histogram.getValueAtPercentile(99.9)),
    max_ms: ms(histogram.maxValue),
    min_ms: empty ? 0 : ms(histogram.minNonZeroValue),
    mean_ms: empty ? 0 : ms(histogram.mean)
  }
}
