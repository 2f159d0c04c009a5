import type { Pool } from 'undici'
import { undici } from '../lazy-undici.js'

export interface PoolSettings {
  connections: number
  /** Seconds, applied to connect, headers and body alike. */
  timeout: number
  insecure: boolean
}

/** One undici Pool per origin, capped at the run's concurrency: an Agent would hide the socket cap. */
export class PoolSet {
  readonly #pools = new Map<string, Pool>()
  readonly #settings: PoolSettings

  constructor (settings: PoolSettings) {
    this.#settings = settings
  }

  get (origin: string): Pool {
    let pool = this.#pools.get(origin)
    if (!pool) {
      const { connections, timeout, insecure } = this.#settings
      const ms = Math.round(timeout * 1000)
      pool = new (undici().Pool)(origin, {
        connections,
        pipelining: 1,
        headersTimeout: ms,
        bodyTimeout: ms,
        connect: { timeout: ms, rejectUnauthorized: !insecure }
      })
      this.#pools.set(origin, pool)
    }
    return pool
  }

  async close (): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.destroy()))
    this.#pools.clear()
  }
}
