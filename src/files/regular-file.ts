/**
 * Files memsiege reads whole (summary.json, events.csv, a CA's PEM files, an access log) must be
 * regular files: opening a FIFO waits for a writer that never comes, and /dev/zero never ends.
 * stat(2) says what a path is without opening it, so the mistake is one line instead of a hang.
 */
import { readFileSync, statSync, type Stats } from 'node:fs'

/** What `path` is when it exists and is not a regular file ("a folder", "a named pipe"…); undefined otherwise. */
export function notRegularFile (path: string): string | undefined {
  let stat: Stats
  try {
    stat = statSync(path)
  } catch {
    return undefined
  }
  if (stat.isFile()) return undefined
  if (stat.isDirectory()) return 'a folder'
  if (stat.isFIFO()) return 'a named pipe'
  if (stat.isSocket()) return 'a socket'
  return 'a device'
}

/** The text of `path`; throws an Error saying what it is when it is not a regular file (then nothing is opened). */
export function readRegularFile (path: string): string {
  const kind = notRegularFile(path)
  if (kind) throw new Error(`${kind}, not a file`)
  return readFileSync(path, 'utf8')
}
