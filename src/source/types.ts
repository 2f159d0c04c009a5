/** What `--find-source` stores in summary.json under `source` (src/source/). */

/** One allocation site as a probe answers it: live memory allocated since recording started. */
export interface ProbeSite {
  /** Allocating frame first: `function file:line` (Node), `Class file:line` (Ruby), `file:line` (Python). */
  stack: string[]
  bytes: number
  /** Live objects (Ruby, Python); absent where the method counts only bytes (Node's samples). */
  count?: number
}

/** A site whose live memory grew between the two snapshots. */
export interface GrownSite {
  /** The allocating frame: what the Source block names. */
  site: string
  bytes: number
  count?: number
  bytes_per_1000_requests: number
  count_per_1000_requests?: number
  /** Of the growth the verdict measured (its deciding metric), 0..1; absent when not comparable. */
  share?: number
  /** The stacks that allocated it, largest growth first (at most 3). */
  stacks: string[][]
}

export interface SourceSummary {
  runtime?: string
  /** How the sites were recorded, in words. */
  method: string
  /** Requests completed when recording started, when the first snapshot was taken and at the last. */
  requests: { recording: number; first: number; last: number }
  /** Growth under this (over the two snapshots) is noise and not reported. */
  noise_floor_bytes: number
  /** Largest growth first, at most 10. */
  sites: GrownSite[]
  /** Why there are no sites, or what went wrong: in words. */
  note?: string
}
