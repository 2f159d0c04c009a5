import { writeFileWhole } from '../recorder/write-whole.js'
import { join } from 'node:path'
import { makeOutputFolder } from '../recorder/output-folder.js'
import { compareRuns, compareText, type CompareRunInput, type Comparison } from '../report/compare.js'
import { compareHtml } from '../report/compare-html.js'
import { loadAnalysedRun } from '../report/verdict-source.js'
import { NotResultsFolderError } from '../errors.js'

export interface CompareCommandArgs {
  /** Two or more results folders; the first is the baseline. */
  dirs: string[]
  /** Folder for compare.html (default: the current directory). */
  out?: string
  /** Print the comparison as JSON instead of the table and sentences. */
  json?: boolean
}

/** Reads the runs (verdicts from summary.json, or analysed now) and compares them. */
export async function loadComparison (dirs: readonly string[]): Promise<{ runs: CompareRunInput[]; comparison: Comparison }> {
  const runs: CompareRunInput[] = []
  for (const dir of dirs) {
    const { input, ...v } = await loadAnalysedRun(dir)
    runs.push({ input, verdict: v.verdict, verdictFrom: v.from, noVerdictReason: v.reason })
  }
  return { runs, comparison: compareRuns(runs) }
}

/** `memsiege compare RUN_A RUN_B [...]`: prints the table and sentences, writes compare.html. 0, or 2 for bad folders. */
export async function compareCommand (args: CompareCommandArgs): Promise<number> {
  if (args.dirs.length < 2) {
    process.stderr.write(`memsiege: compare needs two results folders or more, not ${args.dirs.length}\n`)
    return 2
  }
  let loaded: Awaited<ReturnType<typeof loadComparison>>
  try {
    loaded = await loadComparison(args.dirs)
  } catch (err) {
    if (err instanceof NotResultsFolderError) {
      process.stderr.write(`memsiege: ${err.message}\n`)
      return 2
    }
    throw err
  }
  const outDir = makeOutputFolder(args.out ?? '.', '--out')
  const path = join(outDir, 'compare.html')
  writeFileWhole(path, compareHtml(loaded.runs, { comparison: loaded.comparison }))
  if (args.json) process.stdout.write(JSON.stringify({ ...loaded.comparison, html: path }, null, 2) + '\n')
  else process.stdout.write(`${compareText(loaded.comparison)}\nCompared:\t${path}\n`)
  return 0
}
