import type { GcEndpointConfig, Scenario, TargetConfig } from '../scenario/types.js'

/** What `memsiege watch` without a scenario file is told on its command line. */
export interface WatchTarget {
  target: Pick<TargetConfig, 'pid' | 'port' | 'command'> & { insecure: boolean }
  /** Seconds between rows. */
  interval: number
  gcUrl?: string
  out?: string
}

/**
 * The scenario a watch runs on when there is no scenario file: a target, how to sample it, no
 * URL list (memsiege sends nothing).
 */
export function watchScenario (w: WatchTarget): Scenario {
  const gc: GcEndpointConfig | undefined = w.gcUrl ? { url: w.gcUrl, interval: Math.max(w.interval, 1), format: 'auto' } : undefined
  return {
    name: 'watch',
    target: { ...w.target, readyTimeout: 30, tree: true },
    urls: { text: '', entries: [] },
    concurrency: 0,
    stop: { kind: 'forever' },
    delay: 0,
    order: 'sequential',
    headers: [],
    timeout: 30,
    follow: true,
    cookies: false,
    sample: { interval: w.interval, pssInterval: 30, ...(gc ? { gc } : {}) },
    ...(w.out !== undefined ? { out: w.out } : {})
  }
}
