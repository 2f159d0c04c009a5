/**
 * A fleet watched live: every `everyS`, the range from `since` (default: when the watch started)
 * to now is read from Prometheus and judged again, and a line says the fleet's verdict; a change
 * of which instances leak is said as an alert when asked for. A query that fails once (Prometheus
 * restarting, nothing scraped yet) is said and tried again at the next turn; the last verdict
 * stands until then. A query Prometheus refuses ends the watch (`done` rejects).
 */
import type { AnalysisOptions } from '../analysis/analyze-run.js'
import { judgeRange, type FleetQueries } from './judge-range.js'
import type { FleetVerdict } from './judge-fleet.js'
import { PrometheusEmptyError, PrometheusUnreachableError } from '../errors.js'

export interface FleetWatchOptions {
  queries: FleetQueries
  /** A time or a duration ago (fleet-range.ts); default: the watch's start. */
  since?: string
  step: string
  everyS: number
  /** Stop after this long; default: when `stop` is called. */
  forS?: number
  alertLeak: boolean
  options: AnalysisOptions
  say: (line: string) => void
}

export interface FleetWatch {
  /** The last verdict, when any turn gave one. */
  done: Promise<FleetVerdict | undefined>
  /** Ends the watch after the turn under way. */
  stop: () => void
}

export function watchFleet (o: FleetWatchOptions): FleetWatch {
  const started = Date.now() / 1000
  const state = { stopped: false }
  let wake: (() => void) | undefined
  const stop = () => {
    state.stopped = true
    wake?.()
  }
  const pause = (s: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, s * 1000)
    wake = () => {
      clearTimeout(timer)
      resolve()
    }
  })
  const done = (async () => {
    let last: FleetVerdict | undefined
    let leaking = ''
    const end = o.forS === undefined ? Infinity : started + o.forS
    while (!state.stopped) {
      await pause(Math.max(0, Math.min(o.everyS, end - Date.now() / 1000)))
      const now = Date.now() / 1000
      try {
        last = await judgeRange(o.queries, { since: o.since ?? String(started), until: String(now), step: o.step }, now, o.options)
        const leaks = last.instances.filter((v) => v.verdict === 'leak').map((v) => v.instance)
        o.say(`${new Date(now * 1000).toISOString().slice(11, 19)} ${last.verdict.toUpperCase()}: ${leaks.length ? `${leaks.length} of ${last.instances.length} instances leak (${leaks.join(', ')})` : `no instance of ${last.instances.length} leaks`}`)
        if (o.alertLeak && leaks.join(',') !== leaking) o.say(leaks.length ? `ALERT: leak: ${leaks.join(', ')}` : 'alert cleared: no instance leaks')
        leaking = leaks.join(',')
      } catch (err) {
        // A refused query or a bad flag stays so: only what time may mend is tried again.
        if (!(err instanceof PrometheusUnreachableError || err instanceof PrometheusEmptyError)) throw err
        o.say(`${new Date(now * 1000).toISOString().slice(11, 19)} no verdict: ${err.message}`)
      }
      if (now >= end) break
    }
    return last
  })()
  return { done, stop }
}
