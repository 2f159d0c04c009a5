/**
 * target.restartWhen as decisions: whether a started target is due for a restart (it exited, or
 * its RSS is over the limit), and whether one more restart would make a restart loop.
 */
import type { RestartPolicy } from '../scenario/types.js'
import { describeExit, type ExitInfo } from './events.js'
import { formatBytes, formatDuration } from '../units/format.js'

export class RestartDecider {
  readonly #policy: RestartPolicy
  /** When the restarts within the window happened, ms. */
  #recent: number[] = []

  constructor (policy: RestartPolicy) {
    this.#policy = policy
  }

  /** Why the target should be restarted now (the words of its event), or undefined. */
  due (rss: number | undefined, exit: ExitInfo | undefined): string | undefined {
    if (exit !== undefined) return this.#policy.exited ? `restartWhen.exited: it ${describeExit(exit)}` : undefined
    const limit = this.#policy.rssAbove
    if (limit !== undefined && rss !== undefined && rss > limit) return `restartWhen.rssAbove: RSS ${formatBytes(rss)} above ${formatBytes(limit)}`
    return undefined
  }

  /**
   * Counts a restart at `now` (ms), or refuses it, with the reason to stop, when maxRestarts
   * restarts already happened within the window: the target keeps dying or growing at once.
   */
  take (now: number): string | undefined {
    const { maxRestarts, within } = this.#policy
    this.#recent = this.#recent.filter((t) => now - t < within * 1000)
    if (this.#recent.length >= maxRestarts) {
      return `restart loop: the target needed a restart ${maxRestarts + 1} times within ${formatDuration(within)} (target.restartWhen allows ${maxRestarts}); stopping`
    }
    this.#recent.push(now)
    return undefined
  }
}
