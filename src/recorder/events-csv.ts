import { CsvRowFile } from './csv-row-file.js'
import type { TargetEvent } from '../target/events.js'
import { describeExit } from '../target/events.js'

/** One row of events.csv and one entry of summary.json's `events`. */
export interface EventRecord {
  time: string
  type: TargetEvent['type']
  pid: number
  detail: string
}

export function eventRecord (event: TargetEvent): EventRecord {
  const detail = event.type === 'target_exited'
    ? (event.exit ? describeExit(event.exit) : 'exited')
    : `${event.reason ? `${event.reason}; ` : ''}replaces pid ${event.previousPid}${event.startTime ? `, started ${new Date(event.startTime).toISOString()}` : ''}`
  return { time: new Date(event.time).toISOString(), type: event.type, pid: event.pid, detail }
}

/** events.csv: what happened to the target, a whole row per write as samples.csv. */
export class EventsCsv {
  readonly #file: CsvRowFile

  constructor (path: string) {
    this.#file = new CsvRowFile(path, ['time', 'type', 'pid', 'detail'])
  }

  write (record: EventRecord): void {
    this.#file.append([record.time, record.type, record.pid, record.detail])
  }

  close (): void {
    this.#file.close()
  }
}
