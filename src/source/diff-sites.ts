/**
 * The sites whose live memory grew between two snapshots of a probe: diffed by stack (the same
 * stack in both is the same allocation path), then summed by allocating frame, ranked, and cut
 * at the noise floor: a site that grew less is never reported, however the others did.
 */
import type { GrownSite, ProbeSite } from './types.js'

/** Sites reported at most. */
export const MAX_SITES = 10
const MAX_STACKS = 3

interface Growth { bytes: number; count?: number; stacks: Array<{ stack: string[]; bytes: number }> }

/** `perThousand`: 1000 / the requests between the snapshots. */
export function grownSites (first: readonly ProbeSite[], last: readonly ProbeSite[], noiseFloorBytes: number, perThousand: number): GrownSite[] {
  const before = new Map<string, ProbeSite>()
  for (const s of first) add(before, s)
  const after = new Map<string, ProbeSite>()
  for (const s of last) add(after, s)
  const bySite = new Map<string, Growth>()
  for (const [key, now] of after) {
    const then = before.get(key)
    const bytes = now.bytes - (then?.bytes ?? 0)
    if (bytes <= 0) continue
    const site = now.stack[0] ?? '(unknown)'
    const g = bySite.get(site) ?? { bytes: 0, stacks: [] }
    g.bytes += bytes
    if (now.count !== undefined) g.count = (g.count ?? 0) + now.count - (then?.count ?? 0)
    g.stacks.push({ stack: now.stack, bytes })
    bySite.set(site, g)
  }
  return [...bySite.entries()]
    .filter(([, g]) => g.bytes > noiseFloorBytes)
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, MAX_SITES)
    .map(([site, g]) => ({
      site,
      bytes: g.bytes,
      ...(g.count !== undefined ? { count: g.count, count_per_1000_requests: g.count * perThousand } : {}),
      bytes_per_1000_requests: g.bytes * perThousand,
      stacks: g.stacks.sort((a, b) => b.bytes - a.bytes).slice(0, MAX_STACKS).map((s) => s.stack),
    }))
}

function add (into: Map<string, ProbeSite>, site: ProbeSite): void {
  const key = site.stack.join('\n')
  const had = into.get(key)
  if (!had) into.set(key, { ...site })
  else {
    had.bytes += site.bytes
    if (site.count !== undefined) had.count = (had.count ?? 0) + site.count
  }
}
