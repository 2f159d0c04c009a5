/**
 * Every error memsiege raises on purpose, in one place, each with a stable `code` (as undici's
 * lib/core/errors.js does): callers and library users tell them apart by `code`, which never
 * changes, rather than by message, which may. `userMistake` says whether the input was wrong
 * (the CLI prints the message as one line and exits 2) or something failed at run time (exit 1).
 */
export class MemsiegeError extends Error {
  readonly code: string = 'MEMSIEGE_ERR'
  readonly userMistake: boolean = false
}

/** `file`, `file:line` or `file:line:column`: the prefix editors and terminals jump to. */
export function formatWhere ({ file, line, column }: { file?: string, line?: number, column?: number }): string {
  if (line === undefined) return file ?? ''
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`
}

/** A mistake in the user's input: a scenario, a URL file, a flag. */
export class ConfigError extends MemsiegeError {
  override readonly code = 'MEMSIEGE_ERR_CONFIG'
  override readonly userMistake = true
  readonly file?: string
  readonly line?: number
  readonly column?: number

  constructor (message: string, where: { file?: string, line?: number, column?: number } = {}) {
    super(where.file ? `${formatWhere(where)}: ${message}` : message)
    this.name = 'ConfigError'
    this.file = where.file
    this.line = where.line
    this.column = where.column
  }
}

/** A command line that names no work (no URL, an unknown command). */
export class UsageError extends MemsiegeError {
  override readonly code = 'MEMSIEGE_ERR_USAGE'
  override readonly userMistake = true
  override name = 'UsageError'
}

/** A folder given to analyze, report or compare that is not a whole results folder. */
export class NotResultsFolderError extends MemsiegeError {
  override readonly code = 'MEMSIEGE_ERR_NOT_RESULTS'
  override readonly userMistake = true

  constructor (readonly dir: string, why: string, file?: string) {
    super(file ? `${file}: ${why}` : `${dir} is not a results folder: ${why}`)
    this.name = 'NotResultsFolderError'
  }
}

/** samples.csv or the analysis settings cannot be analysed as asked (a column that isn't there). */
export class AnalysisInputError extends MemsiegeError {
  override readonly code = 'MEMSIEGE_ERR_ANALYSIS_INPUT'
  override readonly userMistake = true
  override name = 'AnalysisInputError'
}

/** A file that had to be written whole could not be (disk full, no permission). */
export class WriteWholeError extends MemsiegeError {
  override readonly code = 'MEMSIEGE_ERR_WRITE'

  constructor (readonly path: string, cause: Error) {
    super(`cannot write ${path}: ${cause.message}`, { cause })
    this.name = 'WriteWholeError'
  }
}

/** The app's GC endpoint did not answer with figures. */
export class GcFetchError extends MemsiegeError {
  override readonly code = 'MEMSIEGE_ERR_GC_FETCH'
  override name = 'GcFetchError'
}

/** A GC endpoint's Prometheus text that is not Prometheus text. */
export class PrometheusParseError extends MemsiegeError {
  override readonly code = 'MEMSIEGE_ERR_PROMETHEUS'
  override name = 'PrometheusParseError'

  constructor (message: string, readonly line: number) {
    super(`line ${line}: ${message}`)
  }
}

/** The target stopped before it was ready, never got ready, or isn't what answers. `message` ends with its log's tail. */
export class TargetStartError extends MemsiegeError {
  override readonly code = 'MEMSIEGE_ERR_TARGET_START'

  constructor (
    message: string,
    readonly logFile: string,
    readonly logTail: string[],
    readonly exit?: { code: number | null, signal: NodeJS.Signals | null }
  ) {
    super(message + (logTail.length === 0
      ? `\n(${logFile} is empty)`
      : `\nlast ${logTail.length} lines of ${logFile}:\n` + logTail.map((l) => `  | ${l}`).join('\n')))
    this.name = 'TargetStartError'
  }
}

/** Prometheus refused a query (a syntax error, an unknown function): its own message, passed on. */
export class PrometheusQueryError extends MemsiegeError {
  override readonly code: string = 'MEMSIEGE_ERR_PROM_QUERY'
  override readonly userMistake = true
  override name = 'PrometheusQueryError'
}

/** The Prometheus server did not answer (refused, timed out, not Prometheus): exit 3, nothing to judge. */
export class PrometheusUnreachableError extends MemsiegeError {
  override readonly code = 'MEMSIEGE_ERR_PROM_UNREACHABLE'
  override name = 'PrometheusUnreachableError'
}

/** A query that selects no series over the range: a typo, or (live) nothing scraped yet. */
export class PrometheusEmptyError extends PrometheusQueryError {
  override readonly code = 'MEMSIEGE_ERR_PROM_EMPTY'
  override name = 'PrometheusEmptyError'
}
