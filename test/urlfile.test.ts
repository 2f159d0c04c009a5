import t from 'tap'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { escapeRequestTarget } from '../src/scenario/urlfile/escape.js'
import { parseUrlList, readUrlFile, type UrlListOptions } from '../src/scenario/urlfile/parse.js'
import { ConfigError } from '../src/errors.js'

const H = 'http://127.0.0.1:8080'

function parse (text: string, options: Partial<UrlListOptions> = {}) {
  const warnings: string[] = []
  const entries = parseUrlList({ source: 'urls.txt', text, env: {}, warn: (message) => warnings.push(message), ...options })
  return { entries, warnings }
}

/** Path and query as a request target, the way an HTTP client sends `url`. */
function target (url: string): string {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}

function only (text: string, options: Partial<UrlListOptions> = {}) {
  const { entries, warnings } = parse(text, options)
  if (entries.length !== 1) throw new Error(`expected one entry, got ${entries.length}`)
  return { entry: entries[0], warnings }
}

const tempDirs: string[] = []
t.teardown(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

function tempDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'memsiege-urlfile-'))
  tempDirs.push(dir)
  return dir
}

t.test('lines', async (t) => {
  t.test('comments, indented comments and empty lines are skipped; entries keep their line numbers', async (t) => {
    const { entries } = parse(`# header\n\n   # indented\n${H}/a\n\t\n${H}/b\n`)
    t.same(entries.map((e) => [e.line, target(e.url)]), [[4, '/a'], [6, '/b']])
    t.equal(entries[0].source, 'urls.txt')
  })

  t.test('CRLF files read like LF files', async (t) => {
    const { entries } = parse(`P=/x\r\n${H}$(P)\r\n${H}/y POST a=1\r\n`)
    t.same(entries.map((e) => target(e.url)), ['/x', '/y'])
    t.equal(entries[1].body!.toString(), 'a=1')
  })

  t.test('an inline "# ..." is stripped from a variable line', async (t) => {
    t.equal(target(only('PORT=8080  # the port\nhttp://127.0.0.1:$(PORT)/p').entry.url), '/p')
    t.equal(only('PORT=8080  # the port\nhttp://127.0.0.1:$(PORT)/p').entry.url, `${H}/p`)
  })

  t.test('a "#" on a GET line starts the fragment, and the space before it is escaped', async (t) => {
    t.equal(target(only(`${H}/v4 # note`).entry.url), '/v4%20')
  })

  t.test('a "#" in a POST body is part of the body', async (t) => {
    t.equal(only(`${H}/p POST a=1#frag b`).entry.body!.toString(), 'a=1#frag b')
  })

  t.test('a line longer than siege\'s 40,000-byte buffer is kept whole, with a warning', async (t) => {
    const long = 'x'.repeat(50_000)
    const { entry, warnings } = only(`${H}/p POST ${long}`)
    t.equal(entry.body!.length, 50_000)
    t.match(warnings, [/^urls\.txt:1: .*40000-byte buffer/])
  })

  t.test('a UTF-8 byte order mark does not become part of the first URL', async (t) => {
    t.equal(only(`\uFEFF${H}/a`).entry.url, `${H}/a`)
  })
})

t.test('variables', async (t) => {
  t.test('$(NAME), ${NAME} and $NAME are expanded', async (t) => {
    const { entries } = parse('HOST=127.0.0.1:8080\nhttp://$(HOST)/a\nhttp://${HOST}/b\nhttp://$HOST/c')
    t.same(entries.map((e) => e.url), [`${H}/a`, `${H}/b`, `${H}/c`])
  })

  t.test('mismatched brackets work as in siege', async (t) => {
    t.equal(only(`P=/x\n${H}\${P)`).entry.url, `${H}/x`)
  })

  t.test('the first definition wins', async (t) => {
    t.equal(target(only(`P=/first\nP=/second\n${H}$(P)`).entry.url), '/first')
  })

  t.test('a use before the definition does not see it', async (t) => {
    const { entries } = parse(`${H}/a$(LATE)\nLATE=/late\n${H}/b$(LATE)`)
    t.same(entries.map((e) => target(e.url)), ['/a', '/b/late'])
  })

  t.test('the environment is the fallback, file variables come first', async (t) => {
    const env = { SGENV: 'fromenv', P: 'env' }
    const { entries } = parse(`P=file\n${H}/$(SGENV)/$(P)`, { env })
    t.equal(target(entries[0].url), '/fromenv/file')
  })

  t.test('an undefined variable expands to the empty string', async (t) => {
    t.equal(target(only(`${H}/q?a=$(MISSING)&b=2`).entry.url), '/q?a=&b=2')
  })

  t.test('the value follows "=", ":" and spaces and keeps its quotes', async (t) => {
    const { entry } = only(`X=:a\nQ="a b"\nQ2= 'c'\n${H}/p POST $(X)|$(Q)|$(Q2)`)
    t.equal(entry.body!.toString(), 'a|"a b"|\'c\'')
  })

  t.test('"NAME = value" is not a definition (siege reads it as a URL)', async (t) => {
    t.throws(() => parse('HOST = x'), { name: 'ConfigError', message: /^urls\.txt:1: invalid URL/ })
  })

  t.test('a value may refer to other variables, looked up where it is used', async (t) => {
    t.equal(only(`API=$(BASE)/api\nBASE=${H}\n$(API)/items`).entry.url, `${H}/api/items`)
  })

  t.test('a variable that refers to itself is an error', async (t) => {
    t.throws(() => parse(`A=$(B)\nB=$(A)\n${H}/$(A)`), { name: 'ConfigError', message: 'urls.txt:3: variable A -> B -> A refers to itself' })
  })

  t.test('"$10" is kept literally (siege would cut the line), with a warning', async (t) => {
    const { entry, warnings } = only(`${H}/p POST {"s": "costs $10 per mile", "n": 2}`)
    t.equal(entry.body!.toString(), '{"s": "costs $10 per mile", "n": 2}')
    t.match(warnings, [/^urls\.txt:1: "\$10 per mile" is sent as written; siege 4\.0 .* #189/])
  })

  t.test('a "$" at the end of a line is literal', async (t) => {
    t.equal(only(`${H}/p POST cost=5$`).entry.body!.toString(), 'cost=5$')
  })

  t.test('a bare $NAME ends at the first character outside [A-Za-z0-9_], with a warning', async (t) => {
    const { entry, warnings } = only('IP=127.0.0.1\nhttp://$IP:8080/x')
    t.equal(entry.url, `${H}/x`)
    t.match(warnings, [/^urls\.txt:2: "\$IP" ends at ":"; siege 4\.0 reads the variable name "IP:8080"/])
  })

  t.test('a bare $NAME followed by "/" or the end of the line reads as in siege, without a warning', async (t) => {
    t.same(parse(`P=x\n${H}/$P/y\n${H}/z POST $P`).warnings, [])
  })

  t.test('a bare $NAME followed by ")" warns that siege drops the ")"', async (t) => {
    const { entry, warnings } = only(`N=1\n${H}/p POST f($N)`)
    t.equal(entry.body!.toString(), 'f(1)')
    t.match(warnings, [/siege 4\.0 drops the "\)" after it/])
  })

  t.test('"\\$" escapes a literal "$", with a warning', async (t) => {
    const { entry, warnings } = only(`${H}/q?x=\\$10&y=2`)
    t.equal(target(entry.url), '/q?x=$10&y=2')
    t.match(warnings, [/"\\\$" sends a literal "\$"; siege 4\.0 sends the backslash/])
  })

  t.test('each kind of warning is given once per list', async (t) => {
    const { warnings } = parse(`${H}/a POST $1\n${H}/b POST $2\n${H}/c POST \\$3`)
    t.equal(warnings.length, 2)
    t.match(warnings, [/^urls\.txt:1: /, /^urls\.txt:3: /])
  })
})

t.test('URL forms', async (t) => {
  t.test('the scheme is optional', async (t) => {
    t.equal(only('127.0.0.1:8080/a?b=1').entry.url, `${H}/a?b=1`)
    t.equal(only('127.0.0.1:8080').entry.url, `${H}/`)
  })

  t.test('https and upper-case schemes are kept', async (t) => {
    t.equal(only('HTTPS://127.0.0.1:8443/x').entry.url, 'https://127.0.0.1:8443/x')
  })

  t.test('"localhost:8080/x" is host and port, with a warning that siege reads a scheme', async (t) => {
    const { entry, warnings } = only('localhost:8080/x')
    t.equal(entry.url, 'http://localhost:8080/x')
    t.match(warnings, [/^urls\.txt:1: "localhost:8080" is read as a host; siege reads "localhost:" as an unsupported scheme/])
  })

  t.test('other schemes are an error naming file and line', async (t) => {
    t.throws(() => parse(`${H}/ok\nftp://127.0.0.1/file`), new ConfigError('unsupported scheme "ftp:"', { file: 'urls.txt', line: 2 }))
    t.throws(() => parse('mailto:someone'), { message: 'urls.txt:1: unsupported scheme "mailto:"' })
  })

  t.test('relative lines resolve against the base', async (t) => {
    const { entries } = parse('/api/x\napi/y?z=1\n?q=2\n127.0.0.1:9090/host', { base: `${H}/v1/` })
    t.same(entries.map((e) => e.url), [`${H}/api/x`, `${H}/v1/api/y?z=1`, `${H}/v1/?q=2`, 'http://127.0.0.1:9090/host'])
  })

  t.test('a relative line without a base is an error naming file and line', async (t) => {
    t.throws(() => parse(`${H}/a\n/relative/path`), { name: 'ConfigError', message: /^urls\.txt:2: relative URL "\/relative\/path" needs a base URL/ })
  })

  t.test('without a base, "www/index.html" is host www as in siege', async (t) => {
    t.equal(only('www/index.html').entry.url, 'http://www/index.html')
  })

  t.test('a host variable left empty is an error, not a host taken from the path', async (t) => {
    t.throws(() => parse('http://$(UNSET)/x'), { message: 'urls.txt:1: no host in URL "http:///x"' })
  })

  t.test('bracketed IPv6 hosts work, with and without the scheme', async (t) => {
    t.equal(only('http://[::1]:8080/x').entry.url, 'http://[::1]:8080/x')
    t.equal(only('[::1]:8080/y POST a').entry.url, 'http://[::1]:8080/y')
  })

  t.test('user:pass@host stays in the URL', async (t) => {
    t.equal(only('http://me:secret@127.0.0.1:8080/private').entry.url, 'http://me:secret@127.0.0.1:8080/private')
  })

  t.test('user:pass@host without a scheme is a host, with a warning', async (t) => {
    const { entry, warnings } = only('me:secret@127.0.0.1:8080/private')
    t.equal(entry.url, 'http://me:secret@127.0.0.1:8080/private')
    t.equal(warnings.length, 1)
  })

  t.test('query strings are kept as written', async (t) => {
    t.equal(target(only(`${H}/search?q=siege&page=1;x=y`).entry.url), '/search?q=siege&page=1;x=y')
  })
})

t.test('methods', async (t) => {
  t.test('POST, PUT, PATCH, OPTIONS and DELETE take the rest of the line as body', async (t) => {
    const { entries } = parse(['POST', 'PUT', 'PATCH', 'OPTIONS', 'DELETE'].map((m) => `${H}/${m.toLowerCase()} ${m} body-${m}`).join('\n'))
    t.same(entries.map((e) => [e.method, target(e.url), e.body!.toString()]), [
      ['POST', '/post', 'body-POST'],
      ['PUT', '/put', 'body-PUT'],
      ['PATCH', '/patch', 'body-PATCH'],
      ['OPTIONS', '/options', 'body-OPTIONS'],
      ['DELETE', '/delete', 'body-DELETE']
    ])
  })

  t.test('lines without a keyword are GET, without a body slot', async (t) => {
    const { entry } = only(`${H}/a`)
    t.equal(entry.method, 'GET')
    t.equal(entry.body, undefined)
    t.equal(entry.contentType, undefined)
  })

  t.test('the first keyword in siege\'s order wins, wherever it is in the line', async (t) => {
    const { entry } = only(`${H}/x DELETE this POST that`)
    t.equal(entry.method, 'POST')
    t.equal(entry.url, `${H}/x%20DELETE%20this`)
    t.equal(entry.body!.toString(), 'that')
  })

  t.test('a keyword needs a space before it, and nothing after it', async (t) => {
    t.equal(only(`${H}/a\tPOST x`).entry.method, 'GET')
    const { entry } = only(`${H}/b POSTz=9`)
    t.same([entry.method, entry.body!.toString()], ['POST', 'z=9'])
  })

  t.test('lower-case keywords are part of the URL', async (t) => {
    const { entry } = only(`${H}/v13 post lower=1`)
    t.same([entry.method, target(entry.url)], ['GET', '/v13%20post%20lower=1'])
  })

  t.test('a keyword without a body gives an empty body', async (t) => {
    const { entries } = parse(`${H}/a DELETE\n${H}/b POST`)
    t.same(entries.map((e) => [e.method, e.body!.length, e.contentType]), [
      ['DELETE', 0, 'application/x-www-form-urlencoded'],
      ['POST', 0, 'application/x-www-form-urlencoded']
    ])
  })

  t.test('" GET" and " HEAD" at the end of a line are the method, with a warning', async (t) => {
    const { entries, warnings } = parse(`${H}/v11 HEAD\n${H}/v12 GET`)
    t.same(entries.map((e) => [e.method, e.url, e.body]), [['HEAD', `${H}/v11`, undefined], ['GET', `${H}/v12`, undefined]])
    t.match(warnings, [/^urls\.txt:1: " HEAD" is read as the method; siege 4\.0 sends it as part of the path/])
  })

  t.test('" GET" followed by more text stays in the URL, as in siege', async (t) => {
    t.equal(target(only(`${H}/v GET a=1`).entry.url), '/v%20GET%20a=1')
  })
})

t.test('bodies', async (t) => {
  t.test('leading whitespace is skipped; spaces, quotes, "&" are kept; nothing is URL-encoded', async (t) => {
    t.equal(only(`${H}/p POST   {"name": "a b", "q": "x&y=%20"}`).entry.body!.toString(), '{"name": "a b", "q": "x&y=%20"}')
  })

  t.test('UTF-8 bodies are sent as UTF-8', async (t) => {
    t.same(only(`${H}/p POST é`).entry.body, Buffer.from('é'))
  })

  t.test('the content type defaults to form encoding, -T replaces it', async (t) => {
    t.equal(only(`${H}/p POST a=1`).entry.contentType, 'application/x-www-form-urlencoded')
    t.equal(only(`${H}/p PUT a=1`, { contentType: 'text/plain' }).entry.contentType, 'text/plain')
  })

  t.test('a per-line "-T type;" in front of the body sets its content type (siege 4.2)', async (t) => {
    const { entries } = parse(`${H}/p POST -T application/json; {"a":1}\n${H}/q PUT -T text/csv a,b;c`, { contentType: 'text/plain' })
    t.same(entries.map((e) => [e.contentType, e.body!.toString()]), [['application/json', '{"a":1}'], ['text/csv', 'a,b;c']])
  })

  t.test('no "/" is appended to the body of a line without "/", with a warning', async (t) => {
    const { entry, warnings } = only('127.0.0.1:8080 POST a=1')
    t.same([entry.url, entry.body!.toString()], [`${H}/`, 'a=1'])
    t.match(warnings, [/siege appends "\/" to the body/])
  })

  t.test('POST-line URLs are not escaped', async (t) => {
    t.equal(only(`${H}/~user/%41 POST a`).entry.url, `${H}/~user/%41`)
  })
})

t.test('<file bodies', async (t) => {
  const dir = tempDir()
  writeFileSync(join(dir, 'body.txt'), 'a=1&b=2\n\n')
  writeFileSync(join(dir, 'body.json'), '{"k": "v"}\n')
  writeFileSync(join(dir, 'nul.csv'), '  x,y\0ignored  ')
  writeFileSync(join(dir, 'noext'), '\n  raw text \n')
  writeFileSync(join(dir, 'pixel.png'), Buffer.from([0x20, 0x89, 0x50, 0x00, 0x0a]))
  writeFileSync(join(dir, 'upper.JSON'), ' {} \n')

  const body = (line: string) => only(`${H}/p POST ${line}`, { bodyDir: dir }).entry.body!

  t.test('ascii types are trimmed', async (t) => {
    t.equal(body('<body.txt').toString(), 'a=1&b=2')
  })

  t.test('spaces after "<" are allowed', async (t) => {
    t.equal(body('< body.txt').toString(), 'a=1&b=2')
  })

  t.test('ascii types are cut at a NUL', async (t) => {
    t.equal(body('<nul.csv').toString(), 'x,y')
  })

  t.test('an unknown or missing extension counts as ascii', async (t) => {
    t.equal(body('<noext').toString(), 'raw text')
  })

  t.test('binary types (json, png, ...) are sent byte for byte, extension case ignored', async (t) => {
    t.equal(body('<body.json').toString(), '{"k": "v"}\n')
    t.same(body('<pixel.png'), Buffer.from([0x20, 0x89, 0x50, 0x00, 0x0a]))
    t.equal(body('<upper.JSON').toString(), ' {} \n')
  })

  t.test('the content type is the default (siege ignores the extension), or -T', async (t) => {
    t.equal(only(`${H}/p POST <body.json`, { bodyDir: dir }).entry.contentType, 'application/x-www-form-urlencoded')
    t.equal(only(`${H}/p POST <body.json`, { bodyDir: dir, contentType: 'application/json' }).entry.contentType, 'application/json')
  })

  t.test('a file is read once per list', async (t) => {
    const { entries } = parse(`${H}/a POST <body.json\n${H}/b PUT < body.json`, { bodyDir: dir })
    t.equal(entries[0].body, entries[1].body)
  })

  t.test('absolute paths and variables in the path work', async (t) => {
    t.equal(only(`D=${dir}\n${H}/p POST <$(D)/body.txt`).entry.body!.toString(), 'a=1&b=2')
  })

  t.test('paths are looked up next to the URL file first, then in the working directory', async (t) => {
    const cwd = tempDir()
    writeFileSync(join(cwd, 'only-in-cwd.txt'), 'cwd')
    writeFileSync(join(cwd, 'body.txt'), 'from cwd')
    const saved = process.cwd()
    process.chdir(cwd)
    t.teardown(() => process.chdir(saved))
    t.equal(body('<body.txt').toString(), 'a=1&b=2')
    t.equal(body('<only-in-cwd.txt').toString(), 'cwd')
  })

  t.test('a missing body file is an error naming the URL file, the line and the body path', async (t) => {
    t.throws(() => parse(`${H}/a\n${H}/p POST <missing.json`, { bodyDir: dir }), {
      name: 'ConfigError',
      file: 'urls.txt',
      line: 2,
      message: /^urls\.txt:2: cannot read body file "missing\.json": not found/
    })
  })

  t.test('an unreadable body file (a folder) is an error', async (t) => {
    mkdirSync(join(dir, 'folder.txt'))
    t.throws(() => parse(`${H}/p POST <folder.txt`, { bodyDir: dir }), { message: /^urls\.txt:1: cannot read body file "folder\.txt" \(.*\): EISDIR/ })
  })
})

t.test('GET-line escaping', async (t) => {
  t.test('siege\'s table: "~" encoded, %41 decoded, %2F and %7e kept', async (t) => {
    t.equal(target(only(`${H}/~user/%41%2F%7e`).entry.url), '/%7Euser/A%2F%7e')
  })

  const cases: Array<[string, string]> = [
    ['/a b', '/a%20b'],
    ['/a\tb', '/a%09b'],
    ['/"<>\\^`{|}', '/%22%3C%3E%5C%5E%60%7B%7C%7D'],
    ['/%zz/%4', '/%25zz/%254'],
    ['/%20/%25/%2e%2D%5f%7E%3F', '/%20/%25/.-_%7E%3F'],
    ['/é', '/%C3%A9'],
    ['/a\x7f', '/a%7F'],
    ["/!$'()*,;=:@+&[]", "/!$'()*,;=:@+&[]"],
    ['/p?q=a b&r=~', '/p?q=a%20b&r=%7E'],
    ['/frag#x y', '/frag#x%20y']
  ]
  for (const [input, expected] of cases) {
    t.test(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, async (t) => {
      t.equal(escapeRequestTarget(input), expected)
    })
  }

  t.test('the authority is not escaped', async (t) => {
    t.equal(only('http://u~:p%41@127.0.0.1:8080/~').entry.url, 'http://u~:p%41@127.0.0.1:8080/%7E')
  })

  t.test('relative lines are escaped too', async (t) => {
    t.equal(only('/a b/~c', { base: H }).entry.url, `${H}/a%20b/%7Ec`)
  })

  t.test('GET and HEAD keyword lines are escaped before the keyword', async (t) => {
    t.equal(only(`${H}/~a HEAD`).entry.url, `${H}/%7Ea`)
  })
})

t.test('readUrlFile', async (t) => {
  t.test('reads the file and looks up bodies next to it', async (t) => {
    const dir = tempDir()
    writeFileSync(join(dir, 'body.txt'), ' hello \n')
    writeFileSync(join(dir, 'urls.txt'), `${H}/a\n${H}/b POST <body.txt\n`)
    const { text, entries } = readUrlFile(join(dir, 'urls.txt'), { env: {} })
    t.equal(text, `${H}/a\n${H}/b POST <body.txt\n`)
    t.same(entries.map((e) => [e.source, e.line, e.body?.toString()]), [
      [join(dir, 'urls.txt'), 1, undefined],
      [join(dir, 'urls.txt'), 2, 'hello']
    ])
  })

  t.test('a missing file is an error naming the path', async (t) => {
    const path = join(tempDir(), 'nope.txt')
    t.throws(() => readUrlFile(path, {}), { name: 'ConfigError', file: path, message: new RegExp(`^${path}: cannot read URL file: ENOENT`) })
  })
})
