/**
 * `--requests-from-log FILE`: the requests an access log records while the watch runs, read with
 * the parsers of `memsiege urls from-log` (format detected from the first lines written). Only
 * lines written after the watch started count. The file is followed across logrotate: when the
 * path names a new file (or the file was truncated), the old one is read to its end and the new
 * one from its start.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import { ConfigError } from '../errors.js'
import { DETECT_LINES, detectFormat, emptyRecord, type LineParser } from '../urls/log-formats.js'
import type { RequestCounter } from './request-counter.js'

const CHUNK = 256 * 1024

export class AccessLogFollower implements RequestCounter {
  readonly xAxis: string
  readonly #path: string
  #fd = -1
  #ino = 0
  #offset = 0
  #partial = ''
  #parser?: LineParser
  /** Lines waiting for the format to be detected. */
  #undetected: string[] = []
  #count = 0
  readonly #record = emptyRecord()

  constructor (path: string) {
    this.#path = path
    this.xAxis = `requests recorded in the access log ${path} (lines written while memsiege watched)`
  }

  async start (): Promise<void> {
    try {
      this.#open(true)
    } catch (err) {
      throw new ConfigError(`--requests-from-log: cannot read ${this.#path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
  }

  async read (): Promise<number | undefined> {
    try {
      this.#drain()
      let now: ReturnType<typeof statSync> | undefined
      try {
        now = statSync(this.#path)
      } catch {
        // rotated away and not yet recreated: what was written is counted, the rest comes later
      }
      if (now && (now.ino !== this.#ino || now.size < this.#offset)) {
        closeSync(this.#fd)
        this.#open(false)
        this.#drain()
      }
      return this.#count
    } catch {
      return undefined
    }
  }

  async close (): Promise<void> {
    if (this.#fd >= 0) closeSync(this.#fd)
    this.#fd = -1
  }

  #open (atEnd: boolean): void {
    this.#fd = openSync(this.#path, 'r')
    const stat = fstatSync(this.#fd)
    this.#ino = stat.ino
    this.#offset = atEnd ? stat.size : 0
    this.#partial = ''
  }

  #drain (): void {
    const buffer = Buffer.alloc(CHUNK)
    for (;;) {
      const got = readSync(this.#fd, buffer, 0, buffer.length, this.#offset)
      if (got === 0) return
      this.#offset += got
      const text = this.#partial + buffer.toString('latin1', 0, got)
      const lines = text.split('\n')
      this.#partial = lines.pop()!
      for (const line of lines) this.#line(line)
    }
  }

  #line (line: string): void {
    if (line.trim() === '') return
    if (!this.#parser) {
      this.#undetected.push(line)
      if (this.#undetected.length < DETECT_LINES) {
        // Decide as soon as the lines so far agree on one format, rather than wait for 20.
        const guess = detectFormat(this.#undetected, { wantTime: false })
        if (!guess || !this.#undetected.every((l) => guess.parse(l, this.#record))) return
      }
      this.#parser = detectFormat(this.#undetected, { wantTime: false })
      const waiting = this.#undetected
      this.#undetected = []
      if (!this.#parser) return
      for (const l of waiting) if (this.#parser.parse(l, this.#record)) this.#count++
      return
    }
    if (this.#parser.parse(line, this.#record)) this.#count++
  }
}
