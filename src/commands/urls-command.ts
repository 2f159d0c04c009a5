/**
 * The `urls` command group's options for cli.ts. What the subcommands do (and the log and HAR
 * readers behind them) loads only when one of them runs.
 */
import type { Argv, CommandModule } from 'yargs'
import { FORMAT_NAMES } from '../urls/log-formats.js'
import { DEFAULT_MAX_REPEAT } from '../urls/url-table.js'
import type { UrlsFromHarArgs, UrlsFromLogArgs } from './urls.js'
import { ConfigError } from '../errors.js'

function filterOptions<T> (y: Argv<T>) {
  return y
    .option('methods', { type: 'string', array: true, describe: 'keep these methods: GET,DELETE' })
    .option('status', { type: 'string', array: true, describe: 'keep these statuses: 2xx, 200, 200-299, comma-separated' })
    .option('include', { type: 'string', array: true, describe: 'keep URLs matching this regex (repeatable: any)' })
    .option('exclude', { type: 'string', array: true, describe: 'drop URLs matching this regex (repeatable)' })
    .option('since', { type: 'string', describe: 'keep requests from this time on: ISO 8601 or [10/Oct/2000:13:55:36 -0700]' })
    .option('until', { type: 'string', describe: 'keep requests before this time' })
    .option('out', { alias: 'o', type: 'string', describe: 'write the list to FILE (bodies beside it); default stdout' })
    .option('base', { type: 'string', describe: 'origin for the URLs: http://127.0.0.1:8000 (default: paths, for target.url)' })
    .option('top', { type: 'number', describe: 'only the N most frequent requests' })
    .option('weighted', { type: 'boolean', describe: 'repeat each line in proportion to its count' })
    .option('max-repeat', { type: 'number', describe: `with --weighted: at most N copies of a line (default ${DEFAULT_MAX_REPEAT})` })
    .option('counts', { type: 'boolean', describe: 'print the count table (count, share, method, URL) instead' })
}

/** The file arguments: yargs drops a lone `-` from declared positionals, so they are read from `_`. */
function filesOf (argv: { _: Array<string | number> }): string[] {
  return argv._.slice(2).map(String)
}

/**
 * The `urls` command group for cli.ts: `.command(urlsCommand((s) => { status = s }))`.
 * `setStatus` receives the exit status of the subcommand that ran.
 */
export function urlsCommand (setStatus: (status: number) => void): CommandModule {
  return {
    command: 'urls',
    describe: 'URL lists from real traffic: access logs, syslog, JSON logs, HAR files',
    builder: (y: Argv) => y
      .command('from-log', 'siege URL list (or count table) from access logs', (sub) => filterOptions(sub)
        .usage('$0 urls from-log FILE... [options]\n\nFILE: nginx/Apache combined or common, syslog-wrapped, JSON lines, gzipped or not; - for stdin')
        .option('format', { type: 'string', choices: ['auto', ...FORMAT_NAMES], default: 'auto', describe: 'log format' })
        .option('pattern', { type: 'string', describe: 'regex with named groups: method, url (or path, query), request, status, time' })
        .option('field', { type: 'string', array: true, describe: 'JSON field for a role: url=req.path (roles: method, url, query, request, status, time)' })
        // Strict about options only: the files are left in `_`.
        .strict(false)
        .strictOptions(true),
      async (argv) => {
        const files = filesOf(argv)
        const { defaultIo, urlsFromLogCommand } = await import('./urls.js')
        setStatus(await urlsFromLogCommand({ ...(argv as unknown as UrlsFromLogArgs), files }, defaultIo()))
      })
      .command('from-har', 'siege URL list from a HAR file (devtools, Fiddler, Charles, mitmproxy)', (sub) => filterOptions(sub)
        .usage('$0 urls from-har FILE.har [options]')
        .option('keep-header', { type: 'string', array: true, describe: 'report this header\'s recorded value, for -H (repeatable)' })
        .option('method-header', { type: 'string', array: true, describe: `header with the real method of a POST (default: ${'X-Method, X-HTTP-Method-Override, X-HTTP-Method, X-Method-Override'})` })
        .option('unwrap', { type: 'boolean', default: true, describe: 'write X-Method POSTs as their real method (--no-unwrap: as recorded)' })
        .option('distinct', { type: 'boolean', describe: 'one line per distinct request, most frequent first (default: every entry in order)' })
        .strict(false)
        .strictOptions(true),
      async (argv) => {
        const files = filesOf(argv)
        if (files.length > 1) throw new ConfigError(`from-har reads one HAR file, not ${files.length}`)
        const { defaultIo, urlsFromHarCommand } = await import('./urls.js')
        setStatus(await urlsFromHarCommand({ ...(argv as unknown as UrlsFromHarArgs), file: files[0] ?? '' }, defaultIo()))
      })
      .demandCommand(1, 'urls: give from-log or from-har (see memsiege urls --help)'),
    handler: () => {}
  }
}
