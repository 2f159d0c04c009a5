/** How a process ended: `code` for a normal exit, `signal` when a signal killed it. */
export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

/**
 * What the proc sampler reports besides its columns. Delivered through ProcSamplerOptions.onEvent,
 * synchronously, from inside the `read()` (or `start()`) that noticed it, so an event always
 * precedes the row in which its effect (empty cells, a new pid) shows.
 */
export type TargetEvent = TargetExitedEvent | TargetRestartedEvent

export interface TargetExitedEvent {
  type: 'target_exited'
  /** When memsiege noticed, ms since the epoch (not the exit itself: /proc doesn't keep that). */
  time: number
  pid: number
  /** Only for a target memsiege started (target.command): how it ended; null when unknown yet. */
  exit?: ExitInfo
}

export interface TargetRestartedEvent {
  type: 'target_restarted'
  time: number
  /** The new root process holding target.port. */
  pid: number
  previousPid: number
  /** When the new process started, ms since the epoch (from /proc/PID/stat); undefined if unknown. */
  startTime?: number
  /** Why memsiege restarted it itself (target.restartWhen); absent when someone else did. */
  reason?: string
}

/** A process memsiege started: enough for the sampler to report its exit code. */
export interface ExitSource {
  readonly exited: Promise<ExitInfo>
}

export function describeExit (exit: ExitInfo): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`
}
