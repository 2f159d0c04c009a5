/** Run after `tsc` by `npm run build`: writes the top-level help text that cli.ts prints. */
import { writeFileSync } from 'node:fs'
import { topLevelHelp } from './parser.js'
import { HELP_FILE, HELP_WIDTH } from './static-help.js'

writeFileSync(HELP_FILE, await topLevelHelp(HELP_WIDTH))
