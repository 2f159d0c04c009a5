// The parts of `memsiege urls`: log formats, dates, filters, URL-file lines, counting, HAR reading.
import t from 'tap'
import { parseUrlList } from '../src/scenario/urlfile/parse.js'
import { parseClfTime, parseDateOption, parseLogTime } from '../src/urls/dates.js'
import { compileFilter } from '../src/urls/filters.js'
import { jsonErrorOffset, parseHar, unwrapMethodOverride, type HarRequest } from '../src/urls/har.js'
import { originForm } from '../src/urls/import-log.js'
import { pathAndQuery } from '../src/urls/import-har.js'
import {
  clfParser, detectFormat, emptyRecord, jsonParser, patternParser, syslogParser, unescapeLogged, type LineParser
} from '../src/urls/log-formats.js'
import { lineContentType, siegeLine, type SiegeRequest } from '../src/urls/siege-line.js'
import { bodyFolderFor, renderItems } from '../src/urls/url-list.js'
import { countsTable, interleave, UrlTable, weightedRepeats } from '../src/urls/url-table.js'
import { ConfigError } from '../src/errors.js'

const BASE = 'http://127.0.0.1:8080'

function read (parser: LineParser, line: string) {
  const record = emptyRecord()
  return parser.parse(line, record) ? { ...record } : undefined
}

t.test('combined and common lines', async (t) => {
  const p = clfParser('combined', { wantTime: true })
  t.same(read(p, '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?a=1 HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08"'),
    { method: 'GET', target: '/apache_pb.gif?a=1', status: 200, time: Date.UTC(2000, 9, 10, 20, 55, 36) })
  t.same(read(p, '10.1.2.3 - - [01/May/2024:08:00:00 +0000] "DELETE /api/Items/7 HTTP/1.1" 404 0')?.method, 'DELETE', 'common (no referer/agent)')
  t.same(read(p, '::1 - - [01/May/2024:08:00:00 +0000] "POST /x HTTP/2.0" 201 5 "-" "curl" 0.012 "10.0.0.1" upstream=1')?.status, 201, 'extra nginx fields after the agent')
  t.equal(read(p, '::1 - - [01/May/2024:08:00:00 +0000] "GET /q\\x22a\\x5Cb\\xC3\\xA9 HTTP/1.1" 200 5 "-" "x"')?.target, '/q%22a%5Cb%C3%A9', "nginx's \\xHH escapes")
  t.equal(read(p, '::1 - - [01/May/2024:08:00:00 +0000] "GET /a\\"b\\\\c HTTP/1.1" 200 5 "-" "x"')?.target, '/a%22b%5Cc', "Apache's \\\" and \\\\")
  t.equal(read(p, '::1 - - [01/May/2024:08:00:00 +0000] "GET /old" 200 5')?.target, '/old', 'HTTP/0.9: no version')
  t.equal(read(p, '::1 - - [01/May/2024:08:00:00 +0000] "-" 400 0 "-" "-"'), undefined, 'no request')
  t.equal(read(p, '::1 - - [01/May/2024:08:00:00 +0000] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03" 400 157 "-" "-"'), undefined, 'TLS bytes on the HTTP port')
  t.equal(read(p, 'just some text'), undefined)
  t.ok(Number.isNaN(read(clfParser('common', { wantTime: false }), '::1 - - [01/May/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 1')!.time), 'times only when wanted')
  t.equal(unescapeLogged('/a\\x20b\\q'), '/a%20bq')
})

t.test('syslog-wrapped lines', async (t) => {
  const p = syslogParser({ wantTime: true })
  const inner = '127.0.0.1 - - [26/Nov/2026:03:49:13 +0000] "GET /a?x=1 HTTP/1.1" 200 3 "-" "curl/7.88.1"'
  for (const prefix of ['<190>Nov 26 03:49:13 vm nginx: ', 'Nov  6 03:49:13 web-1 nginx[812]: ', '2026-11-26T03:49:13.123456+00:00 web-1 nginx: ', '<190>1 2026-11-26T03:49:13Z web-1 nginx: ']) {
    t.same(read(p, prefix + inner), { method: 'GET', target: '/a?x=1', status: 200, time: Date.UTC(2026, 10, 26, 3, 49, 13) }, prefix)
  }
  t.same(read(p, 'Nov 26 03:49:13 vm app: {"method":"PUT","path":"/c","status":204,"time":"2026-11-26T03:49:13Z"}'),
    { method: 'PUT', target: '/c', status: 204, time: Date.UTC(2026, 10, 26, 3, 49, 13) }, 'JSON inside syslog')
  t.equal(read(p, inner), undefined, 'a bare line is not syslog')
  t.equal(read(p, 'Nov 26 03:49:13 vm kernel: [12345.6] eth0: link up'), undefined)
})

t.test('JSON lines: default field names, nesting, --field', async (t) => {
  const p = jsonParser({ wantTime: true })
  t.same(read(p, '{"time_iso8601":"2024-05-01T08:00:00+02:00","request_method":"GET","request_uri":"/a?b=1","status":"200"}'),
    { method: 'GET', target: '/a?b=1', status: 200, time: Date.UTC(2024, 4, 1, 6) }, 'nginx escape=json')
  t.same(read(p, '{"ts":1714550400.5,"request":{"method":"POST","uri":"/api/x?y=2"},"status":201}'),
    { method: 'POST', target: '/api/x?y=2', status: 201, time: 1714550400500 }, 'Caddy')
  t.same(read(p, '{"time":1714550400000,"req":{"method":"DELETE","url":"/i/1"},"res":{"statusCode":204}}'),
    { method: 'DELETE', target: '/i/1', status: 204, time: 1714550400000 }, 'pino-http')
  t.same(read(p, '{"http.method":"GET","url.original":"/flat","http.status_code":200}')?.target, '/flat', 'flat dotted keys')
  t.same(read(p, '{"request":"GET /r HTTP/1.1","status":200}')?.target, '/r', 'a request line field')
  t.same(read(p, '{"method":"GET","uri":"/u","args":"a=1&b=2","status":200}')?.target, '/u?a=1&b=2', "nginx's $uri with $args")
  t.equal(read(p, '{"method":"GET"}'), undefined, 'no URL')
  t.equal(read(p, '{"method":"GET",'), undefined, 'broken JSON')
  t.equal(read(p, '[1,2]'), undefined)
  const custom = jsonParser({ wantTime: false, fields: { method: 'verb2', url: 'where.to', status: 'code' } })
  t.same(read(custom, '{"verb2":"PATCH","where":{"to":"/w"},"code":"202","method":"GET","uri":"/no"}'), { method: 'PATCH', target: '/w', status: 202, time: NaN })
})

t.test('--pattern with named groups', async (t) => {
  const p = patternParser('^(?<time>\\S+) (?<method>[A-Z]+) (?<path>\\S+?)(?:\\?(?<query>\\S+))? -> (?<status>\\d+)$', { wantTime: true })
  t.same(read(p, '2024-05-01T08:00:00Z GET /a?b=1 -> 200'), { method: 'GET', target: '/a?b=1', status: 200, time: Date.UTC(2024, 4, 1, 8) })
  t.equal(read(p, 'nope'), undefined)
  t.same(read(patternParser('"(?<request>[^"]*)"', { wantTime: false }), 'x "GET /r HTTP/1.1" y')?.target, '/r')
  t.throws(() => patternParser('(?<method>\\w+) (?<status>\\d+)', { wantTime: false }), /needs named groups/)
  t.throws(() => patternParser('(?<url>[', { wantTime: false }), ConfigError)
  t.notOk(patternParser('(?<request>.*)', { wantTime: false }).hasStatus)
})

t.test('--format auto', async (t) => {
  const combined = '1.2.3.4 - - [01/May/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x"'
  const common = '1.2.3.4 - - [01/May/2024:08:00:00 +0000] "GET / HTTP/1.1" 200 1'
  const options = { wantTime: false }
  t.equal(detectFormat([combined, 'junk', combined], options)?.name, 'combined')
  t.equal(detectFormat([common, common], options)?.name, 'common')
  t.equal(detectFormat([`Nov 26 03:49:13 vm nginx: ${combined}`, 'junk'], options)?.name, 'syslog')
  t.equal(detectFormat(['{"method":"GET","uri":"/"}', '{"method":"GET","uri":"/b"}'], options)?.name, 'json')
  t.equal(detectFormat(['hello', 'world'], options), undefined)
})

t.test('dates', async (t) => {
  t.equal(parseClfTime('10/Oct/2000:13:55:36 -0700'), Date.UTC(2000, 9, 10, 20, 55, 36))
  t.equal(parseClfTime('[10/Oct/2000:13:55:36 +0130]'), Date.UTC(2000, 9, 10, 12, 25, 36))
  t.equal(parseClfTime('10/Oct/2000:13:55:36.250 +0000'), Date.UTC(2000, 9, 10, 13, 55, 36, 250))
  t.ok(Number.isNaN(parseClfTime('10/Foo/2000:13:55:36 +0000')))
  t.equal(parseDateOption('--since', '2000-10-10T13:55:36-07:00'), Date.UTC(2000, 9, 10, 20, 55, 36))
  t.equal(parseDateOption('--since', '2000-10-10T20:55:36Z'), Date.UTC(2000, 9, 10, 20, 55, 36))
  t.equal(parseDateOption('--since', '2000-10-10 20:55:36+0000'), Date.UTC(2000, 9, 10, 20, 55, 36))
  t.equal(parseDateOption('--since', '2000-10-10'), Date.UTC(2000, 9, 10))
  t.equal(parseDateOption('--since', '[10/Oct/2000:13:55:36 -0700]'), Date.UTC(2000, 9, 10, 20, 55, 36))
  t.throws(() => parseDateOption('--until', 'yesterday'), /--until "yesterday": not a date/)
  t.equal(parseLogTime(971211336), 971211336000, 'epoch seconds')
  t.equal(parseLogTime('971211336.5'), 971211336500)
  t.equal(parseLogTime(971211336000000), 971211336000, 'epoch microseconds')
  t.equal(parseLogTime('10/Oct/2000:13:55:36 -0700'), Date.UTC(2000, 9, 10, 20, 55, 36))
})

t.test('filters', async (t) => {
  const f = compileFilter({ methods: ['get,delete'], status: ['2xx', '404', '300-302'], include: ['^/api/'], exclude: ['Ping'], since: '2024-05-01T00:00:00Z', until: '2024-05-02' })
  const day = Date.UTC(2024, 4, 1, 12)
  t.equal(f.reject('GET', '/api/Items', 200, day), undefined)
  t.equal(f.reject('POST', '/api/Items', 200, day), 'method')
  t.equal(f.reject('DELETE', '/api/Items', 301, day), undefined)
  t.equal(f.reject('GET', '/api/Items', 303, day), 'status')
  t.equal(f.reject('GET', '/api/Items', NaN, day), 'status', 'no status: dropped when --status is given')
  t.equal(f.reject('GET', '/api/Ping', 200, day), 'url')
  t.equal(f.reject('GET', '/static/x', 200, day), 'url')
  t.equal(f.reject('GET', '/api/Items', 200, Date.UTC(2024, 4, 2)), 'time', '--until is exclusive')
  t.equal(f.reject('GET', '/api/Items', 200, NaN), 'time')
  t.notOk(compileFilter({}).active)
  t.throws(() => compileFilter({ status: '2x' }), /--status: "2x"/)
  t.throws(() => compileFilter({ methods: 'G E T' }), /--methods/)
  t.throws(() => compileFilter({ include: '(' }), /--include \(/)
  t.throws(() => compileFilter({ since: '2024-05-02', until: '2024-05-01' }), /not after/)
})

t.test('URL-file lines read back as written', async (t) => {
  const read = (line: string) => {
    const entries = parseUrlList({ source: 'x', text: line, base: BASE, env: { HOST: 'evil' } })
    t.equal(entries.length, 1, line)
    const e = entries[0]
    return { method: e.method, url: e.url, body: e.body?.toString(), contentType: e.contentType }
  }
  const cases: Array<[SiegeRequest, { url: string; body?: string; contentType?: string }]> = [
    [{ method: 'GET', url: '/a?b=1&c=%22x%22' }, { url: `${BASE}/a?b=1&c=%22x%22` }],
    [{ method: 'GET', url: '/price$5/$(HOST)?v=${HOST}' }, { url: `${BASE}/price$5/$(HOST)?v=$%7BHOST%7D` }],
    [{ method: 'GET', url: '/a b\tc#d\\e' }, { url: `${BASE}/a%20b%09c%23d%5Ce` }],
    [{ method: 'GET', url: '//double/slash' }, { url: `${BASE}//double/slash` }],
    [{ method: 'GET', url: '/caf\u00e9' }, { url: `${BASE}/caf%C3%A9` }],
    [{ method: 'HEAD', url: '/h' }, { url: `${BASE}/h` }],
    [{ method: 'DELETE', url: '/d?x=1' }, { url: `${BASE}/d?x=1`, body: '', contentType: 'application/x-www-form-urlencoded' }],
    [{ method: 'POST', url: `${BASE}/p` }, { url: `${BASE}/p`, body: '', contentType: 'application/x-www-form-urlencoded' }],
    [{ method: 'POST', url: '/p', body: 'a=$1&b=\\$2&c=$(HOST)' }, { url: `${BASE}/p`, body: 'a=$1&b=\\$2&c=$(HOST)', contentType: 'application/x-www-form-urlencoded' }],
    [{ method: 'POST', url: '/j', body: '{"a":"b; c","d":" PUT "}', contentType: 'application/json' }, { url: `${BASE}/j`, body: '{"a":"b; c","d":" PUT "}', contentType: 'application/json' }],
    [{ method: 'POST', url: '/s', body: '-T x; y', contentType: 'text/plain' }, { url: `${BASE}/s`, body: '-T x; y', contentType: 'text/plain' }],
    [{ method: 'PATCH', url: '/t', body: 'ends with GET', contentType: 'text/plain' }, { url: `${BASE}/t`, body: 'ends with GET', contentType: 'text/plain' }]
  ]
  for (const [request, expected] of cases) {
    const outcome = siegeLine(request)
    if (!t.ok(outcome.ok, JSON.stringify(request)) || !outcome.ok) continue
    t.same(read(outcome.line), { method: request.method, body: undefined, contentType: undefined, ...expected }, outcome.line)
  }
  // Bodies that can't stand on a line: the reader would take them differently.
  for (const [request, reason] of [
    [{ method: 'PUT', url: '/x', body: 'a POST b' }, /read back/],
    [{ method: 'POST', url: '/x', body: ' leading space' }, /read back/],
    [{ method: 'POST', url: '/x', body: 'trailing space ' }, /read back/],
    [{ method: 'POST', url: '/x', body: '<file' }, /read back/],
    [{ method: 'POST', url: '/x', body: '-T text/plain; b' }, /read back/],
    [{ method: 'POST', url: '/x', body: 'two\nlines' }, /line breaks/],
    [{ method: 'POST', url: '/x', body: 'x'.repeat(50_000) }, /long/],
    [{ method: 'GET', url: '/x', body: 'a=1' }, /GET with a body/],
    [{ method: 'PROPFIND', url: '/x' }, /method PROPFIND/]
  ] as Array<[SiegeRequest, RegExp]>) {
    const outcome = siegeLine(request)
    t.notOk(outcome.ok, JSON.stringify(request).slice(0, 60))
    if (!outcome.ok) t.match(outcome.reason, reason)
  }
  t.same(lineContentType('application/json; charset=utf-8'), { type: 'application/json' })
  t.match(lineContentType('multipart/form-data; boundary=x'), { reason: /boundary=x/ })
})

t.test('bodies that need a file go beside --out, once per distinct body', async (t) => {
  const dir = t.testdir()
  const folder = bodyFolderFor(`${dir}/my urls.txt`)!
  t.equal(folder.ref, 'my_urls.bodies')
  const json = Buffer.from('{\n  "a": 1\n}\n')
  const binary = Buffer.from([0x89, 0x50, 0x00, 0xff])
  const rendered = renderItems([
    { method: 'PUT', url: '/a', body: json, contentType: 'application/json' },
    { method: 'PUT', url: '/b', body: json, contentType: 'application/json' },
    { method: 'POST', url: '/c', body: binary, contentType: 'application/octet-stream' },
    { method: 'POST', url: '/d', body: Buffer.from('x'), contentType: 'multipart/form-data; boundary=z' }
  ], folder)
  t.same(rendered.lines, [
    '/a PUT -T application/json; <my_urls.bodies/1.json',
    '/b PUT -T application/json; <my_urls.bodies/1.json',
    '/c POST -T application/octet-stream; <my_urls.bodies/2.bin',
    undefined
  ])
  t.same(rendered.bodyFiles.map((f) => f.data), [json, binary])
  t.same([...rendered.skipped.keys()].length, 1)
  const noFolder = renderItems([{ method: 'PUT', url: '/a', body: json, contentType: 'application/json' }], undefined)
  t.same(noFolder.lines, [undefined])
  t.match([...noFolder.skipped.keys()][0], /only with --out/)
})

t.test('counting, top, weights, the count table', async (t) => {
  const table = new UrlTable<undefined>()
  for (const key of ['GET /a', 'GET /b', 'GET /a', 'GET /c', 'GET /b', 'GET /a', 'POST /d']) table.add(key, undefined)
  t.same(table.ranked().map((r) => [r.key, r.count]), [['GET /a', 3], ['GET /b', 2], ['GET /c', 1], ['POST /d', 1]], 'ties keep first-seen order')
  t.same(table.ranked(2).map((r) => r.key), ['GET /a', 'GET /b'])
  t.equal(table.total, 7)
  t.equal(table.distinct, 4)
  t.same(weightedRepeats([30, 20, 10], 100), [3, 2, 1], 'divided by the gcd')
  t.same(weightedRepeats([5, 3, 1], 100), [5, 3, 1], 'exact when it fits')
  t.same(weightedRepeats([1000, 500, 1], 100), [100, 50, 1], 'scaled to --max-repeat, at least once')
  const spread = interleave(['a', 'b', 'c'], [4, 2, 1])
  t.same(spread, ['a', 'b', 'a', 'c', 'a', 'b', 'a'], 'spread out, not in runs')
  t.equal(countsTable([{ count: 3, method: 'GET', url: '/a' }, { count: 1, method: 'DELETE', url: '/b' }], 4, 2),
    'count    share  method  url\n' +
    '    3   75.00%  GET     /a\n' +
    '    1   25.00%  DELETE  /b\n' +
    '    4  100.00%          total: 2 distinct\n')
  t.match(countsTable([{ count: 3, method: 'GET', url: '/a' }], 4, 2), /total: 2 distinct, 1 shown \(75\.00%\)/)
})

t.test('absolute-form targets become paths', async (t) => {
  t.equal(originForm('http://example.com/a?b'), '/a?b')
  t.equal(originForm('https://example.com'), '/')
  t.equal(originForm('http://example.com?q'), '/?q')
  t.equal(originForm('*'), undefined)
  t.equal(originForm('example.com:443'), undefined)
  t.equal(pathAndQuery('https://app.example.com/api/x?y=1#frag'), '/api/x?y=1')
})

t.test('JSON error positions', async (t) => {
  t.equal(jsonErrorOffset('{"a": [1, 2, {"b": null}], "c": "\\u00e9"}'), -1)
  t.equal(jsonErrorOffset('{"a": [1, 2'), 11, 'truncated: the end')
  t.equal(jsonErrorOffset('{"a": tru}'), 9)
  t.equal(jsonErrorOffset('{"a": 1 "b": 2}'), 8)
  t.equal(jsonErrorOffset('{"a": "x\ny"}'), 8, 'a raw newline in a string')
  t.throws(() => parseHar('{\n  "log": {\n    "entries": [\n      {"request": {"method": "GET", "url": "http://x/"}},\n      {"req', 'f.har'),
    { message: /^f\.har:5:\d+: not valid JSON: the file ends before the HAR document does \(truncated\?\)$/ })
  t.throws(() => parseHar('{"log": {"entries": [1,]}}', 'f.har'), { message: /^f\.har:1:24: not valid JSON: / })
  t.throws(() => parseHar('{"foo": 1}', 'f.har'), { message: 'f.har: not a HAR file: no "log" object at the top' })
  t.throws(() => parseHar('', 'f.har'), { message: 'f.har: empty file, not a HAR file' })
})

t.test('X-Method unwrapping', async (t) => {
  const post = (headers: Array<[string, string]>, body?: string, contentType?: string, url = 'http://x/api/Items'): HarRequest => ({
    index: 0,
    method: 'POST',
    url,
    headers,
    status: 200,
    time: NaN,
    ...(body === undefined ? {} : { body: Buffer.from(body) }),
    ...(contentType === undefined ? {} : { contentType })
  })
  const names = ['X-Method', 'X-HTTP-Method-Override']
  const get = unwrapMethodOverride(post([['x-method', 'get'], ['Accept', '*/*']], 'id=7&q=a+b', 'application/x-www-form-urlencoded'), names)!
  t.match(get, { method: 'GET', url: 'http://x/api/Items?id=7&q=a+b', unwrappedFrom: 'x-method' })
  t.equal(get.body, undefined)
  t.same(get.headers, [['Accept', '*/*']], 'the override header is dropped')
  t.equal(unwrapMethodOverride(post([['X-HTTP-Method-Override', 'DELETE']], 'force=1', undefined, 'http://x/i/7?v=2#f'), names)!.url, 'http://x/i/7?v=2&force=1')
  t.equal(unwrapMethodOverride(post([['X-Method', 'DELETE']]), names)!.url, 'http://x/api/Items', 'no body')
  const json = unwrapMethodOverride(post([['X-Method', 'PUT']], '{"a":1}', 'application/json'), names)!
  t.match(json, { method: 'PUT', url: 'http://x/api/Items', contentType: 'application/json' })
  t.equal(json.body!.toString(), '{"a":1}', 'a JSON body stays the body')
  t.equal(unwrapMethodOverride(post([['X-Method', 'GET']], '{"a":1}', 'application/json'), names), undefined, 'a GET cannot carry JSON: left a POST')
  t.equal(unwrapMethodOverride(post([['X-Method', 'POST']], 'a=1'), names), undefined)
  t.equal(unwrapMethodOverride(post([['X-Other', 'GET']], 'a=1'), names), undefined)
  t.equal(unwrapMethodOverride({ ...post([['X-Method', 'GET']]), method: 'GET' }, names), undefined)
})
