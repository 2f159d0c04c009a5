import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { WriteWholeError } from '../errors.js'

/**
 * Writes `path` whole: into a temporary file beside it, then renamed over it, so that a reader,
 * a crash or a full disk never leaves half a file (or a summary.json of 0 bytes) in its place;
 * the old file, if any, stays until the new one is complete.
 */
export function writeFileWhole (path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    writeFileSync(tmp, data)
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw new WriteWholeError(path, err as Error)
  }
}
