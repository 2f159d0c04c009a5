// The ceiling memsiege is built on: a bare undici Pool.dispatch loop with a minimal handler and
// nothing else (no stats, no histograms, no sampling), the same headers memsiege sends.
//   node bench/undici-loop.mjs URL CONCURRENCY SECONDS   → one JSON line: { requests, elapsed_s, rps }
import { Pool } from 'undici'

const [url, concurrency, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])]
const target = new URL(url)
const pool = new Pool(target.origin, { connections: concurrency, pipelining: 1 })
const options = { path: target.pathname + target.search, method: 'GET', headers: ['accept', '*/*', 'accept-encoding', 'gzip, deflate', 'user-agent', 'undici-loop'] }
let requests = 0
let running = concurrency
const started = performance.now()
const deadline = started + seconds * 1000

class Loop {
  onConnect () {}
  onHeaders () { return true }
  onData () { return true }
  onComplete () {
    requests++
    this.next()
  }

  onError () { this.next() }

  next () {
    if (performance.now() < deadline) return pool.dispatch(options, this)
    if (--running === 0) {
      const elapsed = (performance.now() - started) / 1000
      process.stdout.write(JSON.stringify({ requests, elapsed_s: elapsed, rps: requests / elapsed }) + '\n')
      pool.destroy()
    }
  }
}

for (let i = 0; i < concurrency; i++) pool.dispatch(options, new Loop())
