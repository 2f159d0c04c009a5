/**
 * A side-by-side results folder: one ordinary run folder per target, and sides.json naming the
 * targets in the order they were given (A, B, …), so that `memsiege compare` on the folder pairs
 * them the way the run did, not in the order the names sort.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
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
 * sub-folders then in name order).
 */
export function sidesFolders (dir: string): { folders: string[]; record?: SidesRecord } | undefined {
  if (!isFolder(dir) || existsSync(join(dir, 'summary.json'))) return undefined
  const file = join(dir, SIDES_FILE)
  if (existsSync(file)) {
    try {
      const record = JSON.parse(readFileSync(file, 'utf8')) as SidesRecord
      if (Array.isArray(record.targets) && record.targets.every((t) => typeof t === 'string')) return { folders: record.targets.map((t) => join(dir, t)), record }
    } catch {}
  }
  const runs = readdirSync(dir).sort().map((name) => join(dir, name)).filter((sub) => isFolder(sub) && existsSync(join(sub, 'summary.json')))
  return runs.length >= 2 ? { folders: runs } : undefined
}

function isFolder (path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}
