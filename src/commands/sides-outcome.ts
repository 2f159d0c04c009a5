/**
 * The end of targets side by side, alike for `run` and `watch`: what went wrong with each target
 * said on stderr, then the comparison of those whose results were written, and stdout.
 */
import { compareText } from '../report/compare.js'
import type { SidesResult } from '../run/side-by-side.js'
import { writeSidesComparison } from './compare.js'

interface SideResult {
  dir: string
  summary: object
  writeError?: string
}

/** Each side that has a result (a target whose run never started is said, and has none); `lost`: a side has no result or could not write it whole. */
export function sideResults<R extends SideResult> (done: SidesResult<R>): { results: Array<{ name: string; result: R }>; lost: boolean } {
  const results: Array<{ name: string; result: R }> = []
  let lost = false
  for (const side of done.sides) {
    if (side.result === undefined) {
      process.stderr.write(`memsiege: ${side.name}: ${side.error!.message}\n`)
      lost = true
      continue
    }
    if (side.result.writeError) {
      process.stderr.write(`memsiege: ${side.name}: error: ${side.result.writeError}\n`)
      lost = true
    }
    results.push({ name: side.name, result: side.result })
  }
  return { results, lost }
}

/** compare.html and compare.txt over the sides written whole (two or more), then stdout: JSON with each side's summary under `key`, or the comparison and the folder. */
export async function writeSidesEnd<R extends SideResult> (done: SidesResult<R>, key: 'runs' | 'watches', output: { json: boolean; quiet: boolean }, warn: (message: string) => void): Promise<void> {
  const written = done.sides.flatMap((s) => s.result && !s.result.writeError ? [s.result.dir] : [])
  const comparison = written.length >= 2 ? await writeSidesComparison(done.dir, written, warn) : undefined
  if (output.json) process.stdout.write(JSON.stringify({ results_dir: done.dir, [key]: done.sides.map((s) => s.result?.summary ?? { name: s.name, error: s.error?.message }), comparison }, null, 2) + '\n')
  else if (!output.quiet) process.stdout.write(`${comparison ? compareText(comparison) + '\n' : ''}Results:\t${done.dir}\n`)
}
