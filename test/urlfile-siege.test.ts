/**
 * Differential tests: the real siege (Debian's 4.0.7) and parseUrlList read the
 * same URL files, siege sends them to a raw server on 127.0.0.1, and what the
 * server saw must be what our entries describe: method, request target, body
 * bytes, content type, in order. Where memsiege deliberately differs (spec §7)
 * the test asserts both sides of the difference and names it.
 */
import t from 'tap'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import type { UrlEntry } from '../src/scenario/types.js'
import { readUrlFile } from '../src/scenario/urlfile/parse.js'
import { startRawServer } from './fixtures/raw-server.js'
import { SIEGE_ENV as ENV, runSiege, siegeSkipReason, tempDir, wireOf, type Wire } from './helpers/siege.js'

/** A deliberate difference from siege 4.0.7 (spec §7), for one line of a case; bodies default to empty. */
interface Deviation {
  /** Names the difference in the test output. */
  policy: string
  siege: WithoutBody
  memsiege: WithoutBody
}

type WithoutBody = Omit<Wire, 'body'> & { body?: string }

interface Case {
  name: string
  /** `{origin}` is replaced by http://127.0.0.1:<port>, `{port}` by the port. */
  lines: string[]
  lineEnding?: '\n' | '\r\n'
  contentType?: string
  /** By index into the entries. */
  deviations?: Record<number, Deviation>
  /** What parseUrlList warns about, in order; a file siege reads like we do gets no warning. */
  warnings?: RegExp[]
}

function bodyFixtures (dir: string): void {
  writeFileSync(join(dir, 'body.txt'), 'a=1&b=2\n\n')
  writeFileSync(join(dir, 'body.json'), '{"k": "v"}\n')
  writeFileSync(join(dir, 'nul.csv'), '  x,y\0ignored  \n')
  writeFileSync(join(dir, 'noext'), '\n  raw text \n')
  writeFileSync(join(dir, 'pixel.png'), Buffer.from([0x20, 0x89, 0x50, 0x4e, 0x47, 0x00, 0x0a]))
}

function wireOfEntry (entry: UrlEntry): Wire {
  const url = new URL(entry.url)
  return {
    method: entry.method,
    target: url.pathname + url.search,
    body: (entry.body ?? Buffer.alloc(0)).toString('latin1'),
    ...(entry.contentType === undefined ? {} : { contentType: entry.contentType })
  }
}

const cases: Case[] = [
  {
    name: 'variables: three forms, first definition wins, environment, undefined, nested, use before definition',
    lines: [
      'HOST=127.0.0.1:{port}',
      'P=/first',
      'P=/second',
      'http://$(HOST)/paren',
      'http://${HOST}/brace',
      'http://$HOST/bare',
      'http://${HOST)/mismatched',
      'http://$(HOST)$(P)',
      'http://$(HOST)/env/$(SGENV)',
      'http://$(HOST)/q?a=$(MISSING)&b=2',
      'http://$(HOST)/late$(LATE)',
      'LATE=/defined',
      'http://$(HOST)/late$(LATE)',
      'ORIGIN=http://$(HOST)',
      '$(ORIGIN)/nested',
      'X=:value-after-colon',
      'Q="quoted value"',
      '$(ORIGIN)/values POST x=$(X)&q=$(Q)'
    ]
  },
  {
    name: 'methods and inline bodies',
    lines: [
      '{origin}/post POST name=widget&qty=2',
      '{origin}/spaces POST    {"a": "b c", "d": "#e&f", "p": "%20+"}',
      '{origin}/put PUT a=1',
      '{origin}/patch PATCH [1,2]',
      '{origin}/delete DELETE',
      '{origin}/options OPTIONS',
      '{origin}/empty POST',
      '{origin}/glued POSTz=9',
      '{origin}/utf8 POST name=é',
      '{origin}/lower post lower=1',
      '{origin}/tab\tPOST x=1',
      '{origin}/get'
    ]
  },
  {
    name: '<file bodies: ascii trimmed and cut at NUL, binary byte for byte',
    lines: [
      '{origin}/txt POST <body.txt',
      '{origin}/txt-space POST < body.txt',
      '{origin}/json PUT <body.json',
      '{origin}/csv POST <nul.csv',
      '{origin}/noext POST <noext',
      '{origin}/png POST <pixel.png'
    ]
  },
  {
    name: '-T sets the content type of every body line',
    contentType: 'application/json',
    lines: ['{origin}/inline POST {"a":1}', '{origin}/file PUT <body.json', '{origin}/empty DELETE', '{origin}/get']
  },
  {
    name: 'escaping, query strings, fragments, comments, CRLF',
    lineEnding: '\r\n',
    lines: [
      '# a comment',
      '   # an indented comment',
      '',
      '{origin}/search?q=siege&page=1',
      '{origin}/~user/%41%2F%7e',
      '{origin}/a b/c',
      '{origin}/"<>\\^`{|}',
      '{origin}/%zz/%2e%2D%5f%3F%20',
      '{origin}/é',
      '{origin}/p;params?q=1',
      '{origin}/path?q=a b&t=~',
      '{origin}/v4 # note',
      '{origin}/frag#x',
      '{origin}/~post POST a=1#kept b',
      '127.0.0.1:{port}/no-scheme',
      'http://user:secret@127.0.0.1:{port}/credentials',
      'NUM={port}  # an inline comment on a variable line',
      'http://127.0.0.1:$(NUM)/inline-comment'
    ]
  },
  {
    name: 'deliberate differences (spec §7)',
    lines: [
      '{origin}/price?x=$10&y=2',
      '{origin}/json POST {"s": "costs $10 per mile", "n": 2}',
      'F=file',
      '{origin}/$F.txt',
      '{origin}/q?x=\\$10&y=2',
      '{origin}/v11 HEAD',
      '{origin}/v12 GET',
      '127.0.0.1:{port} POST a=1',
      '{origin}/typed POST -T application/json; {"a":1}'
    ],
    deviations: {
      0: {
        policy: 'a "$" not followed by "(", "{", a letter or "_" is literal',
        siege: { method: 'GET', target: '/price?x=' },
        memsiege: { method: 'GET', target: '/price?x=$10&y=2' }
      },
      1: {
        policy: 'no truncation of bodies at "$" (siege #189)',
        siege: { method: 'POST', target: '/json', body: '{"s": "costs ', contentType: 'application/x-www-form-urlencoded' },
        memsiege: { method: 'POST', target: '/json', body: '{"s": "costs $10 per mile", "n": 2}', contentType: 'application/x-www-form-urlencoded' }
      },
      2: {
        policy: 'a bare $NAME ends at the first character outside [A-Za-z0-9_]',
        siege: { method: 'GET', target: '/' },
        memsiege: { method: 'GET', target: '/file.txt' }
      },
      3: {
        policy: '"\\$" escapes a literal "$"',
        siege: { method: 'GET', target: '/q?x=%5C' },
        memsiege: { method: 'GET', target: '/q?x=$10&y=2' }
      },
      4: {
        policy: '" HEAD" is honoured as the method',
        siege: { method: 'GET', target: '/v11 HEAD' },
        memsiege: { method: 'HEAD', target: '/v11' }
      },
      5: {
        policy: '" GET" is honoured as the method',
        siege: { method: 'GET', target: '/v12%20GET' },
        memsiege: { method: 'GET', target: '/v12' }
      },
      6: {
        policy: 'no "/" appended to the body of a line without "/"',
        siege: { method: 'POST', target: '/', body: 'a=1/', contentType: 'application/x-www-form-urlencoded' },
        memsiege: { method: 'POST', target: '/', body: 'a=1', contentType: 'application/x-www-form-urlencoded' }
      },
      7: {
        policy: 'per-line "-T type;" (siege 4.2) is read; siege 4.0 sends it as body',
        siege: { method: 'POST', target: '/typed', body: '-T application/json; {"a":1}', contentType: 'application/x-www-form-urlencoded' },
        memsiege: { method: 'POST', target: '/typed', body: '{"a":1}', contentType: 'application/json' }
      }
    },
    warnings: [
      /urls\.txt:1: "\$10&y=2" is sent as written/,
      /urls\.txt:4: "\$F" ends at "\."; siege 4\.0 reads the variable name "F\.txt"/,
      /urls\.txt:5: "\\\$" sends a literal "\$"/,
      /urls\.txt:6: " HEAD" is read as the method/,
      /urls\.txt:8: siege appends "\/" to the body/
    ]
  }
]

function withBody (wire: WithoutBody): Wire {
  return { body: '', ...wire }
}

const skip = siegeSkipReason()

t.test('URL files read like siege 4.0.7 reads them', { skip }, async (t) => {
  for (const testCase of cases) {
    t.test(testCase.name, async (t) => {
      const server = await startRawServer()
      t.teardown(() => server.close())
      const dir = tempDir(t)
      bodyFixtures(dir)
      const origin = `http://127.0.0.1:${server.port}`
      const text = testCase.lines.map((line) => line.replaceAll('{origin}', origin).replaceAll('{port}', String(server.port))).join(testCase.lineEnding ?? '\n') + (testCase.lineEnding ?? '\n')
      const urlFile = join(dir, 'urls.txt')
      writeFileSync(urlFile, text)

      const warnings: string[] = []
      const { entries } = readUrlFile(urlFile, { env: ENV, contentType: testCase.contentType, warn: (message) => warnings.push(message) })
      t.match(warnings, testCase.warnings ?? [], 'warnings')
      t.equal(warnings.length, testCase.warnings?.length ?? 0, 'no other warnings', { warnings })
      const siege = await runSiege(dir, urlFile, entries.length, testCase.contentType ? ['-T', testCase.contentType] : [])
      t.equal(siege.code, 0, 'siege exits 0', { output: siege.output })
      t.equal(server.requests.length, entries.length, 'siege sent one request per line', { output: siege.output })

      entries.forEach((entry, index) => {
        const sent = server.requests[index]
        const ours = wireOfEntry(entry)
        if (sent === undefined) return
        const deviation = testCase.deviations?.[index]
        if (deviation) {
          t.same(wireOf(sent), withBody(deviation.siege), `line ${entry.line}, siege: ${deviation.policy}`)
          t.same(ours, withBody(deviation.memsiege), `line ${entry.line}, memsiege: ${deviation.policy}`)
        } else {
          t.same(ours, wireOf(sent), `line ${entry.line}: ${testCase.lines[entry.line - 1]}`)
        }
      })
    })
  }

  t.test('a line longer than siege\'s 40,000-byte buffer: siege drops it, memsiege keeps it', async (t) => {
    const server = await startRawServer()
    t.teardown(() => server.close())
    const dir = tempDir(t)
    const origin = `http://127.0.0.1:${server.port}`
    const urlFile = join(dir, 'urls.txt')
    writeFileSync(urlFile, `${origin}/before\n${origin}/long POST ${'x'.repeat(45_000)}\n${origin}/after\n`)
    const warnings: string[] = []
    const { entries } = readUrlFile(urlFile, { env: ENV, warn: (message) => warnings.push(message) })
    t.same(entries.map((entry) => [entry.method, new URL(entry.url).pathname, entry.body?.length]), [
      ['GET', '/before', undefined],
      ['POST', '/long', 45_000],
      ['GET', '/after', undefined]
    ])
    t.match(warnings, [/urls\.txt:2: line is longer than siege's 40000-byte buffer/])
    const siege = await runSiege(dir, urlFile, entries.length)
    t.equal(siege.code, 0, 'siege exits 0', { output: siege.output })
    // siege's list is two lines long, so its third request wraps around to the first.
    t.same(server.requests.map((request) => request.target), ['/before', '/after', '/before'])
  })
})

t.test('the raw server records requests as they arrive', async (t) => {
  const server = await startRawServer({ respond: (request) => ({ status: request.target === '/missing' ? 404 : 200, body: 'hello' }) })
  t.teardown(() => server.close())
  const socket = connect(server.port, '127.0.0.1')
  let received = ''
  socket.on('data', (chunk: Buffer) => { received += chunk.toString('latin1') })
  // Pipelined on one keep-alive connection; the last request closes it.
  socket.end([
    'POST /sized HTTP/1.1\r\nHost: x\r\nX-Case: Kept\r\nContent-Length: 3\r\n\r\na=1',
    'PUT /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n',
    'HEAD /missing HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
  ].join(''))
  await once(socket, 'close')
  t.same(server.requests.map((r) => [r.method, r.target, r.version, r.body.toString()]), [
    ['POST', '/sized', 'HTTP/1.1', 'a=1'],
    ['PUT', '/chunked', 'HTTP/1.1', 'abc'],
    ['HEAD', '/missing', 'HTTP/1.1', ''],
    ['GET', '/a b', 'HTTP/1.1', '']
  ])
  t.same(server.requests[0].headers, [['Host', 'x'], ['X-Case', 'Kept'], ['Content-Length', '3']])
  t.equal(received.match(/HTTP\/1\.1 200 OK/g)?.length, 3)
  t.match(received, /HTTP\/1\.1 404 Not Found\r\n[^]*?Content-Length: 5\r\nConnection: keep-alive\r\n\r\nHTTP/, 'HEAD gets headers only')
  t.match(received, /Connection: close\r\n\r\nhello$/)
})
