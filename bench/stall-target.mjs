// A target for the fixed-rate accuracy check: answers every request 20 ms after it arrives,
// except that for 1 s out of every 5 s it stalls, and what arrives then waits for the stall's end.
// Usage: node bench/stall-target.mjs PORT   (127.0.0.1 only; prints "listening PORT" when ready)
import { createServer } from 'node:http'

const ANSWER_MS = 20
const EVERY_MS = 5000
const STALL_MS = 1000
const port = Number(process.argv[2] ?? 0)
const started = Date.now()

/** ms until the request may be answered: 20, or until the current stall ends (which then adds the 20). */
function wait () {
  const phase = (Date.now() - started) % EVERY_MS
  const stallStart = EVERY_MS - STALL_MS
  return phase >= stallStart ? EVERY_MS - phase + ANSWER_MS : ANSWER_MS
}

const server = createServer((req, res) => {
  req.resume()
  setTimeout(() => res.end('pong\n'), wait())
})
server.keepAliveTimeout = 60_000
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`))
const stop = () => server.close(() => process.exit(0)).closeAllConnections()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
