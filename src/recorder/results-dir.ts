import { existsSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { makeOutputFolder } from './output-folder.js'

export interface NewResultsDir {
  path: string
  /**
   * For a start that failed: removes the folder when this call made it, since it holds nothing
   * to analyse and `analyze` would refuse it. A folder that was there before is left as it is.
   */
  discard (): void
}

/** results/<UTC time>-<name>/, or the folder the user named; created now, so that a bad path fails before the load. */
export function openResultsDir (name: string, out: string | undefined, now: Date = new Date()): NewResultsDir {
  const wanted = out || join('results', `${utcStamp(now)}-${safeName(name)}`)
  const existed = existsSync(resolve(wanted))
  const path = makeOutputFolder(wanted, '--out')
  return { path, discard: () => { if (!existed) rmSync(path, { recursive: true, force: true }) } }
}

export function createResultsDir (name: string, out: string | undefined, now: Date = new Date()): string {
  return openResultsDir(name, out, now).path
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
