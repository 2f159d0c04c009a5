import type { ProcSampler } from '../sampler/proc-sampler.js'
import type { Cell } from '../sampler/types.js'
import type { RestartPolicy } from '../scenario/types.js'
import type { TargetProcess } from '../target/process.js'
import { RestartDecider } from '../target/restart-policy.js'

/**
 * Restarts a target memsiege started (target.command) as target.restartWhen says, between two
 * rows: no row is taken while it restarts, so the old process's end is never reported as an
 * exit of its own, and the new process is sampled from the next row on (`target_restarted`).
 */
export class RestartKeeper {
  readonly #decider: RestartDecider
  readonly #sampler: ProcSampler
  #target: TargetProcess

  constructor (policy: RestartPolicy, sampler: ProcSampler, target: TargetProcess) {
    this.#decider = new RestartDecider(policy)
    this.#sampler = sampler
    this.#target = target
  }

  /** The process running now (a new one after each restart). */
  get target (): TargetProcess {
    return this.#target
  }

  /** After a row whose RSS cell is `rss`: restarts when due. Returns why the run must stop, if it must. */
  async check (rss: Cell): Promise<string | undefined> {
    const reason = this.#decider.due(typeof rss === 'number' ? rss : undefined, this.#target.exit)
    if (reason === undefined) return undefined
    // A process in the middle of exiting has left no mm behind but is not yet a zombie: its last
    // row is empty without the exit being seen, and the exit status may arrive before the next
    // row. Without this the exit would never be reported once the restart replaces the process.
    if (this.#target.exit !== undefined) await this.#sampler.markGone()
    const loop = this.#decider.take(Date.now())
    if (loop) return loop
    try {
      this.#target = await this.#target.restart()
    } catch (err) {
      return `the restart (${reason}) failed: ${(err as Error).message}`
    }
    await this.#sampler.adopt(this.#target.pid, this.#target, reason)
    return undefined
  }
}
