/**
 * A folder of recorded exchanges: read whole at start (the replay then touches neither the
 * disk nor the network), and written one exchange at a time while recording.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { ConfigError } from '../errors.js'
import { makeOutputFolder } from '../recorder/output-folder.js'
import { readExchange, writeExchange, type Exchange } from './exchange-file.js'
import { matchKey } from './match-key.js'

const EXCHANGE_FILE = /^(\d+)-.*\.ya?ml$/

/** Recorded answers by match key; several for one key are replayed in turn. */
export class Recordings {
  readonly #byKey = new Map<string, { exchanges: Exchange[]; next: number }>()
  readonly #matchBody: boolean
  readonly size: number

  constructor (exchanges: Exchange[], matchBody: boolean) {
    this.#matchBody = matchBody
    this.size = exchanges.length
    for (const e of exchanges) {
      const key = this.#key(e.request.method, new URL(e.request.url), e.request.bodySha256)
      const entry = this.#byKey.get(key)
      if (entry) entry.exchanges.push(e)
      else this.#byKey.set(key, { exchanges: [e], next: 0 })
    }
  }

  #key (method: string, url: URL, bodySha256: string): string {
    return matchKey(method, url, this.#matchBody ? bodySha256 : undefined)
  }

  find (method: string, url: URL, bodySha256: string): Exchange | undefined {
    const entry = this.#byKey.get(this.#key(method, url, bodySha256))
    if (!entry) return undefined
    const exchange = entry.exchanges[entry.next]
    entry.next = (entry.next + 1) % entry.exchanges.length
    return exchange
  }
}

/** Every NNNN-*.yml of `dir`, in number order; a missing folder or a bad file is a ConfigError. */
export function readRecordings (dir: string, matchBody: boolean): Recordings {
  if (!existsSync(dir)) throw new ConfigError(`--replay: no such folder: ${dir}`)
  if (!statSync(dir).isDirectory()) throw new ConfigError(`--replay: not a folder: ${dir}`)
  const names = readdirSync(dir).filter((n) => EXCHANGE_FILE.test(n)).sort((a, b) => number(a) - number(b))
  return new Recordings(names.map((name) => readExchange(dir, name)), matchBody)
}

function number (name: string): number {
  return Number(EXCHANGE_FILE.exec(name)![1])
}

/** Numbers new exchanges after those already in the folder, so that a second recording adds to the first. */
export class RecordingWriter {
  readonly #dir: string
  #next: number

  constructor (dir: string) {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ConfigError(`--record: not a folder: ${dir}`)
    this.#dir = makeOutputFolder(dir, '--record')
    this.#next = Math.max(0, ...readdirSync(dir).filter((n) => EXCHANGE_FILE.test(n)).map(number)) + 1
  }

  write (exchange: Exchange): string {
    const url = new URL(exchange.request.url)
    const slug = `${url.host}${url.pathname}`.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '').slice(0, 80)
    const base = `${String(this.#next++).padStart(4, '0')}-${exchange.request.method}-${slug}`
    writeExchange(this.#dir, base, exchange)
    return `${base}.yml`
  }
}
