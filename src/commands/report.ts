import { join } from 'node:path'
import { writeFileWhole } from '../recorder/write-whole.js'
import { memorySvg } from '../report/memory-svg.js'
import { reportHtml } from '../report/report-html.js'
import { loadAnalysedRun } from '../report/verdict-source.js'
import { NotResultsFolderError } from '../errors.js'

export interface ReportCommandArgs {
  /** The results folder. */
  dir: string
  /** Where the lines naming the files go (default stdout; `run --json --report` passes stderr). */
  log?: (line: string) => void
}

export interface WrittenReport {
  html: string
  svg: string
  /** Where the verdict shown came from. */
  verdictFrom: 'summary' | 'analysis' | 'none'
}

/** Writes report.html and memory.svg into the results folder `dir`; throws NotResultsFolderError. */
export async function writeReport (dir: string): Promise<WrittenReport> {
  const { input, ...v } = await loadAnalysedRun(dir)
  const html = join(input.dir, 'report.html')
  const svg = join(input.dir, 'memory.svg')
  writeFileWhole(html, reportHtml(input, { verdictFrom: v.from, noVerdictReason: v.reason }))
  writeFileWhole(svg, memorySvg(input))
  return { html, svg, verdictFrom: v.from }
}

/** `memsiege report RUN_DIR`: 0, or 2 for a folder that isn't a results folder. */
export async function reportCommand (args: ReportCommandArgs): Promise<number> {
  const log = args.log ?? ((line: string) => { process.stdout.write(line + '\n') })
  try {
    const written = await writeReport(args.dir)
    log(`Report:\t${written.html}`)
    log(`Chart:\t${written.svg}`)
    return 0
  } catch (err) {
    if (err instanceof NotResultsFolderError) {
      process.stderr.write(`memsiege: ${err.message}\n`)
      return 2
    }
    throw err
  }
}
