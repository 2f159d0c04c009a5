/**
 * Tests wait for a condition, never for a time: a busy or slow machine only makes them slower.
 * The caps are generous on purpose; they exist so that a broken run fails instead of hanging.
 */
import type { Readable } from 'node:stream'

export const DEFAULT_CAP_MS = 30_000
const POLL_MS = 50

/** Polls `fn` until it returns something truthy, which it resolves with; rejects after `timeoutMs`. */
export async function waitFor<T> (fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = DEFAULT_CAP_MS, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/**
 * Resolves with the first match of `pattern` in what `stream` writes from now on (whole text so
 * far, so a match may span chunks); rejects when the stream ends first or after `timeoutMs`.
 */
export function waitForLine (stream: Readable, pattern: RegExp, timeoutMs = DEFAULT_CAP_MS): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = ''
    const finish = (error?: Error, match?: RegExpMatchArray): void => {
      clearTimeout(timer)
      stream.off('data', onData)
      stream.off('end', onEnd)
      if (error) reject(error)
      else resolve(match!)
    }
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString()
      const match = text.match(pattern)
      if (match) finish(undefined, match)
    }
    const onEnd = (): void => finish(new Error(`the stream ended without ${pattern}; it wrote:\n${text}`))
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${pattern}; the stream wrote:\n${text}`)), timeoutMs)
    stream.on('data', onData)
    stream.on('end', onEnd)
  })
}
