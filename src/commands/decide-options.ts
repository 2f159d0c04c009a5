/** The flags of runs that decide, as the parser declares them: kept apart from what they do, so that `--help` loads none of it. */
import type { Argv } from 'yargs'
import { DEFAULT_MAX_EXTENSION } from '../scenario/types.js'
import { positiveInteger } from './flag-values.js'

export interface DecideFlags {
  untilDecided?: boolean
  maxExtension?: number
}

export function decideOptions<T> (y: Argv<T>) {
  return y
    .option('until-decided', { type: 'boolean', describe: 'the stop condition is the least the run lasts: while the verdict is undecided it goes on (up to --max-extension times)' })
    .option('max-extension', { coerce: (v: unknown) => positiveInteger('--max-extension', v), describe: `with --until-decided: the longest run, as a multiple of the stop condition (default ${DEFAULT_MAX_EXTENSION})` })
}
