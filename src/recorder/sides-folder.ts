/**
 * A side-by-side results folder: one ordinary run folder per target, and sides.json naming the
 * targets in the order they were given (A, B, …), so that `memsiege compare` on the folder pairs
 * them the way the run did, not in the order the names sort.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../errors.js'
import { readRegularFile } from '../files/regular-file.js'
import { formatProblem } from '../scenario/validate.js'
import { writeFileWhole } from './write-whole.js'

export const SIDES_FILE = 'sides.json'

export interface SidesRecord {
  /** The targets' names, each its sub-folder's, in the scenario's order. */
  targets: string[]
  /** How they were driven: in lockstep, independently, or watched (no load from memsiege). */
  mode: 'lockstep' | 'independent' | 'watch'
}

export function writeSidesFile (dir: string, record: SidesRecord): void {
  writeFileWhole(join(dir, SIDES_FILE), JSON.stringify(record, null, 2) + '\n')
}

/**
 * The run folders of a side-by-side folder, in their targets' order; undefined when `dir` is not
 * one. A folder without sides.json whose sub-folders hold two runs or more is one too (its
 * sub-folders then in name order). A damaged sides.json is a ConfigError: which run is A is the
 * baseline of every sentence, not to be guessed silently.
 */
export function sidesFolders (dir: string): { folders: string[]; record?: SidesRecord } | undefined {
  if (!isFolder(dir) || existsSync(join(dir, 'summary.json'))) return undefined
  const file = join(dir, SIDES_FILE)
  if (existsSync(file)) {
    const record = readSidesFile(file)
    return { folders: record.targets.map((t) => join(dir, t)), record }
  }
  const runs = readdirSync(dir).sort().map((name) => join(dir, name)).filter((sub) => isFolder(sub) && existsSync(join(sub, 'summary.json')))
  return runs.length >= 2 ? { folders: runs } : undefined
}

function readSidesFile (file: string): SidesRecord {
  const damaged = (why: string): ConfigError => new ConfigError(`${file}: ${why}; remove it, and the runs in its sub-folders are compared in name order`)
  let record: unknown
  try {
    record = JSON.parse(readRegularFile(file))
  } catch (err) {
    throw damaged(err instanceof SyntaxError ? `not JSON (${err.message})` : `can't be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  const targets = (record as Partial<SidesRecord> | null)?.targets
  if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string' && formatProblem(t, 'name') === undefined)) {
    throw damaged('"targets" is not a list of the targets\' folder names')
  }
  return record as SidesRecord
}

function isFolder (path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}
