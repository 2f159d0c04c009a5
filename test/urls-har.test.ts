// `memsiege urls from-har`: HAR 1.2 files with GET, form POST, JSON POST and X-Method entries,
// written as URL lists that replay the recorded requests, with and without the X-Method rewrite.
import t from 'tap'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { urlsFromHarCommand, type UrlsFromHarArgs } from '../src/commands/urls.js'
import { readUrlFile } from '../src/scenario/urlfile/parse.js'
import { startRawServer, type RecordedRequest } from './fixtures/raw-server.js'
import { runCli } from './helpers/cli.js'
import { countsRows, memoryIo, runUrlsCli } from './helpers/urls.js'

const FORM = 'application/x-www-form-urlencoded'
const APP = 'https://flex.example.com'

interface EntryOptions {
  headers?: Array<[string, string]>
  mimeType?: string
  text?: string
  params?: Array<[string, string]>
  encoding?: string
  status?: number
  at?: number
}

let clock = Date.UTC(2024, 4, 1, 9, 0, 0)

/** An entry as Chrome's devtools export it, with the fields memsiege does not read. */
function entry (method: string, url: string, options: EntryOptions = {}) {
  const headers = [[':authority', new URL(url).host], [':method', method], ['accept', '*/*'], ...(options.headers ?? [])]
  const hasBody = options.text !== undefined || options.params !== undefined
  if (hasBody && options.mimeType) headers.push(['content-type', options.mimeType])
  clock += 1000
  return {
    _initiator: { type: 'script' },
    _priority: 'High',
    _resourceType: 'xhr',
    cache: {},
    connection: '443',
    pageref: 'page_1',
    request: {
      method,
      url,
      httpVersion: 'http/2.0',
      headers: headers.map(([name, value]) => ({ name, value })),
      queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
      cookies: [],
      headersSize: -1,
      bodySize: options.text?.length ?? 0,
      ...(hasBody
        ? {
            postData: {
              mimeType: options.mimeType ?? '',
              ...(options.text === undefined ? {} : { text: options.text }),
              ...(options.params === undefined ? {} : { params: options.params.map(([name, value]) => ({ name, value })) }),
              ...(options.encoding === undefined ? {} : { encoding: options.encoding })
            }
          }
        : {})
    },
    response: { status: options.status ?? 200, statusText: 'OK', httpVersion: 'http/2.0', headers: [], cookies: [], content: { size: 2, mimeType: 'application/json', text: '{}' }, redirectURL: '', headersSize: -1, bodySize: -1, _transferSize: 100 },
    serverIPAddress: '203.0.113.5',
    startedDateTime: new Date(options.at ?? clock).toISOString(),
    time: 12.5,
    timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0.1, wait: 10, receive: 1.4 }
  }
}

function har (entries: unknown[]): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } }, null, 2)
}

// A Silverlight session: everything is a POST; the real verb of some is in X-Method.
const SESSION = [
  entry('POST', `${APP}/api/Session`, { mimeType: FORM, text: 'userName=demo&password=p%24ss%26word' }),
  entry('POST', `${APP}/api/Customers`, { headers: [['X-Method', 'GET']], mimeType: FORM, text: 'page=1&pageSize=50&sort=Name' }),
  entry('POST', `${APP}/api/Customers/42`, { headers: [['X-Method', 'GET']] }),
  entry('POST', `${APP}/api/Customers/42`, { headers: [['X-Method', 'PUT']], mimeType: FORM, params: [['name', 'Contoso Ltd'], ['city', 'Seattle']] }),
  entry('POST', `${APP}/api/Orders`, { mimeType: 'application/json; charset=utf-8', text: '{"customerId":42,"note":"costs $5"}' }),
  entry('POST', `${APP}/api/Orders/1001`, { headers: [['X-Method', 'DELETE']], mimeType: FORM, text: 'force=1' }),
  entry('POST', `${APP}/api/Orders/1002`, { headers: [['x-method', 'patch']], mimeType: 'application/json', text: '{"status":"Shipped"}' }),
  entry('POST', `${APP}/api/Session`, { headers: [['X-Method', 'DELETE']] })
]

async function fromHar (args: Partial<UrlsFromHarArgs> & { file: string }, stdin?: string | Buffer) {
  const memory = memoryIo(stdin)
  const status = await urlsFromHarCommand(args, memory.io)
  return { status, stdout: memory.stdout(), stderr: memory.stderr() }
}

const listLines = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))

t.test('GET, form POST, JSON POST and X-Method entries become lines the URL-file reader reads back', async (t) => {
  const mixed = [
    entry('GET', `${APP}/api/Lookups/Countries?lang=en#top`),
    ...SESSION,
    entry('POST', `${APP}/api/Notes`, { mimeType: 'text/plain', text: 'a $(HOME) note' })
  ]
  const dir = t.testdir({ 'session.har': har(mixed) })
  const r = await fromHar({ file: join(dir, 'session.har') })
  t.equal(r.status, 0, r.stderr)
  t.same(listLines(r.stdout), [
    '/api/Lookups/Countries?lang=en',
    `/api/Session POST -T ${FORM}; userName=demo&password=p%24ss%26word`,
    '/api/Customers?page=1&pageSize=50&sort=Name',
    '/api/Customers/42',
    '/api/Customers/42?name=Contoso+Ltd&city=Seattle PUT',
    '/api/Orders POST -T application/json; {"customerId":42,"note":"costs \\$5"}',
    '/api/Orders/1001?force=1 DELETE',
    '/api/Orders/1002 PATCH -T application/json; {"status":"Shipped"}',
    '/api/Session DELETE',
    '/api/Notes POST -T text/plain; a \\$(HOME) note'
  ])
  t.match(r.stdout, /^# 6 X-Method POSTs are written as the real method, a form body as the query string; methodOverride in the scenario sends them as recorded\.$/m)
  t.match(r.stderr, /session\.har: HAR, 10 entries, 10 requests kept, 6 X-Method POSTs unwrapped/)

  writeFileSync(join(dir, 'urls.txt'), r.stdout)
  const entries = readUrlFile(join(dir, 'urls.txt'), { base: 'http://127.0.0.1:8000', contentType: 'application/json' }).entries
  t.same(entries.map((e) => [e.method, e.url, e.body?.toString(), e.contentType]), [
    ['GET', 'http://127.0.0.1:8000/api/Lookups/Countries?lang=en', undefined, undefined],
    ['POST', 'http://127.0.0.1:8000/api/Session', 'userName=demo&password=p%24ss%26word', FORM],
    ['GET', 'http://127.0.0.1:8000/api/Customers?page=1&pageSize=50&sort=Name', undefined, undefined],
    ['GET', 'http://127.0.0.1:8000/api/Customers/42', undefined, undefined],
    ['PUT', 'http://127.0.0.1:8000/api/Customers/42?name=Contoso+Ltd&city=Seattle', '', 'application/json'],
    ['POST', 'http://127.0.0.1:8000/api/Orders', '{"customerId":42,"note":"costs $5"}', 'application/json'],
    ['DELETE', 'http://127.0.0.1:8000/api/Orders/1001?force=1', '', 'application/json'],
    ['PATCH', 'http://127.0.0.1:8000/api/Orders/1002', '{"status":"Shipped"}', 'application/json'],
    ['DELETE', 'http://127.0.0.1:8000/api/Session', '', 'application/json'],
    ['POST', 'http://127.0.0.1:8000/api/Notes', 'a $(HOME) note', 'text/plain']
  ], 'per-line types win over the scenario\'s contentType; $ is literal')

  const raw = await fromHar({ file: join(dir, 'session.har'), unwrap: false, keepHeader: ['X-Method'] })
  t.same(listLines(raw.stdout).slice(2, 4), ['/api/Customers POST -T application/x-www-form-urlencoded; page=1&pageSize=50&sort=Name', '/api/Customers/42 POST'], '--no-unwrap: as recorded')
  t.match(raw.stdout, /^# -H 'X-Method: GET' {3}\(3 other values; this one in 2 requests; missing from 4 requests\)$/m)
})

t.test('the list replays the session either way: as recorded with methodOverride, as REST without', async (t) => {
  const server = await startRawServer()
  t.teardown(() => server.close())
  const dir = t.testdir({ 'session.har': har(SESSION) })
  const origin = `http://127.0.0.1:${server.port}`
  const r = await fromHar({ file: join(dir, 'session.har'), out: join(dir, 'urls.txt') })
  t.equal(r.status, 0, r.stderr)
  const recorded = SESSION.map((e) => ({
    method: e.request.method,
    target: new URL(e.request.url).pathname,
    xMethod: e.request.headers.find((h) => h.name.toLowerCase() === 'x-method')?.value.toUpperCase(),
    body: e.request.postData?.text ?? (e.request.postData?.params ? new URLSearchParams(e.request.postData.params.map((p): [string, string] => [p.name, p.value])).toString() : ''),
    type: e.request.postData?.mimeType.replace(/;.*/, '')
  }))
  const seen = (q: RecordedRequest) => {
    const header = (name: string) => q.headers.find(([n]) => n.toLowerCase() === name)?.[1]
    return { method: q.method, target: q.target, xMethod: header('x-method'), body: q.body.toString(), type: header('content-type') }
  }
  for (const override of [true, false]) {
    server.requests.length = 0
    writeFileSync(join(dir, 'app.yml'), `target:\n  url: ${origin}\nurls: urls.txt\nconcurrency: 1\npasses: 1\nmethodOverride: ${override}\ncookies: false\n`)
    const run = await runCli(['run', 'app.yml', '-q', '--out', join(dir, `out-${override}`)], { cwd: dir })
    t.equal(run.status, 0, run.stderr)
    const requests = server.requests.map(seen)
    if (override) {
      // Bodiless X-Method POSTs get an empty form body from the rewrite (the browser sent none).
      t.same(requests, recorded.map((q) => ({ ...q, type: q.type ?? (q.xMethod ? FORM : undefined) })), 'with methodOverride: the POSTs as recorded')
    } else {
      t.same(requests.map((q) => `${q.method} ${q.target} ${q.body}`), [
        'POST /api/Session userName=demo&password=p%24ss%26word',
        'GET /api/Customers?page=1&pageSize=50&sort=Name ',
        'GET /api/Customers/42 ',
        'PUT /api/Customers/42?name=Contoso+Ltd&city=Seattle ',
        'POST /api/Orders {"customerId":42,"note":"costs $5"}',
        'DELETE /api/Orders/1001?force=1 ',
        'PATCH /api/Orders/1002 {"status":"Shipped"}',
        'DELETE /api/Session '
      ], 'without: the real methods, with the parameters in the query string')
    }
  }
})

t.test('bodies that do not fit on a line go to files beside --out', async (t) => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])
  const dir = t.testdir({
    'bodies.har': har([
      entry('PUT', `${APP}/api/Items/7`, { mimeType: 'application/json', text: '{\n  "name": "widget",\n  "qty": 2\n}\n' }),
      entry('POST', `${APP}/api/Items/7/picture`, { mimeType: 'image/png', text: png.toString('base64'), encoding: 'base64' }),
      entry('PUT', `${APP}/api/Items/8`, { mimeType: 'text/plain', text: 'a POST in a PUT' }),
      entry('POST', `${APP}/upload`, { mimeType: 'multipart/form-data; boundary=----WebKitFormBoundary7MA4', text: '------WebKitFormBoundary7MA4\r\n…' }),
      entry('GET', `${APP}/api/search`, { mimeType: 'application/json', text: '{"q":"x"}' })
    ])
  })
  const out = join(dir, 'list.txt')
  const r = await fromHar({ file: join(dir, 'bodies.har'), out })
  t.equal(r.status, 0, r.stderr)
  t.same(listLines(readFileSync(out, 'utf8')), [
    '/api/Items/7 PUT -T application/json; <list.bodies/1.json',
    '/api/Items/7/picture POST -T image/png; <list.bodies/2.bin',
    '/api/Items/8 PUT -T text/plain; <list.bodies/3.bin',
    '/api/search'
  ])
  t.match(r.stderr, 'warning: 1 GET or HEAD request had a body, which a URL-file line can\'t carry: written without it')
  t.same(readdirSync(join(dir, 'list.bodies')).sort(), ['1.json', '2.bin', '3.bin'])
  t.match(r.stderr, /warning: 1 request left out: content type "multipart\/form-data; boundary=----WebKitFormBoundary7MA4": its parameters \(boundary=----WebKitFormBoundary7MA4\) can't be written on a line/)
  t.match(r.stderr, `wrote 4 lines and 3 body files to ${out}`)
  const entries = readUrlFile(out, { base: 'http://127.0.0.1:8000' }).entries
  t.same(entries.map((e) => e.body), [
    Buffer.from('{\n  "name": "widget",\n  "qty": 2\n}\n'), png, Buffer.from('a POST in a PUT'), undefined
  ], 'byte for byte, read back through <file')
  const stdout = await fromHar({ file: join(dir, 'bodies.har') })
  t.same(listLines(stdout.stdout), ['/api/search'], 'without --out there is nowhere to put them')
  t.match(stdout.stderr, /3 requests left out: .*: it needs a body file, and bodies are written to files only with --out|1 request left out: the body has line breaks: it needs a body file/)
})

t.test('filters, origins, --distinct, --counts, gzip and stdin', async (t) => {
  const start = Date.UTC(2024, 4, 1, 12, 0, 0)
  const entries = [
    entry('GET', `${APP}/api/Ping`, { at: start }),
    entry('POST', `${APP}/api/Orders/1`, { headers: [['X-HTTP-Method-Override', 'DELETE']], at: start + 1000 }),
    entry('GET', `${APP}/api/Ping`, { at: start + 2000 }),
    entry('GET', 'https://fonts.gstatic.com/s/roboto.woff2', { at: start + 3000 }),
    entry('GET', `${APP}/api/Blocked`, { status: 0, at: start + 4000 }),
    entry('GET', 'data:image/gif;base64,R0lGODlhAQABAAAAACw=', { at: start + 5000 }),
    entry('GET', `${APP}/api/Ping`, { at: start + 6000 })
  ]
  const text = har(entries)
  const dir = t.testdir({ 'a.har': text, 'a.har.gz': gzipSync(text) })
  const file = join(dir, 'a.har')
  const all = await fromHar({ file })
  t.same(listLines(all.stdout), ['/api/Ping', '/api/Orders/1 DELETE', '/api/Ping', '/s/roboto.woff2', '/api/Blocked', '/api/Ping'], 'recorded order by default')
  t.match(all.stderr, /warning: .*a\.har: 1 entry left out \(entry 6: not an http\(s\) URL: data:image\/gif/)
  t.match(all.stderr, /warning: .*a\.har: requests to 2 origins \(https:\/\/flex\.example\.com 5, https:\/\/fonts\.gstatic\.com 1\) all become paths of one target; keep one with --include/)
  const only = async (args: Partial<UrlsFromHarArgs>) => listLines((await fromHar({ file, ...args })).stdout)
  t.same(await only({ include: ['^https://flex\\.example\\.com/'], status: '2xx', exclude: 'Ping' }), ['/api/Orders/1 DELETE'])
  t.same(await only({ methods: 'DELETE' }), ['/api/Orders/1 DELETE'], '--methods sees the unwrapped method')
  t.same(await only({ since: new Date(start + 2000).toISOString(), until: new Date(start + 4000).toISOString() }), ['/api/Ping', '/s/roboto.woff2'])
  t.same(await only({ distinct: true, include: 'flex' }), ['/api/Ping', '/api/Orders/1 DELETE', '/api/Blocked'], '--distinct: most frequent first')
  t.same(await only({ top: 1, base: 'http://127.0.0.1:8000' }), ['http://127.0.0.1:8000/api/Ping'])
  const counts = await fromHar({ file, counts: true })
  t.same(countsRows(counts.stdout), [[3, 'GET', '/api/Ping'], [1, 'DELETE', '/api/Orders/1'], [1, 'GET', '/s/roboto.woff2'], [1, 'GET', '/api/Blocked']])
  t.same(listLines((await fromHar({ file: join(dir, 'a.har.gz') })).stdout), listLines(all.stdout), 'gzipped HAR')
  t.same(listLines((await fromHar({ file: '-' }, text)).stdout), listLines(all.stdout), 'HAR on stdin')
})

t.test('a truncated or wrong HAR gives one clear error, exit 2', async (t) => {
  const text = har(SESSION)
  const cut = text.slice(0, Math.floor(text.length * 0.6))
  const dir = t.testdir({
    'cut.har': cut,
    'comma.har': text.replace('"entries": [', '"entries": [,'),
    'nothar.har': '{"hello": "world"}',
    'array.har': '[]',
    'entries.har': '{"log": {"entries": {}}}',
    'empty.har': ''
  })
  const cutLine = cut.split('\n').length
  const cases: Array<[string, RegExp]> = [
    ['cut.har', new RegExp(`^memsiege: .*cut\\.har:${cutLine}:\\d+: not valid JSON: the file ends before the HAR document does \\(truncated\\?\\)\\n$`)],
    ['comma.har', new RegExp(`^memsiege: .*comma\\.har:${text.split('\n').findIndex((l) => l.includes('"entries"')) + 1}:17: not valid JSON: Unexpected token ','\\n$`)],
    ['nothar.har', /^memsiege: .*nothar\.har: not a HAR file: no "log" object at the top\n$/],
    ['array.har', /not a HAR file: no "log" object/],
    ['entries.har', /entries\.har: not a HAR file: "log\.entries" is not a list\n$/],
    ['empty.har', /empty\.har: empty file, not a HAR file\n$/],
    ['absent.har', /absent\.har: cannot read: no such file\n$/]
  ]
  for (const [name, message] of cases) {
    const r = await fromHar({ file: join(dir, name) })
    t.equal(r.status, 2, name)
    t.equal(r.stdout, '')
    t.match(r.stderr, message, name)
  }
  const cli = await runUrlsCli(['from-har', 'cut.har'], { cwd: dir })
  t.equal(cli.status, 2)
  t.equal(cli.stderr, `memsiege: cut.har:${cutLine}:${cli.stderr.match(/:(\d+): not/)?.[1]}: not valid JSON: the file ends before the HAR document does (truncated?)\n`)
  const two = await runUrlsCli(['from-har', 'cut.har', 'comma.har'], { cwd: dir })
  t.equal(two.status, 2)
  t.match(two.stderr, /^memsiege: from-har reads one HAR file, not 2\n$/)
  const ok = await runUrlsCli(['from-har', '-', '--keep-header', 'X-Method', '--no-unwrap'], { cwd: dir, stdin: text })
  t.equal(ok.status, 0, ok.stderr)
  t.match(ok.stdout, /^# -H 'X-Method: GET'/m)
})
