/**
 * summary.json's `source`: the two snapshots diffed and ranked, each site's growth per 1,000
 * requests and its share of the growth the verdict measured on its deciding metric.
 */
import type { RunVerdict } from '../analysis/types.js'
import { formatBytes } from '../units/format.js'
import { grownSites } from './diff-sites.js'
import type { SourceSnapshots } from './source-recorder.js'
import type { GrownSite, SourceSummary } from './types.js'

export type SourceRuntime = 'node' | 'ruby' | 'python'

const METHOD: Record<SourceRuntime, string> = {
  node: "V8's sampling heap profiler (in-process inspector session), live samples after a full GC",
  ruby: 'ObjectSpace.trace_object_allocations, live objects after full GCs, by class and allocation line',
  python: 'tracemalloc, snapshots compared by traceback',
}

/**
 * A site that grew less than this between the snapshots is noise: Node's figures are samples one
 * every 16 KiB allocated (16 of them), Ruby's and Python's are exact but for what requests
 * in flight hold at the moment of each snapshot.
 */
export const NOISE_FLOOR_BYTES: Record<SourceRuntime, number> = { node: 256 * 1024, ruby: 64 * 1024, python: 64 * 1024 }

export function sourceSummary (taken: SourceSnapshots | string, runtime: SourceRuntime | undefined, verdict: RunVerdict | undefined): SourceSummary {
  const floor = NOISE_FLOOR_BYTES[runtime ?? 'node']
  const method = runtime ? METHOD[runtime] : "the probe's allocation sites"
  if (typeof taken === 'string') return { ...(runtime ? { runtime } : {}), method, requests: { recording: 0, first: 0, last: 0 }, noise_floor_bytes: floor, sites: [], note: taken }
  const requests = { recording: taken.recording.requests, first: taken.first.at.requests, last: taken.last.at.requests }
  const between = requests.last - requests.first
  const sites = between > 0 ? grownSites(taken.first.sites, taken.last.sites, floor, 1000 / between) : []
  const withShares = sites.map((s) => ({ ...s, ...shareOf(s, verdict) }))
  return {
    ...(runtime ? { runtime } : {}),
    method,
    requests,
    noise_floor_bytes: floor,
    sites: withShares,
    ...(sites.length === 0 ? { note: `no allocation site grew more than ${formatBytes(floor)} over the ${between.toLocaleString('en-US')} requests between the snapshots` } : {}),
  }
}

/** The site's rate over that of the deciding metric that leaks, when they are in the same unit (bytes, or objects counted). */
function shareOf (site: GrownSite, verdict: RunVerdict | undefined): { share?: number } {
  for (const m of verdict?.metrics ?? []) {
    const rate = m.per_request?.value
    if (!m.decides || m.verdict !== 'leak' || rate === undefined || rate <= 0) continue
    if (m.unit === 'bytes') return { share: site.bytes_per_1000_requests / 1000 / rate }
    if (m.unit === 'objects' && site.count_per_1000_requests !== undefined) return { share: site.count_per_1000_requests / 1000 / rate }
  }
  return {}
}
