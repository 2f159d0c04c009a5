/**
 * The x axis of a watch. memsiege sends no load, so it has no request count of its own: it reads
 * one the app or its proxy keeps (a Prometheus counter, nginx's stub_status, an access log it
 * follows), or, without one, the target's CPU time (its work: a stretch without traffic adds
 * almost nothing), or, without a process to read that from, counts seconds. The count starts at 0
 * when the watch does, and runs on across the app's restarts (a counter that falls back
 * restarted from 0).
 */
import { CPU_AXIS, TIME_AXIS } from '../analysis/x-axis.js'
import { ConfigError } from '../errors.js'
import { GcFetcher } from '../sampler/gc-fetch.js'
import { parsePrometheusText } from '../sampler/prometheus.js'
import { AccessLogFollower } from './access-log.js'

export type CounterSpec =
  | { kind: 'time' }
  | { kind: 'cpu'; of: { readonly cpuSeconds: number } }
  | { kind: 'prometheus'; url: string; metric: string }
  | { kind: 'stub_status'; url: string }
  | { kind: 'log'; file: string }

export interface RequestCounter {
  /** What the `requests` column counts, in words: said in the verdict and summary.json's `x_axis`. */
  readonly xAxis: string
  /** The first reading, the zero; throws ConfigError when the counter can't be read at all. */
  start (): Promise<void>
  /** Requests since start(); undefined when this reading failed (the row's cell stays empty). */
  read (elapsedS: number): Promise<number | undefined>
  close (): Promise<void>
}

export function requestCounter (spec: CounterSpec, insecure: boolean): RequestCounter {
  switch (spec.kind) {
    case 'time': return new Seconds()
    case 'cpu': return new CpuSeconds(spec.of)
    case 'prometheus': return new Cumulative(`requests counted by the app's Prometheus counter ${spec.metric} (${spec.url})`, '--requests-from-prom', promReader(spec.url, spec.metric, insecure))
    case 'stub_status': return new Cumulative(`requests counted by nginx's stub_status (${spec.url}), less memsiege's own reads of it`, '--requests-from-nginx', stubStatusReader(spec.url, insecure))
    case 'log': return new AccessLogFollower(spec.file)
  }
}

class Seconds implements RequestCounter {
  readonly xAxis = TIME_AXIS
  async start (): Promise<void> {}
  async read (elapsedS: number): Promise<number> {
    return elapsedS
  }

  async close (): Promise<void> {}
}

/** The target's CPU seconds, as its process sampler last read them (the row's samples are read first). */
class CpuSeconds implements RequestCounter {
  readonly xAxis = CPU_AXIS
  constructor (readonly process: { readonly cpuSeconds: number }) {}
  async start (): Promise<void> {}
  async read (): Promise<number> {
    return Math.round(this.process.cpuSeconds * 1000) / 1000
  }

  async close (): Promise<void> {}
}

interface TotalReader {
  read (): Promise<number>
  close (): Promise<void>
}

/** A running total read from the app: the count since start, carried across the app's restarts. */
class Cumulative implements RequestCounter {
  readonly #reader: TotalReader
  readonly #flag: string
  #last = 0
  #sum = 0

  constructor (readonly xAxis: string, flag: string, reader: TotalReader) {
    this.#reader = reader
    this.#flag = flag
  }

  async start (): Promise<void> {
    try {
      this.#last = await this.#reader.read()
    } catch (err) {
      await this.#reader.close()
      throw new ConfigError(`${this.#flag}: ${(err as Error).message}`)
    }
  }

  async read (): Promise<number | undefined> {
    let total: number
    try {
      total = await this.#reader.read()
    } catch {
      return undefined
    }
    // A total that went down is a new process counting from 0.
    this.#sum += total >= this.#last ? total - this.#last : total
    this.#last = total
    return this.#sum
  }

  async close (): Promise<void> {
    await this.#reader.close()
  }
}

/** The metric's samples summed over their labels (every status, route, method). */
function promReader (url: string, metric: string, insecure: boolean): TotalReader {
  const fetcher = new GcFetcher(url, { timeoutMs: 5000, insecure })
  return {
    async read () {
      const { samples } = parsePrometheusText((await fetcher.fetch()).body)
      const mine = samples.filter((s) => s.name === metric)
      if (mine.length === 0) {
        const names = [...new Set(samples.map((s) => s.name))].filter((n) => /total|count|requests/i.test(n)).slice(0, 8)
        throw new Error(`no metric ${metric} at ${url}${names.length ? ` (counters there: ${names.join(', ')})` : ''}`)
      }
      return mine.reduce((sum, s) => sum + s.value, 0)
    },
    close: () => fetcher.close()
  }
}

const STUB_STATUS = /server accepts handled requests\s+(\d+)\s+(\d+)\s+(\d+)/

/**
 * nginx's `requests` figure. It counts every request, memsiege's reads of the page too (each
 * one already counted when it is answered): they are taken off.
 */
function stubStatusReader (url: string, insecure: boolean): TotalReader {
  const fetcher = new GcFetcher(url, { timeoutMs: 5000, insecure })
  let reads = 0
  let lastRaw = 0
  return {
    async read () {
      const body = (await fetcher.fetch()).body
      const m = STUB_STATUS.exec(body)
      if (!m) throw new Error(`${url} is not an nginx stub_status page (no "server accepts handled requests" line)`)
      const raw = Number(m[3])
      // a restarted nginx counts from 0, our earlier reads no longer among its requests
      if (raw < lastRaw) reads = 0
      lastRaw = raw
      reads++
      return raw - reads
    },
    close: () => fetcher.close()
  }
}
