/**
 * A mistake in the user's input: a scenario, a URL file, a flag. The CLI prints
 * `message` as one line and exits 2, without a stack trace.
 */
export class ConfigError extends Error {
  readonly file?: string
  readonly line?: number
  readonly column?: number

  constructor(message: string, where: { file?: string; line?: number; column?: number } = {}) {
    super(where.file ? `${formatWhere(where)}: ${message}` : message)
    this.name = 'ConfigError'
    this.file = where.file
    this.line = where.line
    this.column = where.column
  }
}

/** `file`, `file:line` or `file:line:column`: the prefix editors and terminals jump to. */
export function formatWhere({ file, line, column }: { file?: string; line?: number; column?: number }): string {
  if (line === undefined) return file ?? ''
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`
}
