// A tiny node:http target for `npm run bench`: answers every request with "hello\n".
// Usage: node bench/node-target.mjs PORT   (listens on 127.0.0.1 only; prints "listening PORT" when ready)
import { createServer } from 'node:http'

const port = Number(process.argv[2] ?? 0)
const body = Buffer.from('hello\n')

const server = createServer((req, res) => {
  // Drain any request body so keep-alive connections stay usable.
  req.resume()
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length })
  res.end(body)
})
server.keepAliveTimeout = 60_000
server.headersTimeout = 65_000

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`)
})

const stop = () => server.close(() => process.exit(0)).closeAllConnections()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
