import { resolve } from 'node:path'
import { UsageError } from '../errors.js'
import { defaultCaDir } from '../stub/ca.js'
import { StubServer, type StubMode } from '../stub/stub-server.js'
import { exportLines, proxyEnv } from '../stub/target-env.js'
import { onSignals } from './signals.js'
import { stubLine } from '../report/stub-line.js'

export interface StubArgs {
  record?: string
  replay?: string
  port: number
  upstream?: string
  caDir?: string
  rules?: string
  matchBody: boolean
  loopbackOnly: boolean
  upstreamCa?: string[]
}

/** `memsiege stub`: runs until SIGINT/SIGTERM, then prints what it answered. */
export async function stubCommand (args: StubArgs): Promise<number> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UsageError(`--port: expected 0 to 65535, got ${args.port}`)
  if (args.record !== undefined && args.replay !== undefined) throw new UsageError('stub: give only one of --record and --replay')
  for (const [flag, value] of [['--record', args.record], ['--replay', args.replay], ['--ca-dir', args.caDir], ['--rules', args.rules], ...(args.upstreamCa ?? []).map((p) => ['--upstream-ca', p])]) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`${flag}: give a path, not an empty name`)
  }
  const mode: StubMode = args.record !== undefined ? 'record' : args.replay !== undefined ? 'replay' : 'pass-through'
  const dir = args.record ?? args.replay
  const stub = await StubServer.start({
    mode,
    ...(dir !== undefined ? { dir: resolve(dir) } : {}),
    port: args.port,
    ...(args.upstream !== undefined ? { upstream: args.upstream } : {}),
    caDir: resolve(args.caDir ?? defaultCaDir()),
    ...(args.rules !== undefined ? { rulesFile: args.rules } : {}),
    matchBody: args.matchBody,
    loopbackOnly: args.loopbackOnly,
    upstreamCas: (args.upstreamCa ?? []).map((p) => resolve(p)),
  })
  const what = mode === 'record' ? `recording into ${dir}` : mode === 'replay' ? `replaying ${dir}` : 'passing through'
  const how = args.upstream ? `reverse proxy to ${args.upstream}: point the app at ${stub.url}` : 'forward proxy'
  process.stderr.write(`memsiege stub: ${what} on ${stub.url} (${how})\n`)
  process.stderr.write(`memsiege stub: CA certificate ${stub.ca.certPath}${stub.ca.created ? ' (new)' : ''}\n`)
  if (!args.upstream) process.stdout.write(exportLines(proxyEnv(stub.url, stub.ca)) + '\n')
  await new Promise<void>((resolve) => { onSignals(() => resolve()) })
  await stub.stop()
  process.stderr.write(`memsiege stub: ${stubLine(stub.summary())}\n`)
  return 0
}
