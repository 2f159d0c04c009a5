/**
 * When `--find-source` asks the probe for what: recording starts where the verdict's warm-up ends
 * (what is allocated before is never seen), the first snapshot is taken halfway through what
 * remains, the last at the end. Diffing those two leaves out what the steady state allocates
 * and keeps a bounded time (a full cache, a pool), which a single snapshot would count.
 */
import type { Scenario } from '../scenario/types.js'
import type { WarmupSpec } from '../units/warmup.js'
import { AUTO_WARMUP_MAX_FRACTION } from '../analysis/warmup.js'
import { ConfigError } from '../errors.js'

/** Where a run is: requests completed and seconds elapsed. */
export interface RunPosition { requests: number; seconds: number }

export interface SourceSchedule {
  /** Whether recording should start at `at`. */
  recordingStarts (at: RunPosition): boolean
  /** Where the first snapshot is due, once recording started at `started`. */
  firstSnapshotDue (started: RunPosition, at: RunPosition): boolean
}

/** Throws ConfigError for a run with no end known in advance (the first snapshot's place depends on it). */
export function sourceSchedule (scenario: Scenario, warmup: WarmupSpec | undefined): SourceSchedule {
  const end = runEnd(scenario)
  const spec = warmup ?? { kind: 'auto' }
  // auto may leave out up to its cap: starting there never records what the verdict calls warm-up
  const fraction = spec.kind === 'fraction' ? spec.value : spec.kind === 'auto' ? AUTO_WARMUP_MAX_FRACTION : undefined
  const onAxis = (at: RunPosition): number => (end.axis === 'requests' ? at.requests : at.seconds)
  return {
    recordingStarts: (at) => {
      if (spec.kind === 'requests') return at.requests >= spec.value
      if (spec.kind === 'seconds') return at.seconds >= spec.value
      return onAxis(at) >= end.total * fraction!
    },
    firstSnapshotDue: (started, at) => onAxis(at) >= onAxis(started) + (end.total - onAxis(started)) / 2,
  }
}

function runEnd (scenario: Scenario): { axis: 'requests' | 'seconds'; total: number } {
  const { stop, concurrency, urls } = scenario
  switch (stop.kind) {
    case 'duration': return { axis: 'seconds', total: stop.seconds }
    case 'requests': return { axis: 'requests', total: stop.count }
    case 'passes': return { axis: 'requests', total: stop.count * urls.entries.length * concurrency }
    case 'repetitions': return { axis: 'requests', total: stop.count * concurrency }
    case 'forever': throw new ConfigError('--find-source (findSource) needs a run with an end: a duration or a number of requests')
  }
}
