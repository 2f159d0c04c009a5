import { createLatencyHistogram, type LatencyHistogram } from './latency-histogram.js'
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

  #interval: IntervalFigures = { requests: 0, errors: 0, bytes: 0, latency: createLatencyHistogram() }
  #spare: LatencyHistogram = createLatencyHistogram()

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

  statusCodes (): Record<string, number> {
    const out: Record<string, number> = {}
    this.statusCounts.forEach((n, code) => { if (n > 0) out[code] = n })
    return out
  }
}
