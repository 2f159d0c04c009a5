/**
 * The fast HTTP/1.1 path against undici: the same URL list sent to the same canned server once
 * through each transport must count the same (per endpoint: transactions, failures, body bytes;
 * status codes; error kinds). Then the framer alone, fed every response split at every byte.
 */
import t from 'tap'
import { startRun } from '../src/run/run-scenario.js'
import type { RunSummary } from '../src/recorder/summary-json.js'
import { ResponseFramer, type FramerSink } from '../src/engine/response-framer.js'
import { startCannedServer, type Canned } from './fixtures/canned-server.js'
import { testScenario } from './helpers/scenario.js'

const big = 'x'.repeat(20 * 1024)

const ANSWERS: Record<string, Canned> = {
  '/length': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello' },
  '/chunked': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\nA;ext="q;x"\r\n 123456789\r\n0;last\r\nX-Trailer: t\r\nY: 2\r\n\r\n' },
  '/head': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n' },
  '/no-content': { bytes: 'HTTP/1.1 204 No Content\r\n\r\n' },
  '/not-modified': { bytes: 'HTTP/1.1 304 Not Modified\r\nETag: "1"\r\n\r\n' },
  '/hints': { bytes: 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' },
  '/close': { bytes: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye', after: 'end' },
  '/until-close': { bytes: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nread until the end', after: 'end' },
  '/http10': { bytes: 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok', after: 'end' },
  '/error': { bytes: 'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy' },
  '/redirect': { bytes: 'HTTP/1.1 302 Found\r\nLocation: /length\r\nSet-Cookie: session=abc; Path=/\r\nContent-Length: 0\r\n\r\n' },
  '/cookie': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' },
  '/early-close': { bytes: '', after: 'destroy' },
  '/cut-body': { bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial', after: 'end' },
  '/garbage': { bytes: 'HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n', after: 'end' },
  '/not-http': { bytes: 'hello there\r\n\r\n', after: 'end' },
  '/oversized': { bytes: `HTTP/1.1 200 OK\r\nX-Big: ${big}\r\nContent-Length: 0\r\n\r\n` }
}

const LINES: Array<{ url: string, method?: string }> = [
  { url: '/length' }, { url: '/chunked' }, { url: '/head', method: 'HEAD' }, { url: '/no-content' }, { url: '/not-modified' },
  { url: '/hints' }, { url: '/close' }, { url: '/length' }, { url: '/until-close' }, { url: '/http10' }, { url: '/error' },
  { url: '/redirect' }, { url: '/cookie' }, { url: '/early-close' }, { url: '/length' }, { url: '/cut-body' }, { url: '/garbage' },
  { url: '/not-http' }, { url: '/oversized' }, { url: '/length' }
]

function counted (summary: RunSummary) {
  return {
    endpoints: summary.endpoints.map(({ endpoint, transactions, successful, failed, bytes }) => ({ endpoint, transactions, successful, failed, bytes })),
    status: summary.status_codes,
    errors: summary.errors,
    transactions: summary.transactions,
    failed: summary.failed_transactions
  }
}

async function runThrough (transport: 'fast' | 'undici', origin: string, dir: string) {
  const scenario = testScenario(LINES.map((line) => ({ ...line, url: origin + line.url })), { transport, out: `${dir}-${transport}` })
  return (await startRun(scenario).done).summary
}

for (const byteByByte of [false, true]) {
  t.test(`fast path and undici count the same${byteByByte ? ', responses written byte by byte' : ''}`, async (t) => {
    const server = await startCannedServer(ANSWERS, { byteByByte })
    t.teardown(server.close)
    const fast = await runThrough('fast', server.origin, t.testdirName)
    const fastHeads = server.heads.splice(0)
    const undici = await runThrough('undici', server.origin, t.testdirName)
    const undiciHeads = server.heads.splice(0)
    t.same(counted(fast), counted(undici))
    t.same(fastHeads, undiciHeads, 'the server saw the same request heads')
    t.ok(fastHeads.some((head) => head[0] === 'GET /cookie HTTP/1.1' && head.includes('cookie: session=abc')), 'the cookie set on a redirect is sent on')
    t.equal(fast.errors.reset, 2, 'a close before the answer and a body cut short count as resets')
    t.equal(fast.errors.other, 3, 'garbage status lines and an oversized head count as other errors')
  })
}

/** Responses llhttp refuses (or undici misreads) though RFC 9112 allows them: the fast path takes them. */
const LENIENT: Record<string, Canned> = {
  '/continue': { bytes: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' },
  '/not-modified-length': { bytes: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n' },
  '/chunk-space': { bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 ; x=y\r\nok\r\n0\r\n\r\n' }
}

t.test('deliberate differences: 100 Continue, a 304 with its would-be length, blanks before a chunk extension', async (t) => {
  const server = await startCannedServer(LENIENT)
  t.teardown(server.close)
  const lines = Object.keys(LENIENT).map((path) => server.origin + path)
  const scenario = (transport: 'fast' | 'undici') => ({ ...testScenario(lines, { transport }), out: `${t.testdirName}-${transport}` })
  const fast = (await startRun(scenario('fast')).done).summary
  const undici = (await startRun(scenario('undici')).done).summary
  t.same(fast.status_codes, { 200: 2, 304: 1 })
  t.equal(fast.data_transferred_bytes, 4)
  t.equal(undici.failed_transactions, 3, 'undici: a bad response, a length mismatch, an invalid chunk size')
})

/** What a sink heard, as one comparable record per response. */
class Recorder implements FramerSink {
  events: string[] = []
  onHead (status: number, picked: Buffer[]): void { this.events.push(`head ${status} ${picked.map((b) => b.toString('latin1')).join('|')}`) }
  onBody (bytes: number): void {
    const last = this.events[this.events.length - 1]
    if (last?.startsWith('body ')) this.events[this.events.length - 1] = `body ${Number(last.slice(5)) + bytes}`
    else this.events.push(`body ${bytes}`)
  }

  onEnd (keepAlive: boolean): void { this.events.push(`end ${keepAlive}`) }
}

function frame (pieces: Buffer[], noBody: boolean): string[] {
  const sink = new Recorder()
  const framer = new ResponseFramer(sink)
  framer.expect(noBody)
  for (const piece of pieces) {
    try {
      framer.feed(piece, 0, piece.length)
    } catch (err) {
      sink.events.push(`error ${(err as { code: string }).code}`)
      break
    }
    if (!framer.waiting) break
  }
  if (framer.waiting) framer.eof()
  return sink.events
}

t.test('the framer hears the same whatever the split: every two-piece split and one byte at a time', async (t) => {
  for (const [path, answer] of Object.entries(ANSWERS)) {
    const bytes = Buffer.from(answer.bytes as string, 'latin1')
    const noBody = path === '/head'
    const whole = frame([bytes], noBody)
    for (let cut = 1; cut < bytes.length; cut++) {
      const split = frame([bytes.subarray(0, cut), bytes.subarray(cut)], noBody)
      if (JSON.stringify(split) !== JSON.stringify(whole)) {
        t.same(split, whole, `${path} split at byte ${cut}`)
        break
      }
    }
    t.same(frame([...bytes].map((b) => Buffer.from([b])), noBody), whole, `${path} one byte at a time`)
  }
  t.same(frame([Buffer.from(ANSWERS['/chunked'].bytes as string, 'latin1')], false), ['head 200 ', 'body 15', 'end true'])
  t.same(frame([Buffer.from(ANSWERS['/redirect'].bytes as string, 'latin1')], false), ['head 302 Location|/length|Set-Cookie|session=abc; Path=/', 'end true'])
  t.same(frame([Buffer.from(ANSWERS['/http10'].bytes as string, 'latin1')], false), ['head 200 ', 'body 2', 'end false'])
  t.same(frame([Buffer.from(ANSWERS['/oversized'].bytes as string, 'latin1')], false), ['error UND_ERR_HEADERS_OVERFLOW'])
})
