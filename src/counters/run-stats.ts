import { createLatencyHistogram, latencyCounts, LatencyCountsReader, type LatencyCounts, type LatencyHistogram } from './latency-histogram.js'
import type { EndpointStats } from './endpoint-stats.js'
import { EndpointTable } from './endpoint-stats.js'
import type { ErrorKind } from './error-kind.js'
import { isFailedStatus, isSuccessfulStatus } from './status-rules.js'

/** What one sampling interval saw; the run loop turns it into a row of samples.csv. */
export interface IntervalFigures {
  requests: number
  errors: number
  bytes: number
  latency: LatencyHistogram
}

/** What `drain` hands over: counters since the last drain, histograms as their non-zero buckets. */
export interface StatsDelta {
  transactions: number
  successful: number
  failed: number
  bytes: number
  completed: number
  responseTimeSumUs: number
  longestUs: number
  shortestUs: number
  inFlightAtEnd: number
  lateStarts: number
  pacedFromMs: number
  rawLatency: LatencyCounts
  status: Array<[number, number]>
  errors: Record<ErrorKind, number>
  interval: { requests: number, errors: number, bytes: number, latency: LatencyCounts }
  endpoints: Array<{ key: string, transactions: number, successful: number, failed: number, bytes: number, latency: LatencyCounts }>
}

/**
 * Counters and histograms for a whole run. Nothing here grows with the number of
 * requests: the hot path only bumps numbers and records into two histograms (the
 * interval's and the endpoint's); the run-wide histogram is fed once per interval.
 */
export class RunStats {
  /** siege's "hits": responses that are neither 5xx nor 408. */
  transactions = 0
  successful = 0
  failed = 0
  bytes = 0
  /** Responses of any status plus requests that ended in an error. */
  completed = 0
  responseTimeSumUs = 0
  longestUs = 0
  shortestUs = Infinity
  /** Requests still waiting for their response when the run stopped: aborted, counted nowhere else. */
  inFlightAtEnd = 0
  readonly statusCounts = new Uint32Array(600)
  readonly errors: Record<ErrorKind, number> = { refused: 0, reset: 0, timeout: 0, dns: 0, tls: 0, other: 0 }
  readonly endpoints = new EndpointTable()
  readonly latency: LatencyHistogram = createLatencyHistogram()
  /** Fixed rate: latency from the actual send, beside `latency`, which runs from the scheduled start. */
  readonly rawLatency: LatencyHistogram = createLatencyHistogram()
  /** Fixed rate: scheduled requests that found every in-flight slot taken when they were due. */
  lateStarts = 0
  /** Fixed rate: when the schedule began (epoch ms; the earliest of the threads'), for the achieved rate. */
  pacedFromMs = Infinity

  #interval: IntervalFigures = { requests: 0, errors: 0, bytes: 0, latency: createLatencyHistogram() }
  #spare: LatencyHistogram = createLatencyHistogram()
  /** Only in the thread that absorbs others' figures. */
  #counts: LatencyCountsReader | undefined

  recordResponse (endpoint: EndpointStats, status: number, bytes: number, latencyUs: number): void {
    this.completed++
    this.bytes += bytes
    endpoint.bytes += bytes
    if (status < 600) this.statusCounts[status]++
    this.responseTimeSumUs += latencyUs
    if (latencyUs > this.longestUs) this.longestUs = latencyUs
    if (latencyUs < this.shortestUs) this.shortestUs = latencyUs
    const interval = this.#interval
    interval.requests++
    interval.bytes += bytes
    interval.latency.recordValue(latencyUs)
    endpoint.latency.recordValue(latencyUs)
    if (isFailedStatus(status)) {
      this.failed++
      endpoint.failed++
      interval.errors++
      return
    }
    this.transactions++
    endpoint.transactions++
    if (isSuccessfulStatus(status)) {
      this.successful++
      endpoint.successful++
    }
  }

  recordRaw (latencyUs: number): void {
    this.rawLatency.recordValue(latencyUs)
  }

  recordError (endpoint: EndpointStats, kind: ErrorKind): void {
    this.completed++
    this.failed++
    this.errors[kind]++
    endpoint.failed++
    this.#interval.requests++
    this.#interval.errors++
  }

  /** Hands over the interval that just ended and starts a new one; the histogram is valid until the next call. */
  takeInterval (): IntervalFigures {
    const ended = this.#interval
    this.latency.add(ended.latency)
    this.#spare.reset()
    this.#interval = { requests: 0, errors: 0, bytes: 0, latency: this.#spare }
    this.#spare = ended.latency
    return ended
  }

  /**
   * Everything recorded since the last drain, as plain data a worker thread can post, and the
   * counters set back to zero: the main thread's `absorb` adds it to its own, exactly.
   */
  drain (): StatsDelta {
    const status: Array<[number, number]> = []
    this.statusCounts.forEach((n, code) => { if (n > 0) status.push([code, n]) })
    const interval = this.#interval
    const delta: StatsDelta = {
      transactions: this.transactions,
      successful: this.successful,
      failed: this.failed,
      bytes: this.bytes,
      completed: this.completed,
      responseTimeSumUs: this.responseTimeSumUs,
      longestUs: this.longestUs,
      shortestUs: this.shortestUs,
      inFlightAtEnd: this.inFlightAtEnd,
      lateStarts: this.lateStarts,
      pacedFromMs: this.pacedFromMs,
      rawLatency: latencyCounts(this.rawLatency),
      status,
      errors: { ...this.errors },
      interval: { requests: interval.requests, errors: interval.errors, bytes: interval.bytes, latency: latencyCounts(interval.latency) },
      endpoints: this.endpoints.all().filter((e) => e.transactions + e.failed > 0).map((e) => ({
        key: e.key, transactions: e.transactions, successful: e.successful, failed: e.failed, bytes: e.bytes, latency: latencyCounts(e.latency)
      }))
    }
    this.transactions = this.successful = this.failed = this.bytes = this.completed = this.responseTimeSumUs = this.longestUs = this.inFlightAtEnd = 0
    this.shortestUs = Infinity
    this.lateStarts = 0
    this.rawLatency.reset()
    this.statusCounts.fill(0)
    for (const kind of Object.keys(this.errors) as ErrorKind[]) this.errors[kind] = 0
    interval.requests = interval.errors = interval.bytes = 0
    interval.latency.reset()
    for (const e of this.endpoints.all()) {
      e.transactions = e.successful = e.failed = e.bytes = 0
      e.latency.reset()
    }
    return delta
  }

  /** Adds another thread's drained figures to these. */
  absorb (delta: StatsDelta): void {
    this.transactions += delta.transactions
    this.successful += delta.successful
    this.failed += delta.failed
    this.bytes += delta.bytes
    this.completed += delta.completed
    this.responseTimeSumUs += delta.responseTimeSumUs
    this.longestUs = Math.max(this.longestUs, delta.longestUs)
    this.shortestUs = Math.min(this.shortestUs, delta.shortestUs)
    this.inFlightAtEnd += delta.inFlightAtEnd
    this.lateStarts += delta.lateStarts
    this.pacedFromMs = Math.min(this.pacedFromMs, delta.pacedFromMs)
    const counts = this.#counts ??= new LatencyCountsReader()
    counts.addTo(this.rawLatency, delta.rawLatency)
    for (const [code, n] of delta.status) this.statusCounts[code] += n
    for (const kind of Object.keys(delta.errors) as ErrorKind[]) this.errors[kind] += delta.errors[kind]
    const interval = this.#interval
    interval.requests += delta.interval.requests
    interval.errors += delta.interval.errors
    interval.bytes += delta.interval.bytes
    counts.addTo(interval.latency, delta.interval.latency)
    for (const d of delta.endpoints) {
      const e = this.endpoints.get(d.key)
      e.transactions += d.transactions
      e.successful += d.successful
      e.failed += d.failed
      e.bytes += d.bytes
      counts.addTo(e.latency, d.latency)
    }
  }

  statusCodes (): Record<string, number> {
    const out: Record<string, number> = {}
    this.statusCounts.forEach((n, code) => { if (n > 0) out[code] = n })
    return out
  }
}
