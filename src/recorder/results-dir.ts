import { join } from 'node:path'
import { makeOutputFolder } from './output-folder.js'

/** results/<UTC time>-<name>/, or the folder the user named; created now, so that a bad path fails before the load. */
export function createResultsDir (name: string, out: string | undefined, now: Date = new Date()): string {
  return makeOutputFolder(out || join('results', `${utcStamp(now)}-${safeName(name)}`), '--out')
}

export function resultsPath (dir: string, file: string): string {
  return join(dir, file)
}

function utcStamp (date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}

function safeName (name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'run'
}
