import { writeFileWhole } from '../recorder/write-whole.js'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { makeOutputFolder } from '../recorder/output-folder.js'
import { sidesFolders } from '../recorder/sides-folder.js'
import { compareRuns, compareText, type CompareRunInput, type Comparison } from '../report/compare.js'
import { compareHtml } from '../report/compare-html.js'
import { compareSides } from '../report/sides-compare.js'
import { loadAnalysedRun } from '../report/verdict-source.js'
import { ConfigError, NotResultsFolderError } from '../errors.js'

/** How the difference between targets side by side is judged, as compare.html says it: loaded with the same requests, or watched at the same time. */
const PAIRED_ON = {
  requests: 'The targets got the same requests side by side, so their floor series are paired on requests completed',
  time: 'The targets were watched side by side from the same moment, so their floor series are paired on time'
}
const PAIRED_TEST = ': the difference B − A is tested for a trend (Mann–Kendall with the autocorrelation correction) and its slope is Theil–Sen\'s with Sen\'s interval. Significant: p < 0.05 and the 95% interval excludes zero.'

export interface CompareCommandArgs {
  /** Two or more results folders; the first is the baseline. */
  dirs: string[]
  /** Folder for compare.html (default: the current directory). */
  out?: string
  /** Print the comparison as JSON instead of the table and sentences. */
  json?: boolean
}

interface Loaded { runs: CompareRunInput[]; comparison: Comparison; method?: string }

/** Reads the runs (verdicts from summary.json, or analysed now) and compares them; `sides`: targets loaded together, paired. */
export async function loadComparison (dirs: readonly string[], sides = false): Promise<Loaded> {
  const runs: CompareRunInput[] = []
  for (const dir of dirs) {
    const { input, ...v } = await loadAnalysedRun(dir)
    runs.push({ input, verdict: v.verdict, verdictFrom: v.from, noVerdictReason: v.reason })
  }
  if (!sides) return { runs, comparison: compareRuns(runs) }
  const comparison = compareSides(runs)
  return { runs, comparison, method: PAIRED_ON[comparison.time ? 'time' : 'requests'] + PAIRED_TEST }
}

/** compare.html and compare.txt in a side-by-side folder; a comparison that fails is a warning, the runs are kept. */
export async function writeSidesComparison (dir: string, runDirs: readonly string[], warn: (message: string) => void): Promise<Comparison | undefined> {
  try {
    const { runs, comparison, method } = await loadComparison(runDirs, true)
    writeFileWhole(join(dir, 'compare.html'), compareHtml(runs, { comparison, method }))
    writeFileWhole(join(dir, 'compare.txt'), compareText(comparison))
    return comparison
  } catch (err) {
    warn(`compare: ${(err as Error).message}`)
    return undefined
  }
}

/** The folders to compare: one side-by-side folder gives its targets' runs, paired; else two runs or more. */
function comparedFolders (dirs: readonly string[]): { folders: readonly string[]; sides: boolean } {
  const sides = dirs.map((dir) => sidesFolders(dir))
  const at = sides.findIndex((s) => s !== undefined)
  if (at < 0) {
    if (dirs.length < 2) throw new ConfigError(`compare needs two results folders or more, or one side-by-side folder, not ${dirs.length === 0 ? 'none' : dirs[0]} alone`)
    return { folders: dirs, sides: false }
  }
  if (dirs.length > 1) throw new ConfigError(`${dirs[at]} holds a side-by-side run: compare it alone (memsiege compare ${dirs[at]}), or name its targets' folders`)
  const ran = sides[at]!.folders.filter((f) => existsSync(join(f, 'summary.json')))
  if (ran.length < 2) throw new ConfigError(`${dirs[at]}: a side-by-side folder with ${ran.length === 0 ? 'no' : 'one'} finished target run; compare needs two`)
  return { folders: ran, sides: true }
}

/**
 * `memsiege compare RUN_A RUN_B [...]`, or `memsiege compare SIDE_BY_SIDE_FOLDER`: prints the
 * table and sentences, writes compare.html. 0, or 2 for bad folders.
 */
export async function compareCommand (args: CompareCommandArgs): Promise<number> {
  let loaded: Loaded
  try {
    const { folders, sides } = comparedFolders(args.dirs)
    loaded = await loadComparison(folders, sides)
  } catch (err) {
    if (err instanceof NotResultsFolderError || err instanceof ConfigError) {
      process.stderr.write(`memsiege: ${err.message}\n`)
      return 2
    }
    throw err
  }
  const outDir = makeOutputFolder(args.out ?? '.', '--out')
  const path = join(outDir, 'compare.html')
  writeFileWhole(path, compareHtml(loaded.runs, { comparison: loaded.comparison, ...(loaded.method ? { method: loaded.method } : {}) }))
  if (args.json) process.stdout.write(JSON.stringify({ ...loaded.comparison, html: path }, null, 2) + '\n')
  else process.stdout.write(`${compareText(loaded.comparison)}\nCompared:\t${path}\n`)
  return 0
}
