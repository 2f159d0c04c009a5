import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import { storageProblem } from '../files/storage.js'

/**
 * Creates the folder `dir` (and its parents) for memsiege's output; `what` names where it came
 * from (`--out`) for the error. Refuses a folder on a pseudo-filesystem with one line. `mode`:
 * of the folders it creates (0o700 for a folder of secrets).
 */
export function makeOutputFolder (dir: string, what: string, mode?: number): string {
  const path = resolve(dir)
  const problem = storageProblem(path)
  if (problem) throw new ConfigError(`${what} ${path}: ${problem}`)
  try {
    mkdirSync(path, { recursive: true, ...(mode !== undefined ? { mode } : {}) })
  } catch (err) {
    const { code } = err as NodeJS.ErrnoException
    throw new ConfigError(`${what} ${path}: ${code === 'EEXIST' ? 'a file is in the way' : code === 'ENOTDIR' ? 'a file is in the way of one of its folders' : `cannot create the folder (${code ?? (err as Error).message})`}`)
  }
  return path
}
