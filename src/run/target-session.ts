import { GcSampler } from '../sampler/gc-sampler.js'
import { PROC_COLUMNS, ProcSampler } from '../sampler/proc-sampler.js'
import { RestartKeeper } from './restart-keeper.js'
import { SelfSampler } from '../sampler/self-sampler.js'
import type { TargetEvent } from '../target/events.js'
import type { TargetAddress } from '../target/port-check.js'
import { startTarget, type TargetProcess } from '../target/process.js'
import type { Cell, Sampler } from '../sampler/types.js'
import type { Scenario } from '../scenario/types.js'
import { ConfigError } from '../errors.js'
import type { StubSummary } from '../recorder/summary-json.js'
import { gcOfInjectedProbe, planInjectedProbe } from './injected-probe.js'
import type { ProbeRuntime } from '../target/probe-runtime.js'

/** The target as a run sees it: the process memsiege started (if any) and the samplers that watch it. */
export interface TargetSession {
  samplers: Sampler[]
  /**
   * After each row (the samplers' cells, in order): restarts a started target as
   * target.restartWhen says. Returns why the run must stop (a restart loop, a failed restart).
   */
  afterRow (cells: readonly Cell[][]): Promise<string | undefined>
  /** Stops the process memsiege started, then the stubs; nothing otherwise. */
  close (): Promise<void>
  /** What the scenario's stubs answered (none without `stubs:`). */
  stubSummaries (): StubSummary[]
  /** The GC endpoint of a probe in the target (sample.gc's, or the injected one's), for `--find-source`. */
  probe?: { url: string; runtime?: ProbeRuntime }
}

export interface TargetSessionOptions {
  /** target.log for a started command. */
  logFile: string
  warn: (message: string) => void
  onEvent: (event: TargetEvent) => void
}

export async function openTargetSession (scenario: Scenario, options: TargetSessionOptions): Promise<TargetSession> {
  const { target, sample } = scenario
  let started: TargetProcess | undefined
  const probe = await planInjectedProbe(scenario, options.warn)
  // Before the target, which may call its APIs while it boots; loaded only when a scenario has stubs.
  const stubs = scenario.stubs ? await (await import('../stub/run-stubs.js')).startStubs(scenario.stubs) : undefined
  if (stubs && !target.command) options.warn(`stubs: memsiege did not start the target (target.command), so give it these variables yourself: ${Object.entries(stubs.env).map(([k, v]) => `${k}=${v}`).join(' ')}`)
  try {
    if (target.command) {
      started = await startTarget({
        command: target.command,
        cwd: target.cwd,
        env: { ...stubs?.env, ...target.env, ...probe?.env },
        logFile: options.logFile,
        ready: target.ready ? absolute(target.ready, target.url, 'target.ready') : undefined,
        address: loadAddress(scenario),
        readyTimeout: target.readyTimeout,
        insecure: target.insecure
      })
    }
  } catch (err) {
    await stubs?.stop()
    throw err
  }
  const close = async (): Promise<void> => {
    await started?.stop()
    await stubs?.stop()
  }
  try {
    const samplers: Sampler[] = []
    let probeUrl: TargetSession['probe']
    const pid = started?.pid ?? target.pid
    let afterRow: TargetSession['afterRow'] = async () => undefined
    if (pid !== undefined || target.port !== undefined) {
      const proc = new ProcSampler({ pid, port: target.port, tree: target.tree, pssInterval: sample.pssInterval, target: started, onEvent: options.onEvent })
      samplers.push(proc)
      if (started && target.restartWhen) {
        const keeper = new RestartKeeper(target.restartWhen, proc, started)
        const rss = PROC_COLUMNS.indexOf('rss_bytes')
        afterRow = async (cells) => {
          const stop = await keeper.check(cells[0]?.[rss])
          started = keeper.target
          return stop
        }
      }
    } else {
      options.warn('no target process (target.port, target.pid or target.command; --port, --pid, --cmd): load only, no memory columns')
    }
    if (sample.gc) {
      const { url, interval, format, metrics } = sample.gc
      probeUrl = { url: absolute(url, target.url, 'sample.gc.url') }
      samplers.push(new GcSampler({ url: probeUrl.url, interval, format, metrics, insecure: target.insecure, token: process.env.MEMSIEGE_PROBE_TOKEN || undefined, warn: options.warn }))
    } else if (probe && started) {
      const injected = await gcOfInjectedProbe(probe, scenario, started, options.warn)
      if (injected) {
        samplers.push(injected)
        probeUrl = { url: probe.url, runtime: probe.runtime }
      }
    }
    samplers.push(new SelfSampler())
    return { samplers, afterRow, close, stubSummaries: () => stubs?.summaries() ?? [], ...(probeUrl ? { probe: probeUrl } : {}) }
  } catch (err) {
    await close()
    throw err
  }
}

/** Where the load asks for the target: target.url, else the first URL of the list. */
function loadAddress (scenario: Scenario): TargetAddress | undefined {
  if (scenario.target.url) return { url: scenario.target.url, key: 'target.url' }
  const first = scenario.urls.entries[0]
  return first ? { url: first.url, key: 'the first URL of the list' } : undefined
}

function absolute (pathOrUrl: string, base: string | undefined, key: string): string {
  if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl
  if (!base) throw new ConfigError(`${key}: "${pathOrUrl}" is a path, and there is no target.url to resolve it against`)
  return new URL(pathOrUrl, base).href
}
