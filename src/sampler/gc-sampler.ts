/**
 * The app's own GC and heap figures, fetched from an HTTP endpoint (sample.gc): the Ruby or Node
 * probe's JSON, Go's expvar /debug/vars, or a Prometheus /metrics page.
 *
 * Columns: `gc_age_s`, `gc_errors`, then one `gc.*` column per numeric field of the FIRST fetch
 * (made in `start()`, which throws ConfigError when it fails: the header can't be written
 * without it). JSON fields become `gc.<dotted.path>` (flattenNumeric), Prometheus series
 * `gc.<name>{labels}` (selectSeries). Fields that appear in later fetches are ignored, with one
 * `warn` for the whole run; fields that disappear leave their cells empty.
 *
 * Fetches run on their own timer every `interval` seconds, independent of the row clock; `read()`
 * never waits for one. It returns the values of the latest successful fetch, repeated in every
 * row until the next one, with `gc_age_s` = seconds since that fetch completed (so a consumer can
 * drop repeats, or keep only rows where the age is below the row interval). After a FAILED fetch
 * (timeout, non-2xx, unparseable) the `gc.*` cells and `gc_age_s` are empty until a fetch
 * succeeds; `gc_errors` counts failed fetches since start. `read()` never throws.
 */
import type { Cell, Sampler } from './types.js'
import { GcFetcher, type GcResponse } from './gc-fetch.js'
import { flattenNumeric } from './gc-json.js'
import { parsePrometheusText, selectSeries } from './prometheus.js'
import { LongTimeout } from '../long-timeout.js'
import { GC_FIXED_MEANINGS, headerMeanings, recordable, type ColumnMeanings } from '../columns/index.js'
import { ConfigError } from '../errors.js'

export interface GcSamplerOptions {
  /** Absolute URL (resolve a path against target.url first). */
  url: string
  /** Seconds between fetches. */
  interval: number
  format?: 'auto' | 'json' | 'prometheus'
  /** Prometheus only: metric (or family) names to keep. */
  metrics?: string[]
  /** Seconds a fetch may take. Default: the interval, clamped to 1..10. */
  timeout?: number
  insecure?: boolean
  /** The probe's token (MEMSIEGE_PROBE_TOKEN), sent with every fetch. */
  token?: string
  /** Once-per-run notices (new fields ignored, first failure). Default: none. */
  warn?: (message: string) => void
}

export const GC_FIXED_COLUMNS = ['gc_age_s', 'gc_errors'] as const

export class GcSampler implements Sampler {
  #cols: string[] = [...GC_FIXED_COLUMNS]
  #meaningOf: ColumnMeanings = { ...GC_FIXED_MEANINGS }
  readonly #fetcher: GcFetcher
  readonly #intervalMs: number
  #latest?: Map<string, number>
  #latestAt = 0
  #errors = 0
  #known = new Set<string>()
  #warnedNew = false
  #warnedFailure = false
  #timer?: LongTimeout
  #inFlight?: Promise<void>
  #stopped = false
  readonly #opts: GcSamplerOptions

  constructor (opts: GcSamplerOptions) {
    this.#opts = opts
    this.#intervalMs = Math.max(0.01, opts.interval) * 1000
    const timeout = opts.timeout ?? Math.min(10, Math.max(1, opts.interval))
    this.#fetcher = new GcFetcher(opts.url, { timeoutMs: timeout * 1000, insecure: opts.insecure, token: opts.token })
  }

  get columns (): readonly string[] {
    return this.#cols
  }

  /** The endpoint's fields recognised by shape (src/columns/recognise.ts), fixed with the columns in start(). */
  get meanings (): ColumnMeanings {
    return this.#meaningOf
  }

  async start (): Promise<void> {
    const started = Date.now()
    let values: Map<string, number>
    try {
      values = this.#parse(await this.#fetcher.fetch())
    } catch (err) {
      await this.#fetcher.close()
      throw new ConfigError(`sample.gc: GET ${this.#opts.url} failed: ${(err as Error).message}`)
    }
    if (values.size === 0) {
      await this.#fetcher.close()
      const what = this.#opts.metrics ? `none of the metrics ${this.#opts.metrics.join(', ')}` : 'no numeric fields'
      throw new ConfigError(`sample.gc: ${this.#opts.url} answered with ${what}`)
    }
    this.#known = new Set(values.keys())
    this.#cols = [...GC_FIXED_COLUMNS, ...values.keys()]
    this.#meaningOf = recordable(headerMeanings(this.#cols))
    this.#latest = values
    this.#latestAt = Date.now()
    this.#schedule(started)
  }

  async read (): Promise<Cell[]> {
    const row: Cell[] = [undefined, this.#errors]
    const latest = this.#latest
    if (latest) row[0] = Math.round(Date.now() - this.#latestAt) / 1000
    for (let i = GC_FIXED_COLUMNS.length; i < this.#cols.length; i++) {
      const v = latest?.get(this.#cols[i]!)
      row.push(v === undefined || !Number.isFinite(v) ? undefined : v)
    }
    return row
  }

  async settle (): Promise<void> {
    await this.#inFlight
    if (!this.#stopped) await this.#fetchOnce()
  }

  async stop (): Promise<void> {
    this.#stopped = true
    this.#timer?.clear()
    await this.#inFlight
    await this.#fetcher.close()
  }

  #schedule (lastStart: number): void {
    if (this.#stopped) return
    const wait = Math.max(0, lastStart + this.#intervalMs - Date.now())
    // The run loop owns the lifetime (stop()); a forgotten sampler mustn't keep memsiege alive.
    this.#timer = new LongTimeout(() => {
      const started = Date.now()
      this.#inFlight = this.#fetchOnce().finally(() => {
        this.#inFlight = undefined
        this.#schedule(started)
      })
    }, wait).unref()
  }

  async #fetchOnce (): Promise<void> {
    try {
      const values = this.#parse(await this.#fetcher.fetch())
      if (values.size === 0) throw new Error('no numeric fields in the answer')
      if (this.#stopped) return
      this.#latest = values
      this.#latestAt = Date.now()
      this.#noticeNewFields(values)
    } catch (err) {
      if (this.#stopped) return
      this.#errors++
      this.#latest = undefined
      if (!this.#warnedFailure) {
        this.#warnedFailure = true
        this.#opts.warn?.(`GC endpoint ${this.#opts.url}: ${(err as Error).message}; its cells stay empty until a fetch succeeds (failures are counted in gc_errors)`)
      }
    }
  }

  #noticeNewFields (values: Map<string, number>): void {
    if (this.#warnedNew) return
    const fresh = [...values.keys()].filter((k) => !this.#known.has(k))
    if (fresh.length === 0) return
    this.#warnedNew = true
    const shown = fresh.slice(0, 5).join(', ') + (fresh.length > 5 ? `, ... (${fresh.length} in all)` : '')
    this.#opts.warn?.(`GC endpoint ${this.#opts.url} has fields its first answer didn't (${shown}); they are not recorded, since samples.csv columns are fixed at the start`)
  }

  #parse (res: GcResponse): Map<string, number> {
    const format = this.#opts.format ?? 'auto'
    const json = format === 'json' || (format === 'auto' && looksLikeJson(res))
    if (json) {
      let doc: unknown
      try {
        doc = JSON.parse(res.body)
      } catch {
        throw new Error(`not JSON: ${clip(res.body)}`)
      }
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('JSON answer is not an object')
      return flattenNumeric(doc).values
    }
    return selectSeries(parsePrometheusText(res.body), this.#opts.metrics)
  }
}

function looksLikeJson (res: GcResponse): boolean {
  if (/\bjson\b/i.test(res.contentType)) return true
  if (/text\/plain|openmetrics/i.test(res.contentType)) return false
  return res.body.trimStart().startsWith('{')
}

function clip (body: string): string {
  const s = body.trim().replace(/\s+/g, ' ')
  return JSON.stringify(s.length > 60 ? s.slice(0, 57) + '...' : s)
}
