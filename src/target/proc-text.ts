/**
 * A small /proc file as text, without fs.readFile's cost: /proc files report size 0, so readFile
 * allocates 64 KiB for each one and reads twice. A sampler reading every /proc/PID/stat of the
 * machine many times a second then churns hundreds of MiB a second through malloc, which
 * fragments (memsiege's own RSS crept up over a long watch) and slows the sampling down.
 * Here each read takes a slice of Node's shared Buffer pool instead.
 */
import { close, open, read } from 'node:fs'

/** Under half of Buffer.poolSize (8 KiB), so Buffer.allocUnsafe slices the pool instead of allocating. */
const CHUNK = 4000

export function readProcText (path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    open(path, 'r', (err, fd) => {
      if (err) {
        reject(err)
        return
      }
      const chunks: Buffer[] = []
      const next = (): void => {
        const chunk = Buffer.allocUnsafe(CHUNK)
        read(fd, chunk, 0, CHUNK, null, (err, n) => {
          if (!err && n > 0) chunks.push(chunk.subarray(0, n))
          // The files read here (stat, status, smaps_rollup) are each made whole by the kernel in
          // one go (single_open), so a short read is their end: no extra read to see 0 bytes.
          if (!err && n === CHUNK) {
            next()
            return
          }
          close(fd, () => {
            if (err) reject(err)
            else resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'))
          })
        })
      }
      next()
    })
  })
}
