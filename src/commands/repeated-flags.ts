import { UsageError } from '../errors.js'

/** Flags a command takes repeated, though not declared as lists: `watch --pid A --pid B` watches side by side. */
const REPEATED_BY_COMMAND: Record<string, readonly string[]> = { watch: ['pid', 'port', 'cmd'] }

/**
 * yargs turns a flag given twice into a list, which a flag that takes one value then chokes on
 * deep inside ("o.out.trim is not a function"). Which of two values was meant is the user's to
 * say: refused here, naming the flag. `lists`: the options that take several values.
 */
export function refuseRepeatedFlags (argv: Record<string, unknown>, lists: readonly string[]): true {
  const command = String((argv._ as unknown[] | undefined)?.[0] ?? '')
  const repeatable = [...lists, ...(REPEATED_BY_COMMAND[command] ?? [])]
  for (const [key, value] of Object.entries(argv)) {
    // yargs also keeps each --kebab-case flag under its camelCase name
    if (key === '_' || key === '$0' || /[A-Z]/.test(key) || !Array.isArray(value) || repeatable.includes(key)) continue
    throw repeatedFlag(`${key.length === 1 ? '-' : '--'}${key}`, value)
  }
  return true
}

/** The error for `flag` given once for each of `values`. */
export function repeatedFlag (flag: string, values: readonly unknown[]): UsageError {
  return new UsageError(`${flag} is given ${values.length} times (${values.map(String).join(', ')}); give it once`)
}
