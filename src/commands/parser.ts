/**
 * memsiege's command line: every command, its options and its handler, in one yargs definition.
 * cli.ts loads this only when there is something to parse; the top-level help text written at
 * build time (help-text.ts) comes from here too, so it cannot drift from what yargs prints.
 */
import yargs, { type Argv } from 'yargs'
import type { SiegeFlags } from './siege-flags.js'
import { applyTargetFlags, targetOptions } from './target-flags.js'
import { engineOptions } from './engine-flags.js'
import { decideOptions } from './decide-options.js'
import { urlsCommand } from './urls-command.js'
import { positiveInteger as countFlag } from './flag-values.js'
import { version } from '../version.js'
import { MemsiegeError, UsageError } from '../errors.js'
import { refuseRepeatedFlags } from './repeated-flags.js'
import { looksLikeUrl, missingArgument, missingArguments, unknownCommand } from './command-words.js'

/** The commands, for "did you mean": each is a `.command()` below. */
const COMMANDS = ['run', 'bisect', 'watch', 'analyze', 'report', 'compare', 'probe', 'stub', 'urls']

/** The commands made of two words. */
const SUBCOMMANDS: Record<string, string[]> = { probe: ['env'], urls: ['from-log', 'from-har'] }

/** A word where a command or siege's URL goes that is neither: a mistyped command, not a URL to load. */
function checkCommandWord (word: string | undefined): void {
  if (word !== undefined && !word.startsWith('-') && !COMMANDS.includes(word) && !looksLikeUrl(word)) throw unknownCommand(word, COMMANDS)
}

/** `probe envv node`, `urls frm-log x`: yargs would run the first as `probe env` and call the second an unknown argument. */
function checkSubcommandWord (argv: readonly string[]): void {
  const [command, word] = argv
  const known = SUBCOMMANDS[command ?? '']
  if (known !== undefined && word !== undefined && !word.startsWith('-') && !known.includes(word)) throw unknownCommand(word, known, command)
}

const warned = new Set<string>()
function warn (message: string): void {
  if (warned.has(message)) return
  warned.add(message)
  process.stderr.write(`memsiege: warning: ${message}\n`)
}

function runOptions (y: Argv) {
  return decideOptions(engineOptions(targetOptions(y)))
    .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'print the summary as JSON' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'one line per request on stdout' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print nothing' })
    .option('insecure', { type: 'boolean', default: false, describe: 'accept self-signed TLS certificates' })
    .option('report', { type: 'boolean', default: false, describe: 'write report.html and memory.svg into the results folder at the end' })
    .option('keep-secrets', { type: 'boolean', default: false, describe: 'copy the scenario and URL list into the results folder with their secrets' })
    .option('fail-on', { type: 'string', choices: ['leak', 'inconclusive'], describe: 'exit 4 when the verdict is this (or worse)' })
    .option('warmup', { type: 'string', describe: 'left out of the verdict: 20%, 2m, 5000 (requests) or auto' })
    .option('max-growth', { type: 'string', array: true, describe: 'exit 4 above this growth: 2KB/request, 50MB/h (repeatable)' })
    .option('find-source', { type: 'boolean', default: false, describe: 'name the allocation sites whose live memory grew (through the probe in the target)' })
}

/** A fleet's memory from Prometheus (src/fleet/). */
function promOptions (y: Argv) {
  return y
    .option('prom', { type: 'string', describe: "fleet: the Prometheus server's URL; one verdict per series of --memory" })
    .option('memory', { type: 'string', describe: 'fleet: PromQL, the memory of each instance (container_memory_working_set_bytes{...})' })
    .option('requests', { type: 'string', describe: "fleet: PromQL, each instance's request counter, with its labels (the x axis; default: time)" })
    .option('start-time', { type: 'string', describe: 'fleet: PromQL, process_start_time_seconds of each instance (a change is a restart)' })
    .option('since', { type: 'string', describe: 'fleet: from this long ago (3d) or this time (ISO); default: 3d for analyze, the start for watch' })
    .option('until', { type: 'string', describe: 'fleet: to this long ago or this time; default now' })
    .option('step', { type: 'string', describe: "fleet: between points (default 15s; not below Prometheus's scrape interval)" })
}

/** A fleet's flag given without --prom would be ignored: told instead. `keys` in camel case. */
function refuseFleetFlags (command: string, args: Record<string, unknown>, keys: readonly string[]): void {
  const given = keys.find((k) => args[k] !== undefined)
  if (given) throw new UsageError(`${command}: --${given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is for a fleet, with --prom URL`)
}

/** A yargs `coerce` for counting flags. */
function positiveInteger (name: string) {
  return (value: unknown): number | undefined => countFlag(name, value)
}

/**
 * The parser for `argv`; `setStatus` receives the exit status of the command that ran. `width`
 * fixes the help's line width (yargs' own default: the terminal's, at most 80 columns).
 */
function parser (argv: string[], setStatus: (status: number) => void, width?: number): Argv {
  const y = yargs(argv)
  if (width !== undefined) y.wrap(width)
  return y
    .scriptName('memsiege')
    .usage('$0 run SCENARIO.yml [options]\n$0 bisect SCENARIO.yml [--trial 3m | --trial-requests N]\n$0 [siege flags] [URL]\n$0 urls from-log FILE... | from-har FILE.har\n$0 watch --pid N | --port P | --cmd CMD [--for 3d] [--every 10m]\n$0 stub [--record DIR | --replay DIR] [--port 8888] [--upstream URL]')
    .command('run <scenario>', 'run a scenario file', (y) => runOptions(y)
      .positional('scenario', { type: 'string', demandOption: true, describe: 'the scenario (YAML)' })
      .option('concurrency', { alias: 'c', coerce: positiveInteger('--concurrency'), describe: 'simulated users' })
      .option('duration', { alias: 't', type: 'string', describe: 'run this long (30s, 10m, 8h)' })
      .option('requests', { coerce: positiveInteger('--requests'), describe: 'stop after this many requests' })
      .option('passes', { coerce: positiveInteger('--passes'), describe: 'full passes over the list by each user' })
      .option('out', { type: 'string', describe: 'results folder' })
      .option('vs', { type: 'string', describe: 'side by side: start this command as a second target and send it the same requests' })
      .option('vs-url', { type: 'string', describe: "with --vs: the second target's URL (default: the first's on a free port, given to it as $PORT)" })
      .option('lockstep', { type: 'boolean', describe: 'side by side: request k reaches every target before request k+1 goes out (default; --no-lockstep: independent)' }),
    async (args) => {
      const { runCommand } = await import('./run.js')
      setStatus(await runCommand({ ...args, scenario: args.scenario as string }, warn))
    })
    .command('$0 [url]', 'siege-compatible: replay a URL or a URL file', (y) => runOptions(y)
      .positional('url', { type: 'string', describe: 'one URL (overrides -f)' })
      .option('concurrent', { alias: 'c', coerce: positiveInteger('-c'), describe: 'simulated users (default 25)' })
      .option('reps', { alias: 'r', coerce: positiveInteger('-r'), describe: 'requests per user (siege -r)' })
      .option('time', { alias: 't', type: 'string', describe: 'run this long: NUM[S|M|H], bare number = minutes' })
      .option('delay', { alias: 'd', type: 'string', describe: 'random think time 0..N seconds after each request' })
      .option('benchmark', { alias: 'b', type: 'boolean', describe: 'no delay' })
      .option('internet', { alias: 'i', type: 'boolean', describe: 'pick URLs at random' })
      .option('file', { alias: 'f', type: 'string', describe: 'siege URL file' })
      .option('header', { alias: 'H', type: 'string', array: true, describe: "extra header 'Name: value' (repeatable)" })
      .option('user-agent', { alias: 'A', type: 'string', describe: 'User-Agent header' })
      .option('content-type', { alias: 'T', type: 'string', describe: 'Content-Type of bodies' })
      .option('follow', { type: 'boolean', default: true, describe: 'follow redirects (--no-follow to stop)' })
      .option('out', { type: 'string', describe: 'results folder' }),
    async (args) => {
      if (!args.url && !args.file) throw new UsageError('no URL: give one, -f FILE, or `memsiege run SCENARIO.yml` (see --help)')
      checkCommandWord(args.url)
      const [{ scenarioFromSiegeFlags }, { executeRun }] = await Promise.all([import('./siege-flags.js'), import('./execute-run.js')])
      const scenario = applyTargetFlags(scenarioFromSiegeFlags(args as SiegeFlags, warn), args)
      setStatus(await executeRun(scenario, args, warn))
    })
    .command('bisect [scenario]', 'find the endpoints that leak: trials on parts of the URL list, each against a fresh target', (y) => y
      .positional('scenario', { type: 'string', describe: 'the scenario (YAML)' })
      .option('trial', { type: 'string', describe: 'how long each trial runs (3m, 90s; a bare number is minutes)' })
      .option('trial-requests', { coerce: positiveInteger('--trial-requests'), describe: 'how many requests each trial sends' })
      .option('max-time', { type: 'string', describe: 'no trial starts, and none is extended, after this much time of trials (2h, 30m)' })
      .option('max-extension', { coerce: positiveInteger('--max-extension'), describe: 'an undecided trial runs on up to this many times its first length (default 4; 1: never)' })
      .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'print bisect.json at the end' })
      .option('out', { type: 'string', describe: 'the bisect folder (default results/<time>-<name>-bisect/)' })
      .option('resume', { type: 'string', describe: 'carry on the bisect in this folder' }),
    async (args) => {
      const { bisectCommand } = await import('./bisect.js')
      setStatus(await bisectCommand({
        scenario: args.scenario, trial: args.trial, trialRequests: args.trialRequests as number | undefined, maxTime: args.maxTime, maxExtension: args.maxExtension as number | undefined, json: args.json, out: args.out, resume: args.resume
      }, warn))
    })
    .command('watch [scenario]', 'sample a running target under its own traffic, for days if need be: no load from memsiege; or a fleet in Prometheus (--prom)', (y) => targetOptions(promOptions(y))
      .positional('scenario', { type: 'string', describe: "a scenario file: its target, sample and analysis settings (its URL list isn't used)" })
      .option('out', { type: 'string', describe: 'results folder' })
      .option('for', { type: 'string', describe: 'watch this long (30m, 8h, 3d); default: until Ctrl-C' })
      .option('interval', { type: 'string', describe: 'between samples (default 1s)' })
      .option('every', { type: 'string', describe: 'analyse and rewrite summary.json and report.html this often (10m)' })
      .option('gc', { type: 'string', describe: "the app's GC endpoint (an http URL)" })
      .option('requests-from-prom', { type: 'string', describe: 'x axis: a Prometheus counter of the app, URL:METRIC' })
      .option('requests-from-nginx', { type: 'string', describe: "x axis: nginx's stub_status page (URL)" })
      .option('requests-from-log', { type: 'string', describe: 'x axis: the requests of an access log memsiege follows (FILE)' })
      .option('alert', { type: 'string', choices: ['leak'], describe: 'alert while the verdict is a leak (and exit 4 if it ends on one)' })
      .option('alert-rss', { type: 'string', describe: "alert while the target's RSS is above this (1.5GB)" })
      .option('on-alert', { type: 'string', describe: 'run this shell command at each change of alert (MEMSIEGE_ALERT, MEMSIEGE_VERDICT in its environment)' })
      .option('report', { type: 'boolean', default: false, describe: 'write report.html and memory.svg at the end' })
      .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print nothing' })
      .option('insecure', { type: 'boolean', default: false, describe: 'accept self-signed TLS certificates' })
      .option('fail-on', { type: 'string', choices: ['leak', 'inconclusive'], describe: 'exit 4 when the verdict is this (or worse)' })
      .option('warmup', { type: 'string', describe: 'left out of the verdict: 20%, 2m, 5000 (requests) or auto' })
      .option('max-growth', { type: 'string', array: true, describe: 'exit 4 above this growth: 2KB/request, 50MB/h (repeatable)' }),
    async (args) => {
      if (args.prom !== undefined) {
        const { watchPromCommand } = await import('./watch-prom.js')
        setStatus(await watchPromCommand({ ...args, prom: args.prom }))
        return
      }
      refuseFleetFlags('watch', args, ['memory', 'requests', 'startTime', 'since', 'until', 'step'])
      const { watchCommand } = await import('./watch.js')
      setStatus(await watchCommand(args as Parameters<typeof watchCommand>[0], warn))
    })
    .command('analyze [dir]', 'does it leak? the verdict on a results folder, or on each instance of a fleet in Prometheus (--prom)', (y) => promOptions(y)
      .positional('dir', { type: 'string', describe: 'the results folder' })
      .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'print the verdict as JSON' })
      .option('fail-on', { type: 'string', choices: ['leak', 'inconclusive'], describe: 'exit 4 when the verdict is this (or worse)' })
      .option('warmup', { type: 'string', describe: 'left out: 20%, 2m, 5000 (requests) or auto' })
      .option('max-growth', { type: 'string', array: true, describe: 'exit 4 above this growth: 2KB/request, 50MB/h (repeatable)' })
      .option('metrics', { type: 'string', array: true, describe: 'the samples.csv columns to judge (default: chosen from what the run has)' })
      .option('report', { type: 'string', describe: "fleet: write the fleet's report.html to this file" }),
    async (args) => {
      if (args.prom !== undefined) {
        if (args.dir !== undefined) throw new UsageError(`analyze: a results folder (${args.dir}) or --prom, not both`)
        const { analyzePromCommand } = await import('./analyze-prom.js')
        setStatus(await analyzePromCommand({ ...args, prom: args.prom, since: args.since ?? '3d' }))
        return
      }
      if (args.dir === undefined) throw new UsageError(missingArgument('analyze'))
      refuseFleetFlags(`analyze ${args.dir}`, args, ['memory', 'requests', 'startTime', 'since', 'until', 'step', 'report'])
      const { analyzeCommand } = await import('./analyze.js')
      setStatus(await analyzeCommand({ dir: args.dir as string, json: args.json, failOn: args.failOn, warmup: args.warmup, maxGrowth: args.maxGrowth, metrics: args.metrics }, warn))
    })
    .command('report <dir>', 'write report.html and memory.svg into a results folder', (y) => y
      .positional('dir', { type: 'string', demandOption: true, describe: 'the results folder' }),
    async (args) => {
      const { reportCommand } = await import('./report.js')
      setStatus(await reportCommand({ dir: args.dir as string }))
    })
    .command('compare <dirs..>', 'compare runs: a table, a sentence per memory series, compare.html', (y) => y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'two or more results folders; the first is the baseline' })
      .option('out', { type: 'string', describe: 'folder for compare.html (default: the current one)' })
      .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'print the comparison as JSON' }),
    async (args) => {
      const { compareCommand } = await import('./compare.js')
      setStatus(await compareCommand({ dirs: args.dirs as string[], out: args.out, json: args.json }))
    })
    .command('probe env <runtime>', "print the variables that load memsiege's GC probe into an app you start yourself", (y) => y
      .positional('runtime', { type: 'string', demandOption: true, choices: ['node', 'ruby', 'python'], describe: "the app's runtime" })
      .option('port', { coerce: positiveInteger('--port'), describe: 'where the probe listens (default 9464)' }),
    async (args) => {
      // yargs takes any word for `env`.
      if (args.env !== 'env') throw unknownCommand(String(args.env), ['env'], 'probe')
      const { probeEnvCommand } = await import('./probe-env.js')
      setStatus(probeEnvCommand({ runtime: args.runtime as string, port: args.port as number | undefined }))
    })
    .command('stub', 'a record/replay proxy for the APIs the target calls', (y) => y
      .option('record', { type: 'string', describe: 'pass through and store each exchange in this folder' })
      .option('replay', { type: 'string', describe: 'answer from the recordings in this folder; never touch the network' })
      .option('port', { type: 'number', default: 8888, describe: 'port to listen on (0: any free one)' })
      .option('upstream', { type: 'string', describe: 'reverse proxy to this base URL (default: a forward proxy for http_proxy)' })
      .option('ca-dir', { type: 'string', describe: 'folder of the CA (key.pem, cert.pem), made on first use (default ~/.config/memsiege/ca)' })
      .option('rules', { type: 'string', describe: 'YAML: hand-written answers, delays, what unmatched requests get' })
      .option('match-body', { type: 'boolean', default: false, describe: 'a recording matches only a request with the same body' })
      .option('loopback-only', { type: 'boolean', default: false, describe: 'never forward to a host outside 127.0.0.0/8, ::1, localhost' })
      .option('upstream-ca', { type: 'string', array: true, describe: 'PEM file of a CA to trust for upstream hosts (repeatable)' }),
    async (args) => {
      const { stubCommand } = await import('./stub.js')
      setStatus(await stubCommand({ ...args, port: args.port, caDir: args.caDir, upstreamCa: args.upstreamCa }))
    })
    .command(urlsCommand(setStatus))
    .version(version)
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .strict()
    .parserConfiguration({ 'boolean-negation': true, 'greedy-arrays': false })
    // yargs hands a check its options (typed as aliases): `array` names the repeatable ones.
    .check((args, options) => refuseRepeatedFlags(args, (options as unknown as { array: string[] }).array))
    .fail((message, err) => {
      // yargs reports both its own usage errors and whatever a command handler threw.
      if (!err || err.name === 'YError') throw new UsageError(missingArguments(argv, message || err.message))
      throw err
    })
}

/**
 * Parses `argv` and runs the command it names; resolves to the exit status. An error comes to one
 * line on stderr, never a stack trace: exit 2 for a mistake in the input, 1 for a failure.
 */
export async function runCommandLine (argv: string[]): Promise<number> {
  let status = 0
  try {
    // Before yargs: its default command would take the word for a URL, its strict mode name the next word instead.
    checkCommandWord(argv[0])
    checkSubcommandWord(argv)
    await parser(argv, (s) => { status = s }).parseAsync()
    return status
  } catch (err) {
    if (err instanceof MemsiegeError && err.userMistake) {
      process.stderr.write(`memsiege: ${err.message}\n`)
      return 2
    }
    process.stderr.write(`memsiege: error: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}

/** The top-level `--help` text as yargs prints it at `width` columns. */
export async function topLevelHelp (width: number): Promise<string> {
  return `${await parser([], () => {}, width).getHelp()}\n`
}
