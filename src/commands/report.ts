import { writeReport } from '../report/write-report.js'
import { NotResultsFolderError } from '../errors.js'

export interface ReportCommandArgs {
  /** The results folder. */
  dir: string
  /** Where the lines naming the files go (default stdout; `run --json --report` passes stderr). */
  log?: (line: string) => void
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
