// `memsiege urls from-log` on files: syslog-wrapped and JSON-lines variants, gzip, stdin,
// malformed, empty and binary files, filters, output options, and the command line.
import t from 'tap'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { urlsFromLogCommand, type UrlsFromLogArgs } from '../src/commands/urls.js'
import { readUrlFile } from '../src/scenario/urlfile/parse.js'
import { countsRows, memoryIo, runUrlsCli } from './helpers/urls.js'

interface Hit { method: string; target: string; status: number; time: number }

// A day of a small Silverlight app, as a fixed list of requests.
const HITS: Hit[] = []
const START = Date.UTC(2024, 4, 1, 8, 0, 0)
function hit (n: number, method: string, target: string, status = 200): void {
  for (let i = 0; i < n; i++) HITS.push({ method, target, status, time: 0 })
}
hit(7, 'GET', '/api/Ping')
hit(4, 'GET', '/api/Customers?page=1&pageSize=50')
hit(3, 'POST', '/api/Orders')
hit(2, 'DELETE', '/api/Orders/1001')
hit(2, 'GET', '/missing', 404)
hit(1, 'HEAD', '/api/Ping')
hit(1, 'GET', '/price$5?q=a%20b')
hit(1, 'GET', '/api/Reports/Sales?from=2024-01-01&to=2024-01-31')
hit(1, 'PUT', '/api/Customers/42', 500)
// Shuffled the same way every time, each a minute after the last.
HITS.sort((a, b) => ((a.target.length * 7 + a.method.length * 13) % 11) - ((b.target.length * 7 + b.method.length * 13) % 11))
HITS.forEach((h, i) => { h.time = START + i * 60_000 })

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
function clfTime (ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
}
const combined = (h: Hit) => `10.0.0.${h.time % 7} - - [${clfTime(h.time)}] "${h.method} ${h.target} HTTP/1.1" ${h.status} 123 "-" "Mozilla/5.0 (Silverlight)"`
const common = (h: Hit) => `10.0.0.1 - frank [${clfTime(h.time)}] "${h.method} ${h.target} HTTP/1.0" ${h.status} 123`
const lines = (format: (h: Hit) => string) => HITS.map(format).join('\n') + '\n'

/** The table the whole of HITS gives: count desc, first seen first. */
function expectedRows (hits = HITS): Array<[number, string, string]> {
  const counts = new Map<string, number>()
  for (const h of hits) counts.set(`${h.method} ${h.target}`, (counts.get(`${h.method} ${h.target}`) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => [n, key.split(' ')[0], key.slice(key.indexOf(' ') + 1)])
}

async function fromLog (args: Partial<UrlsFromLogArgs> & { files: string[] }, stdin?: string | Buffer) {
  const memory = memoryIo(stdin)
  const status = await urlsFromLogCommand(args, memory.io)
  return { status, stdout: memory.stdout(), stderr: memory.stderr() }
}

t.test('combined, common, syslog-wrapped and JSON-lines logs of the same traffic give the same counts', async (t) => {
  const iso = (ms: number) => new Date(ms).toISOString()
  const bsd = (ms: number) => { const d = new Date(ms); return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}` }
  const variants: Record<string, [string, string]> = {
    'combined.log': [lines(combined), 'combined'],
    'common.log': [lines(common), 'common'],
    'syslog-nginx.log': [lines((h) => `<190>${bsd(h.time)} web-1 nginx: ${combined(h)}`), 'syslog'],
    'syslog-rsyslog.log': [lines((h) => `${bsd(h.time)} web-1 nginx[812]: ${combined(h)}`), 'syslog'],
    'syslog-iso.log': [lines((h) => `${iso(h.time).replace('Z', '+00:00')} web-1 nginx: ${combined(h)}`), 'syslog'],
    'nginx-json.log': [lines((h) => JSON.stringify({ time_iso8601: iso(h.time), remote_addr: '10.0.0.1', request: `${h.method} ${h.target} HTTP/1.1`, status: String(h.status), body_bytes_sent: '5' })), 'json'],
    'caddy.log': [lines((h) => JSON.stringify({ level: 'info', ts: h.time / 1000, logger: 'http.log.access', request: { method: h.method, uri: h.target, headers: {} }, status: h.status })), 'json'],
    'syslog-json.log': [lines((h) => `${bsd(h.time)} web-1 app[9]: ${JSON.stringify({ method: h.method, path: h.target, status: h.status, time: iso(h.time) })}`), 'syslog']
  }
  const dir = t.testdir(Object.fromEntries(Object.entries(variants).map(([name, [text]]) => [name, text])))
  for (const [name, [, format]] of Object.entries(variants)) {
    const r = await fromLog({ files: [join(dir, name)], counts: true })
    t.equal(r.status, 0, `${name}: ${r.stderr}`)
    t.same(countsRows(r.stdout), expectedRows(), name)
    t.match(r.stderr, `${name}: ${format}, ${HITS.length} lines, ${HITS.length} requests\n`, `${name} is detected as ${format}`)
    // With the filters that need a status and a time, every variant keeps the same requests.
    const since = START + 5 * 60_000
    const until = START + 15 * 60_000
    const filtered = await fromLog({ files: [join(dir, name)], counts: true, status: '2xx', since: new Date(since).toISOString(), until: `[${clfTime(until)}]` })
    t.same(countsRows(filtered.stdout), expectedRows(HITS.filter((h) => h.status < 300 && h.time >= since && h.time < until)), `${name} with --status and --since/--until`)
  }
  t.equal(readFileSync(join(dir, 'combined.log'), 'utf8').split('\n')[0].startsWith('10.0.0.'), true)
})

t.test('--field names JSON fields; --pattern reads any line', async (t) => {
  const dir = t.testdir({
    'odd.json': lines((h) => JSON.stringify({ v: h.method, loc: { p: h.target }, rc: h.status })),
    'app.log': lines((h) => `${new Date(h.time).toISOString()} INFO handled ${h.method} ${h.target} -> ${h.status}`)
  })
  const fields = await fromLog({ files: [join(dir, 'odd.json')], counts: true, format: 'json', field: ['method=v', 'url=loc.p', 'status=rc'], status: '2xx' })
  t.same(countsRows(fields.stdout), expectedRows(HITS.filter((h) => h.status < 300)))
  const pattern = await fromLog({ files: [join(dir, 'app.log')], counts: true, pattern: '^(?<time>\\S+) INFO handled (?<method>[A-Z]+) (?<url>\\S+) -> (?<status>\\d+)$', methods: 'GET,DELETE' })
  t.same(countsRows(pattern.stdout), expectedRows(HITS.filter((h) => h.method === 'GET' || h.method === 'DELETE')))
  const bad = await fromLog({ files: [join(dir, 'app.log')], pattern: '(?<request>.*)', status: '2xx' })
  t.equal(bad.status, 2)
  t.equal(bad.stderr, 'memsiege: --status needs a (?<status>…) group in --pattern\n')
  const badField = await fromLog({ files: [join(dir, 'odd.json')], field: 'colour=x' })
  t.equal(badField.status, 2)
  t.match(badField.stderr, /^memsiege: --field colour=x: write ROLE=FIELD/)
})

t.test('gzip: plain, several members, truncated; stdin', async (t) => {
  const text = lines(combined)
  const half = HITS.length >> 1
  const firstHalf = HITS.slice(0, half).map(combined).join('\n') + '\n'
  const secondHalf = HITS.slice(half).map(combined).join('\n') + '\n'
  const gz = gzipSync(text)
  const dir = t.testdir({
    'access.log.gz': gz,
    'rotated.log.1.gz': Buffer.concat([gzipSync(firstHalf), gzipSync(secondHalf)]),
    'cut.log.gz': gz.subarray(0, gz.length - 30)
  })
  const plain = await fromLog({ files: [join(dir, 'access.log.gz')], counts: true })
  t.same(countsRows(plain.stdout), expectedRows())
  t.match(plain.stderr, 'access.log.gz: combined, gzip, 22 lines, 22 requests')
  const members = await fromLog({ files: [join(dir, 'rotated.log.1.gz')], counts: true })
  t.same(countsRows(members.stdout), expectedRows(), 'concatenated gzip members are all read')
  const cut = await fromLog({ files: [join(dir, 'cut.log.gz')], counts: true })
  t.equal(cut.status, 0, 'a truncated gzip does not stop the import')
  t.match(cut.stderr, /warning: .*cut\.log\.gz: gzip data ends early or is damaged \(unexpected end of file\); read the \d+ lines before it/)
  t.ok(countsRows(cut.stdout).length > 0)
  const stdin = await fromLog({ files: ['-'], counts: true }, gz)
  t.same(countsRows(stdin.stdout), expectedRows(), 'gzip on stdin')
  t.match(stdin.stderr, '<stdin>: combined, gzip')
  const two = await fromLog({ files: [join(dir, 'access.log.gz'), '-'], counts: true }, text)
  t.same(countsRows(two.stdout), expectedRows().map(([n, m, u]) => [2 * n, m, u]), 'a file and stdin, counted together')
  t.match(await fromLog({ files: ['-', '-'] }), { status: 2, stderr: /- \(stdin\) can be read only once/ })
})

t.test('malformed lines are counted, the first three shown, and never stop the import', async (t) => {
  const good = HITS.map(combined)
  const mixed = [...good.slice(0, 3), 'garbage one', ...good.slice(3, 8), '', '   ', '10.0.0.1 - - [01/May/2024:08:00:00 +0000] "-" 400 0 "-" "-"', ...good.slice(8, 12),
    '\x16\x03\x01 tls hello', ...good.slice(12), 'x'.repeat(300), 'last garbage'].join('\r\n')
  const huge = good.slice(0, 5).join('\n') + '\n' + 'y'.repeat(3 * 1024 * 1024) + '\n' + good.slice(5).join('\n') + '\n'
  const dir = t.testdir({ 'mixed.log': mixed, 'huge.log': huge })
  const r = await fromLog({ files: [join(dir, 'mixed.log')], counts: true })
  t.equal(r.status, 0)
  t.same(countsRows(r.stdout), expectedRows())
  const warnings = r.stderr.split('\n').filter((l) => l.includes('unparseable line:'))
  t.same(warnings.map((w) => w.replace(/^memsiege: warning: .*mixed\.log:/, '').slice(0, 50)), [
    '4: unparseable line: garbage one',
    '12: unparseable line: 10.0.0.1 - - [01/May/2024:08',
    '17: unparseable line: \x16\x03\x01 tls hello'
  ], 'file:line of the first three, blank lines skipped silently')
  t.match(r.stderr, 'warning: 2 more unparseable lines not shown')
  t.match(r.stderr, /mixed\.log: combined, 29 lines, 22 requests, 5 unparseable/)
  t.ok(r.stderr.split('\n').every((l) => l.length < 400), 'long lines are cut in messages')
  const h = await fromLog({ files: [join(dir, 'huge.log')], counts: true })
  t.same(countsRows(h.stdout), expectedRows(), 'a 3 MB line is skipped without being kept')
  t.match(h.stderr, /huge\.log:6: unparseable line: y{200}…/)
})

t.test('empty, binary, compressed, missing and unreadable files', async (t) => {
  const dir = t.testdir({
    'empty.log': '',
    'blank.log': '\n\n  \n',
    'binary.log': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x41, 0x42]),
    'x.log.xz': Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]),
    'prose.log': 'Dear diary,\ntoday the server was slow.\n',
    'combined.log': lines(combined),
    sub: {}
  })
  const empty = await fromLog({ files: [join(dir, 'empty.log')] })
  t.equal(empty.status, 0)
  t.match(empty.stderr, /warning: .*empty\.log: empty, no log lines/)
  t.match(empty.stderr, 'warning: no requests to write')
  t.match(empty.stdout, /^# memsiege urls from-log .*empty\.log \(empty\): 0 requests, 0 distinct\n$/)
  t.equal((await fromLog({ files: [join(dir, 'blank.log')] })).status, 0)
  const both = await fromLog({ files: [join(dir, 'empty.log'), join(dir, 'combined.log')], counts: true })
  t.same(countsRows(both.stdout), expectedRows(), 'an empty file among others')
  const cases: Array<[string, RegExp]> = [
    ['binary.log', /binary\.log: binary data, not text$/],
    ['x.log.xz', /x\.log\.xz: xz-compressed: only gzip is read; decompress it first/],
    ['prose.log', /prose\.log: cannot tell the log format: none of the first 2 lines is combined, common, syslog or JSON \(first: "Dear diary,"\); give --format or --pattern$/],
    ['absent.log', /absent\.log: cannot read: no such file$/],
    ['sub', /sub: cannot read: is a directory$/]
  ]
  for (const [name, message] of cases) {
    const r = await fromLog({ files: [join(dir, 'combined.log'), join(dir, name)] })
    t.equal(r.status, 2, name)
    t.equal(r.stdout, '', `${name}: nothing written`)
    const errors = r.stderr.split('\n').filter((l) => l !== '' && !l.includes('combined.log'))
    t.equal(errors.length, 1, `${name}: one line`)
    t.match(errors[0], message, name)
  }
  const forced = await fromLog({ files: [join(dir, 'prose.log')], format: 'combined' })
  t.equal(forced.status, 0, 'with --format, lines that do not fit are only counted')
  t.match(forced.stderr, 'prose.log: combined, 2 lines, 0 requests, 2 unparseable')
})

t.test('filters', async (t) => {
  const dir = t.testdir({ 'a.log': lines(combined) })
  const file = join(dir, 'a.log')
  const rows = async (args: Partial<UrlsFromLogArgs>) => {
    const r = await fromLog({ files: [file], counts: true, ...args })
    t.equal(r.status, 0, r.stderr)
    return countsRows(r.stdout)
  }
  t.same(await rows({ methods: ['GET', 'delete'] }), expectedRows(HITS.filter((h) => h.method === 'GET' || h.method === 'DELETE')))
  t.same(await rows({ status: ['4xx,500'] }), expectedRows(HITS.filter((h) => h.status >= 400)))
  t.same(await rows({ exclude: ['Ping'] }), expectedRows(HITS.filter((h) => !h.target.includes('Ping'))), "the seed's author: --exclude Ping")
  t.same(await rows({ include: ['^/api/', '^/price'], exclude: 'Ping' }), expectedRows(HITS.filter((h) => /^\/(api\/|price)/.test(h.target) && !h.target.includes('Ping'))))
  t.same(await rows({ until: new Date(START + 10 * 60_000).toISOString() }), expectedRows(HITS.slice(0, 10)))
  const r = await fromLog({ files: [file], status: '2xx', exclude: 'Ping' })
  t.match(r.stderr, /kept, \d+ filtered out \(status \d+, url \d+\)/)
  for (const [args, message] of [
    [{ status: 'ok' }, /--status: "ok" is not a status/],
    [{ since: 'last tuesday' }, /--since "last tuesday": not a date/],
    [{ exclude: '[' }, /--exclude \[: Invalid regular expression/],
    [{ format: 'w3c' }, /--format w3c: not a log format/]
  ] as Array<[Partial<UrlsFromLogArgs>, RegExp]>) {
    const bad = await fromLog({ files: [file], ...args })
    t.equal(bad.status, 2)
    t.match(bad.stderr, message)
    t.equal(bad.stderr.trim().split('\n').length, 1)
  }
})

t.test('the URL list: order, --top, --weighted, --base, --out; read back by the URL-file reader', async (t) => {
  const dir = t.testdir({ 'a.log': lines(combined) })
  const file = join(dir, 'a.log')
  const plain = await fromLog({ files: [file] })
  const body = plain.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
  const written = (method: string, target: string) => target.replace(/\$/g, '\\$') + (method === 'GET' ? '' : ` ${method}`)
  t.same(body, expectedRows().map(([, method, target]) => written(method, target)), 'most frequent first; $ escaped')
  t.ok(body.includes('/price\\$5?q=a%20b'))
  t.match(plain.stdout, /^# POST, PUT and PATCH lines have empty bodies: access logs do not record request bodies\.$/m)
  t.equal((await fromLog({ files: [file], top: 2 })).stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length, 2)

  const out = join(dir, 'urls.txt')
  const weighted = await fromLog({ files: [file], weighted: true, base: 'http://127.0.0.1:8000/', out })
  t.equal(weighted.status, 0)
  t.equal(weighted.stdout, '')
  t.match(weighted.stderr, `wrote ${HITS.length} lines to ${out}`)
  const { entries } = readUrlFile(out, {})
  const seen = entries.map((e) => `${e.method} ${new URL(e.url).pathname}${new URL(e.url).search}`).sort()
  t.same(seen, HITS.map((h) => `${h.method} ${h.target}`).sort(), 'weighted: the counts are small enough to be reproduced exactly')
  t.ok(entries.every((e) => e.url.startsWith('http://127.0.0.1:8000/')))
  t.same(entries.filter((e) => e.method === 'POST').map((e) => e.body!.length), [0, 0, 0], 'POST bodies are empty')
  const first7 = entries.slice(0, 7).map((e) => new URL(e.url).pathname)
  t.ok(first7.filter((p) => p === '/api/Ping').length < 7, 'weighted lines are spread, not in runs')

  const capped = await fromLog({ files: [file], weighted: true, maxRepeat: 2 })
  const cappedLines = capped.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
  t.equal(cappedLines.filter((l) => l === '/api/Ping').length, 2, '--max-repeat caps the most frequent line')
  t.equal(cappedLines.filter((l) => l === '/api/Customers/42 PUT').length, 1, 'every line at least once')
  t.match(await fromLog({ files: [file], base: 'ftp://x' }), { status: 2, stderr: /--base ftp:\/\/x: not an http or https URL/ })
  t.match(await fromLog({ files: [file], base: 'http://x/?a=1' }), { status: 2, stderr: /no query or fragment/ })
  t.match(await fromLog({ files: [file], top: 0 }), { status: 2, stderr: /--top must be a whole number of at least 1/ })
  t.match(await fromLog({ files: [file], counts: true, weighted: true }), { status: 2, stderr: /--counts prints the count table/ })
  t.match(await fromLog({ files: [] }), { status: 2, stderr: /no log file given/ })
  writeFileSync(join(dir, 'nodir'), '')
  t.match(await fromLog({ files: [file], out: join(dir, 'nodir', 'urls.txt') }), { status: 2, stderr: /nodir\/urls\.txt: cannot write/ })
  // checked before the import; a folder left a temporary file behind it, and /proc hangs a recursive mkdir
  t.same(await fromLog({ files: [file], out: dir }), { status: 2, stdout: '', stderr: `memsiege: --out ${dir}: a folder; give the name of the URL file to write (urls.txt)\n` })
  t.same(readdirSync(dirname(dir)).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left beside it')
  t.match(await fromLog({ files: [file], out: '/proc/memsiege/urls.txt' }), { status: 2, stderr: /^memsiege: --out \/proc\/memsiege\/urls\.txt: proc is a kernel filesystem/ })
  t.match(await fromLog({ files: [file], out: join(dir, 'none', 'urls.txt') }), { status: 2, stderr: `${join(dir, 'none', 'urls.txt')}: cannot write: no such folder: ${join(dir, 'none')}\n` })
})

t.test('the command line: memsiege urls from-log', async (t) => {
  const dir = t.testdir({ 'a.log': lines(combined) })
  const counts = await runUrlsCli(['from-log', '-', '--counts', '--top', '3'], { stdin: lines(combined) })
  t.equal(counts.status, 0, counts.stderr)
  t.same(countsRows(counts.stdout), expectedRows().slice(0, 3), '- reads stdin')
  t.match(counts.stdout, /^count {4}share {2}method {2}url\n {4}7 {3}31\.82% {2}GET {5}\/api\/Ping\n/)
  t.match(counts.stdout, /\n {3}22 {2}100\.00% {10}total: 9 distinct, 3 shown \(63\.64%\)\n$/)
  const out = await runUrlsCli(['from-log', 'a.log', '-o', 'urls.txt', '--methods', 'GET,DELETE', '--status', '2xx', '--exclude', 'Ping', '--base', 'http://127.0.0.1:8000'], { cwd: dir })
  t.equal(out.status, 0, out.stderr)
  const kept = expectedRows(HITS.filter((h) => (h.method === 'GET' || h.method === 'DELETE') && h.status < 300 && !h.target.includes('Ping')))
  t.same(readFileSync(join(dir, 'urls.txt'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')),
    kept.map(([, method, target]) => `http://127.0.0.1:8000${target.replace(/\$/g, '\\$')}${method === 'GET' ? '' : ` ${method}`}`))
  t.equal(kept.length, 4)
  for (const [args, message] of [
    [['from-log', 'a.log', '--bogus'], /^memsiege: Unknown argument: bogus\n$/],
    [['from-log', 'a.log', '--format', 'w3c'], /Invalid values/],
    [['from-log'], /^memsiege: from-log: no log file given/],
    [['from-log', 'absent.log'], /^memsiege: absent\.log: cannot read: no such file\n$/],
    [[], /urls: give from-log or from-har/]
  ] as Array<[string[], RegExp]>) {
    const r = await runUrlsCli(args, { cwd: dir })
    t.equal(r.status, 2, args.join(' '))
    t.match(r.stderr, message, args.join(' '))
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
  }
})
