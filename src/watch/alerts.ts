/**
 * `--alert leak`, `--alert-rss 1.5GB`, `--on-alert CMD`: the watch's state is the set of alerts
 * that hold (the verdict is a leak; the target's RSS is over the limit). CMD runs once each time
 * that state changes, back to none included, with the state and the verdict in its environment;
 * its output is appended to alerts.log in the results folder.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import type { RunVerdict } from '../analysis/types.js'
import { formatBytes } from '../units/format.js'

export interface AlertSettings {
  /** Alert while the verdict is a leak. */
  leak: boolean
  /** Alert while the target's RSS is above this many bytes. */
  rssAbove?: number
  /** Run through the shell at each change of state. */
  command?: string
}

export interface AlertChange {
  /** `leak`, `rss`, `leak,rss`, or `none` when they have all cleared. */
  state: string
  /** One line for the terminal. */
  message: string
}

export class Alerts {
  readonly #settings: AlertSettings
  readonly #dir: string
  readonly #logFile: string
  #leak = false
  #rss = false
  #lastRss?: number
  #verdict?: RunVerdict
  readonly #running = new Set<Promise<void>>()

  constructor (settings: AlertSettings, dir: string, logFile: string) {
    this.#settings = settings
    this.#dir = dir
    this.#logFile = logFile
  }

  /** After each row. */
  rss (bytes: number | undefined): AlertChange | undefined {
    if (bytes === undefined) return undefined
    this.#lastRss = bytes
    const limit = this.#settings.rssAbove
    return limit === undefined ? undefined : this.#set(this.#leak, bytes > limit)
  }

  /** After each analysis. */
  verdict (v: RunVerdict): AlertChange | undefined {
    this.#verdict = v
    return this.#settings.leak ? this.#set(v.verdict === 'leak', this.#rss) : undefined
  }

  /** Waits for the commands still running (at the end of the watch). */
  async settle (): Promise<void> {
    await Promise.all(this.#running)
  }

  #set (leak: boolean, rss: boolean): AlertChange | undefined {
    if (leak === this.#leak && rss === this.#rss) return undefined
    this.#leak = leak
    this.#rss = rss
    const state = [leak ? 'leak' : '', rss ? 'rss' : ''].filter(Boolean).join(',') || 'none'
    const why = [
      leak ? `the verdict is a leak: ${this.#verdict?.summary ?? ''}` : '',
      rss ? `RSS ${formatBytes(this.#lastRss ?? 0)} is above ${formatBytes(this.#settings.rssAbove ?? 0)}` : ''
    ].filter(Boolean).join('; ')
    if (this.#settings.command) this.#run(state)
    return { state, message: state === 'none' ? 'alert cleared' : `alert: ${why}` }
  }

  #run (state: string): void {
    const fd = openSync(this.#logFile, 'a')
    const v = this.#verdict
    const child = spawn('/bin/sh', ['-c', this.#settings.command!], {
      stdio: ['ignore', fd, fd],
      env: {
        ...process.env,
        MEMSIEGE_ALERT: state,
        MEMSIEGE_VERDICT: v?.verdict ?? '',
        MEMSIEGE_VERDICT_SUMMARY: v?.summary ?? '',
        MEMSIEGE_RSS_BYTES: this.#lastRss === undefined ? '' : String(this.#lastRss),
        MEMSIEGE_RESULTS_DIR: this.#dir
      }
    })
    closeSync(fd)
    const done = new Promise<void>((resolve) => {
      child.once('error', () => resolve())
      child.once('exit', () => resolve())
    })
    this.#running.add(done)
    void done.then(() => this.#running.delete(done))
  }
}
