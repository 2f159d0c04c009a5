/**
 * Differential test on the wire: the same URL file and flags, sent once by the real siege
 * and once by memsiege's CLI to a raw-request-logging server, must give the same requests
 * (method, target, body bytes, content type, the headers that matter), in the same order.
 */
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startRawServer, type RecordedRequest } from './fixtures/raw-server.js'
import { runCli } from './helpers/cli.js'
import { runSiege, siegeSkipReason, tempDir, wireOf } from './helpers/siege.js'

const skip = siegeSkipReason()

function header (request: RecordedRequest, name: string): string | undefined {
  return request.headers.find(([n]) => n.toLowerCase() === name)?.[1]
}

/** What must match: the request itself and the headers a server's behaviour can depend on. */
function comparable (request: RecordedRequest) {
  return {
    ...wireOf(request),
    accept: header(request, 'accept'),
    acceptEncoding: header(request, 'accept-encoding'),
    // Deliberate difference: siege sends "Content-Length: 0" on an empty DELETE or OPTIONS;
    // undici (and the fast path, which writes what undici writes) leaves it out, as RFC 9110 §8.6 asks of a request whose method expects no body.
    contentLength: request.body.length === 0 ? undefined : header(request, 'content-length'),
    userAgent: header(request, 'user-agent'),
    tag: header(request, 'x-tag')
  }
}

t.test('siege and memsiege send the same requests for the same file and flags', { skip }, async (t) => {
  const server = await startRawServer()
  t.teardown(() => server.close())
  const dir = tempDir(t)
  const origin = `http://127.0.0.1:${server.port}`
  writeFileSync(join(dir, 'form.txt'), 'name=widget&qty=2\n')
  writeFileSync(join(dir, 'doc.json'), '{"k": "v"}\n')
  const lines = [
    `ORIGIN=${origin}`,
    '# a comment',
    '$(ORIGIN)/slow',
    '$(ORIGIN)/api/items POST name=widget&qty=2',
    '$(ORIGIN)/search?q=siege&page=1',
    '$(ORIGIN)/api/items/7 PUT <form.txt',
    '$(ORIGIN)/api/docs POST <doc.json',
    '$(ORIGIN)/api/items/7 DELETE',
    '$(ORIGIN)/api/items OPTIONS',
    '$(ORIGIN)/api/items/7 PATCH qty=3',
    '$(ORIGIN)/~user/a b/%41%2F'
  ]
  const urlFile = join(dir, 'urls.txt')
  writeFileSync(urlFile, lines.join('\n') + '\n')
  const requests = lines.length - 2
  const flags = ['-c', '1', '-r', String(requests), '-b', '-H', 'X-Tag: same', '-A', 'agent/1.0', '-T', 'application/x-www-form-urlencoded']

  const siege = await runSiege(dir, urlFile, requests, flags.slice(4))
  t.equal(siege.code, 0, siege.output)
  const bySiege = server.requests.splice(0).map(comparable)
  t.equal(bySiege.length, requests)
  // Both transports: the fast path must put the same requests on the wire as undici.
  for (const transport of ['fast', 'undici']) {
    const ours = await runCli([...flags, '-q', '--out', join(dir, `out-${transport}`), '-f', urlFile], { cwd: dir, env: { MEMSIEGE_TRANSPORT: transport } })
    t.equal(ours.status, 0, ours.stderr)
    t.same(server.requests.splice(0).map(comparable), bySiege, `memsiege through ${transport}`)
  }
})
