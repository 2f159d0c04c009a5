import * as hdr from 'hdr-histogram-js'

export type LatencyHistogram = hdr.Histogram

/** Latencies in microseconds, 1 µs to an hour at 3 significant digits: fixed memory whatever the run's length. */
export function createLatencyHistogram (): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    bitBucketSize: 32
  })
}

const SETTINGS = { bitBucketSize: 32, useWebAssembly: false } as const

/** A histogram as text, for another thread: HdrHistogram's compressed form, exact counts. */
export function encodeLatency (histogram: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(histogram)
}

export function decodeLatency (encoded: string): LatencyHistogram {
  return hdr.decodeFromCompressedBase64(encoded, SETTINGS.bitBucketSize, SETTINGS.useWebAssembly)
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
