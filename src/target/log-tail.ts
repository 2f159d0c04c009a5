/** The end of target.log (or restart.log), quoted when a target fails to start. */
import { open } from 'node:fs/promises'

/** Lines of the log quoted in an error. */
export const LOG_TAIL_LINES = 20

/** The last `n` lines of a text file (reads at most its last 64 KiB); [] when unreadable. */
export async function tailLines (file: string, n: number): Promise<string[]> {
  try {
    const fh = await open(file, 'r')
    try {
      const { size } = await fh.stat()
      const length = Math.min(size, 64 * 1024)
      const buf = Buffer.alloc(length)
      await fh.read(buf, 0, length, size - length)
      const lines = buf.toString('utf8').split('\n')
      if (lines.at(-1) === '') lines.pop()
      if (length < size) lines.shift() // probably cut mid-line
      return lines.slice(-n)
    } finally {
      await fh.close()
    }
  } catch {
    return []
  }
}
