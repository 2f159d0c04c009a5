/**
 * `memsiege watch --pid N | --port P | --cmd "…" | SCENARIO.yml`: samples the target under its
 * own traffic, with the app's request counter (or time) as the x axis; Ctrl-C or --for ends it.
 */
import { existsSync } from 'node:fs'
import type { AnalysisFlags } from '../analysis/options.js'
import { verdictText } from '../analysis/verdict-text.js'
import { loadScenario } from '../scenario/load.js'
import { durationFlag } from '../scenario/flag-check.js'
import { valueProblem } from '../scenario/validate.js'
import { scenarioSchema, type DurationSpec, type MapSpec } from '../scenario/schema.js'
import { parseDuration } from '../units/duration.js'
import { formatDuration } from '../units/format.js'
import { parseSize } from '../units/size.js'
import type { CounterSpec } from '../watch/request-counter.js'
import { startWatch, type WatchResult } from '../watch/watch-run.js'
import { watchScenario } from '../watch/watch-scenario.js'
import { EXIT_BREACH } from './analyze.js'
import { EXIT_FAILURE, EXIT_TARGET_EXITED, verdictFlags } from './execute-run.js'
import { onSignals } from './signals.js'
import { applyTargetFlags, type TargetFlags } from './target-flags.js'
import { sidesOfFlags, watchSides } from './watch-sides.js'
import { ConfigError } from '../errors.js'
import { TargetWatch } from '../target/watch.js'
import { hasProcfs } from '../target/procfs.js'
import { notRegularFile } from '../files/regular-file.js'

export interface WatchArgs extends TargetFlags, AnalysisFlags {
  scenario?: string
  out?: string
  for?: string
  interval?: string
  every?: string
  gc?: string
  requestsFromProm?: string
  requestsFromNginx?: string
  requestsFromLog?: string
  alert?: string
  alertRss?: string
  onAlert?: string
  report: boolean
  json: boolean
  quiet: boolean
  insecure: boolean
  keepGoing: boolean
}

/** How often a watch that alerts on a leak analyses, when --every doesn't say. */
const ALERT_ANALYSIS_S = 600

export async function watchCommand (args: WatchArgs, warn: (message: string) => void): Promise<number> {
  const scenario = watchTargetScenario(args, warn)
  const counter = counterSpec(args)
  const forS = args.for !== undefined ? seconds('--for', args.for) : scenario.stop.kind === 'duration' ? scenario.stop.seconds : undefined
  const alertLeak = args.alert === 'leak'
  const rssAbove = args.alertRss !== undefined ? sizeFlag('--alert-rss', args.alertRss) : undefined
  if (args.onAlert !== undefined && !alertLeak && rssAbove === undefined) throw new ConfigError('--on-alert: give what to alert on too: --alert leak and/or --alert-rss SIZE')
  const everyS = args.every !== undefined ? seconds('--every', args.every) : alertLeak ? ALERT_ANALYSIS_S : undefined
  const { warmup, metrics, maxGrowth, failOn } = args
  const analysisFlags = verdictFlags(scenario, { warmup, metrics, maxGrowth, failOn })
  // Looked for before the results folder is made: a mistyped pid is one line, not an empty folder too.
  const { pid, port, command } = scenario.target
  if (!scenario.sides && command === undefined && (pid !== undefined || port !== undefined)) await new TargetWatch({ pid, port, procfs: hasProcfs() }).find()
  const say = (line: string): void => { if (!args.quiet) process.stderr.write(`memsiege: ${line}\n`) }
  const options = { counter, forS, everyS, report: args.report, alerts: { leak: alertLeak, rssAbove, command: args.onAlert }, analysisFlags, warn }
  if (scenario.sides) return watchSides(scenario, options, { ...args, alertLeak }, say)
  const handle = startWatch(scenario, {
    ...options,
    onEvent: (e) => say(`${e.type}: pid ${e.pid} ${e.detail}`),
    onAlert: (change) => say(change.message)
  })
  // Ctrl-C is how a watch without --for ends: the verdict decides the exit status, not the signal.
  const release = onSignals(() => handle.interrupt())
  let result: WatchResult
  try {
    await handle.started
    say(`watching; results in ${handle.dir}${forS !== undefined ? ` for ${formatDuration(forS)}` : ''} (Ctrl-C ends the watch and writes the verdict)`)
    result = await handle.done
  } finally {
    release()
  }
  const { summary } = result
  if (args.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n')
  else if (!args.quiet) process.stdout.write(watchText(result) + (summary.verdict ? verdictText(summary.verdict) : ''))
  if (result.writeError) {
    process.stderr.write(`memsiege: error: ${result.writeError}\n`)
    return EXIT_FAILURE
  }
  if (result.stopped) process.stderr.write(`memsiege: ${result.stopped}\n`)
  if (result.stopped || (result.targetDown && !args.keepGoing)) return EXIT_TARGET_EXITED
  const leak = alertLeak && summary.verdict?.verdict === 'leak'
  return leak || (summary.verdict?.breaches.length ?? 0) > 0 ? EXIT_BREACH : 0
}

function watchTargetScenario (args: WatchArgs, warn: (message: string) => void) {
  const interval = args.interval !== undefined ? sampleInterval(args.interval) : undefined
  if (args.scenario !== undefined) {
    const scenario = applyTargetFlags(loadScenario(args.scenario, { out: args.out, urlsOptional: true }, warn), args)
    if (args.insecure) scenario.target.insecure = true
    if (interval !== undefined) scenario.sample.interval = interval
    if (args.gc !== undefined) scenario.sample.gc = { url: httpUrl('--gc', args.gc), interval: Math.max(scenario.sample.interval, 1), format: 'auto' }
    return scenario
  }
  const given = (['pid', 'port', 'cmd'] as const).filter((k) => args[k] !== undefined)
  if (given.length === 0) throw new ConfigError('watch what? give --pid N, --port P, --cmd "COMMAND" or a scenario file')
  const base = watchScenario({ target: { insecure: args.insecure }, interval: interval ?? 1, gcUrl: args.gc !== undefined ? httpUrl('--gc', args.gc) : undefined, out: args.out })
  return sidesOfFlags(base, args) ?? applyTargetFlags(base, args)
}

function counterSpec (args: WatchArgs): CounterSpec {
  const given = (['requestsFromProm', 'requestsFromNginx', 'requestsFromLog'] as const).filter((k) => args[k] !== undefined)
  if (given.length > 1) throw new ConfigError('give only one of --requests-from-prom, --requests-from-nginx or --requests-from-log')
  if (args.requestsFromProm !== undefined) {
    const text = args.requestsFromProm
    const colon = text.lastIndexOf(':')
    const metric = text.slice(colon + 1)
    if (colon < 0 || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric) || metric === '' || /^\d/.test(metric)) {
      throw new ConfigError(`--requests-from-prom ${JSON.stringify(text)}: expected URL:METRIC, such as http://127.0.0.1:9292/metrics:http_server_requests_total`)
    }
    return { kind: 'prometheus', url: httpUrl('--requests-from-prom', text.slice(0, colon)), metric }
  }
  if (args.requestsFromNginx !== undefined) return { kind: 'stub_status', url: httpUrl('--requests-from-nginx', args.requestsFromNginx) }
  if (args.requestsFromLog !== undefined) {
    const file = args.requestsFromLog
    const problem = !existsSync(file) ? 'no such file' : notRegularFile(file)
    if (problem) throw new ConfigError(`--requests-from-log ${file}: ${problem}; give the access log the app (or its proxy) writes`)
    return { kind: 'log', file }
  }
  return { kind: 'time' }
}

function httpUrl (flag: string, text: string): string {
  try {
    const url = new URL(text)
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href
  } catch {}
  throw new ConfigError(`${flag} ${JSON.stringify(text)}: not an http(s) URL`)
}

function seconds (flag: string, text: string): number {
  return durationFlag(flag, 'duration', text, 's')
}

/** --interval as sample.interval: a duration within the scenario key's range. */
function sampleInterval (text: string): number {
  let s: number
  try {
    s = parseDuration(text)
  } catch (err) {
    throw new ConfigError(`--interval: ${(err as Error).message}`)
  }
  const spec = (scenarioSchema.keys.sample as MapSpec).keys.interval as DurationSpec
  const problem = valueProblem(spec, s)
  if (problem) throw new ConfigError(`--interval ${text}: ${problem}`)
  return s
}

function sizeFlag (flag: string, text: string): number {
  try {
    return parseSize(text)
  } catch (err) {
    throw new ConfigError(`${flag}: ${(err as Error).message}`)
  }
}

/** The lines before the verdict. */
function watchText (result: WatchResult): string {
  const s = result.summary
  const restarts = s.events.filter((e) => e.type === 'target_restarted').length
  const lines = [
    `Results:\t${result.dir}`,
    `Watched:\t${formatDuration(s.elapsed_s)}${s.interrupted ? ' (until Ctrl-C)' : ''}`,
    `X axis:\t\t${s.x_axis ?? 'requests'}`,
    `Restarts:\t${restarts}`,
    ...(s.stopped_because ? [`Stopped:\t${s.stopped_because}`] : []),
    ...(result.noVerdict ? [`No verdict:\t${result.noVerdict}`] : []),
  ]
  return lines.join('\n') + '\n\n'
}
