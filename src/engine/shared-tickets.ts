import type { Tickets } from './load-engine.js'

/** A `requests: N` budget that threads share: one counter in shared memory, taken atomically, so it stays exact. */
export function sharedBudget (count: number): BigInt64Array {
  const left = new BigInt64Array(new SharedArrayBuffer(8))
  left[0] = BigInt(count)
  return left
}

export function sharedTickets (left: BigInt64Array): Tickets {
  return { take: () => Atomics.sub(left, 0, 1n) > 0n }
}
