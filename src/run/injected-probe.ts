/**
 * target.probe: memsiege's preload probe in a target it starts (target.command), for GC figures
 * from an app that mounts no probe. planInjectedProbe() chooses the runtime and the port and
 * gives the environment to start the command with; gcOfInjectedProbe() waits until the probe
 * answers from inside the target's process tree and makes its GC sampler. Whatever goes wrong
 * (a port taken, a probe that never answers) is one warning: the run goes on without GC figures.
 */
import { createServer } from 'node:net'
import { GcFetcher } from '../sampler/gc-fetch.js'
import { GcSampler } from '../sampler/gc-sampler.js'
import { lookupPortOwner } from '../target/port-owner.js'
import { processTree } from '../target/process-tree.js'
import { freePort } from '../target/free-port.js'
import { probeEnv, probeInstalled, runtimeOfCommand, type ProbeRuntime } from '../target/probe-runtime.js'
import type { TargetProcess } from '../target/process.js'
import { delay } from '../target/ready.js'
import type { Scenario } from '../scenario/types.js'

export interface ProbePlan {
  runtime: ProbeRuntime
  port: number
  /** Added to the command's environment. */
  env: Record<string, string>
  url: string
}

/** Undefined when nothing is to be injected: no command, a scenario GC endpoint, `probe: none`, or a runtime not recognised. */
export async function planInjectedProbe (scenario: Scenario, warn: (message: string) => void): Promise<ProbePlan | undefined> {
  const { target, sample } = scenario
  if (target.command === undefined || sample.gc !== undefined) return undefined
  const choice = target.probe ?? 'auto'
  if (choice === 'none') return undefined
  const runtime = choice === 'auto' ? runtimeOfCommand(target.command, target.cwd) : choice
  if (runtime === undefined) return undefined
  if (!probeInstalled(runtime)) {
    warn(`target.probe: memsiege's ${runtime} probe is missing from this installation (build it: npm run build); no GC figures`)
    return undefined
  }
  const fixed = target.env?.MEMSIEGE_PROBE_PORT
  // The app's own port is free until the app binds it: the probe must not take it first.
  const appPort = target.url === undefined ? undefined : Number(new URL(target.url).port)
  const port = fixed !== undefined ? Number(fixed) : await freePort(appPort ? [appPort] : [])
  if (fixed !== undefined && !(await canListen(port))) {
    const owner = await lookupPortOwner(port)
    warn(`target.probe: port ${port} (target.env.MEMSIEGE_PROBE_PORT) is already used${owner ? ` by pid ${owner.pid}` : ''}: the ${runtime} probe is not injected and the run goes on without GC figures`)
    return undefined
  }
  const env = probeEnv(runtime, port, { ...process.env, ...target.env })
  // The Node probe then keeps V8 from inlining, so that an allocation is named by its own function.
  if (scenario.findSource) env.MEMSIEGE_FIND_SOURCE = '1'
  return { runtime, port, env, url: `http://127.0.0.1:${port}/__memsiege/gc` }
}

/**
 * The GC sampler of the injected probe once it answers from the target's own process tree
 * (waiting up to target.readyTimeout: a cluster's workers bind theirs after the app is ready);
 * undefined, with one warning, when it doesn't.
 */
export async function gcOfInjectedProbe (plan: ProbePlan, scenario: Scenario, started: TargetProcess, warn: (message: string) => void): Promise<GcSampler | undefined> {
  const token = process.env.MEMSIEGE_PROBE_TOKEN || undefined
  const fetcher = new GcFetcher(plan.url, { timeoutMs: 2000, token })
  const deadline = Date.now() + scenario.target.readyTimeout * 1000
  let last = 'no answer'
  try {
    while (started.exit === undefined) {
      try {
        const pid = (JSON.parse((await fetcher.fetch()).body) as { pid?: unknown }).pid
        if (typeof pid === 'number' && (await processTree(started.pid)).includes(pid)) {
          return new GcSampler({ url: plan.url, interval: Math.min(5, scenario.sample.interval), token, warn })
        }
        last = `answered by pid ${String(pid)}, which is not the target's`
        break
      } catch (err) {
        last = (err as Error).message
      }
      if (Date.now() > deadline) break
      await delay(100)
    }
  } finally {
    await fetcher.close()
  }
  warn(`target.probe: the ${plan.runtime} probe at ${plan.url} did not answer (${last}; see the target's log): the run goes on without GC figures`)
  return undefined
}

async function canListen (port: number): Promise<boolean> {
  const server = createServer()
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => resolve(true))
  })
  if (ok) await new Promise<void>((resolve) => server.close(() => resolve()))
  return ok
}
