import { EventsCsv, eventRecord, type EventRecord } from '../recorder/events-csv.js'
import { resultsPath } from '../recorder/results-dir.js'
import type { Scenario } from '../scenario/types.js'
import { openTargetSession, type TargetSession } from './target-session.js'

/** A run's or a watch's target session, with what happened to the target recorded as it happens. */
export interface RecordedSession {
  session: TargetSession
  /** The events so far, for summary.json. */
  events: EventRecord[]
  /** Closes events.csv (opened at the first event: a run without one has none). */
  closeEvents (): void
}

/**
 * Opens the target session of the results folder `dir` (target.log there) and starts its
 * samplers; each event goes to events.csv, to `events` and to `onEvent`. A sampler that can't
 * start closes the session and throws.
 */
export async function openRecordedSession (scenario: Scenario, dir: string, warn: (message: string) => void, onEvent?: (event: EventRecord) => void): Promise<RecordedSession> {
  const events: EventRecord[] = []
  let eventsCsv: EventsCsv | undefined
  const session = await openTargetSession(scenario, {
    logFile: resultsPath(dir, 'target.log'),
    warn,
    onEvent: (event) => {
      const record = eventRecord(event)
      events.push(record)
      eventsCsv ??= new EventsCsv(resultsPath(dir, 'events.csv'))
      eventsCsv.write(record)
      onEvent?.(record)
    }
  })
  try {
    for (const sampler of session.samplers) await sampler.start()
  } catch (err) {
    await session.close()
    throw err
  }
  return { session, events, closeEvents: () => eventsCsv?.close() }
}
