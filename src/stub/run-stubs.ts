/**
 * The stubs of a scenario (`stubs:`), started before the target and stopped after it: a run,
 * and each bisect trial, gets fresh ones, so every trial sees the same answers.
 */
import type { StubSummary } from '../recorder/summary-json.js'
import type { StubConfig } from '../scenario/stubs.js'
import { defaultCaDir } from './ca.js'
import { StubServer } from './stub-server.js'
import { proxyEnv } from './target-env.js'

export interface RunningStubs {
  /** For the target: proxy and trust variables (the forward stub), the stubs' URLs (reverse ones, by `env`). */
  env: Record<string, string>
  summaries (): StubSummary[]
  stop (): Promise<void>
}

export async function startStubs (configs: readonly StubConfig[]): Promise<RunningStubs> {
  const started: StubServer[] = []
  const stop = async (): Promise<void> => { await Promise.all(started.map((s) => s.stop())) }
  const env: Record<string, string> = {}
  try {
    for (const c of configs) {
      const stub = await StubServer.start({
        mode: c.mode,
        ...(c.dir !== undefined ? { dir: c.dir } : {}),
        port: c.port,
        ...(c.upstream !== undefined ? { upstream: c.upstream } : {}),
        caDir: c.caDir ?? defaultCaDir(),
        ...(c.rules !== undefined ? { rulesFile: c.rules } : {}),
        matchBody: c.matchBody,
        loopbackOnly: c.loopbackOnly,
        upstreamCas: c.upstreamCa,
      })
      started.push(stub)
      if (c.upstream === undefined) Object.assign(env, proxyEnv(stub.url, stub.ca))
      else if (c.env !== undefined) env[c.env] = stub.url
    }
  } catch (err) {
    await stop()
    throw err
  }
  return { env, summaries: () => started.map((s) => s.summary()), stop }
}
