/**
 * `memsiege probe env node|ruby|python [--port N]`: the environment that loads memsiege's preload
 * probe into an app memsiege does not start itself (target.pid, target.port), as shell lines to
 * start it with (`eval "$(memsiege probe env ruby)"`), and the sample.gc line for the scenario.
 */
import { PROBE_PATH } from '../probe/index.js'
import { probeEnv, probeInstalled, PROBE_RUNTIMES, type ProbeRuntime } from '../target/probe-runtime.js'
import { UsageError } from '../errors.js'

export const DEFAULT_PROBE_PORT = 9464

export function probeEnvCommand (args: { runtime: string; port?: number }): number {
  if (!(PROBE_RUNTIMES as readonly string[]).includes(args.runtime)) {
    throw new UsageError(`memsiege probe env: unknown runtime "${args.runtime}" (use ${PROBE_RUNTIMES.join(', ')})`)
  }
  if (args.port !== undefined && args.port > 65535) throw new UsageError(`--port ${args.port}: not a port: ports go up to 65535`)
  const runtime = args.runtime as ProbeRuntime
  const port = args.port ?? DEFAULT_PROBE_PORT
  const env = probeEnv(runtime, port, process.env)
  const lines = [
    `# memsiege's ${runtime} probe: start the app with these variables, then sample it with`,
    `#   sample: { gc: { url: http://127.0.0.1:${port}${PROBE_PATH} } }`,
    ...(probeInstalled(runtime) ? [] : ['# (this installation lacks the probe\'s files: build memsiege first, npm run build)']),
    ...Object.entries(env).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
  ]
  process.stdout.write(lines.join('\n') + '\n')
  return 0
}

function shellQuote (value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`
}
