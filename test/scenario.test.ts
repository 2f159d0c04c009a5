import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { loadScenario, parseScenario, type ScenarioOverrides } from '../src/scenario/load.js'
import type { Scenario } from '../src/scenario/types.js'
import { ConfigError } from '../src/errors.js'

const URLS = 'http://127.0.0.1:8000/api/Ping\nhttp://127.0.0.1:8000/api/Items POST {"a":1}\n'
/** Lines relative to the scenario's target url. */
const REL_URLS = '/api/Ping\n/api/Items POST {"a":1}\n'

/** A scenario file (and a urls.txt beside it) in a fresh folder. */
function scenarioFile (t: Tap, yaml: string, files: Record<string, string | Record<string, string>> = {}, name = 'scenario.yml'): string {
  const dir = t.testdir({ 'urls.txt': URLS, ...files, [name]: yaml })
  return join(dir, name)
}

type Tap = Test

function load (t: Tap, yaml: string, overrides?: ScenarioOverrides, files?: Record<string, string | Record<string, string>>): Scenario {
  return loadScenario(scenarioFile(t, yaml, files), overrides, () => {})
}

/** The ConfigError `fn` throws. */
function configError (fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

/** The message loading `yaml` fails with, the scenario's path replaced by `F`. */
function failure (t: Tap, yaml: string, files?: Record<string, string | Record<string, string>>, overrides?: ScenarioOverrides): string {
  const file = scenarioFile(t, yaml, files)
  const error = configError(() => loadScenario(file, overrides, () => {}))
  t.notMatch(error.message, /\n/, 'one line')
  return error.message.split(file).join('F').split(join(file, '..')).join('D')
}

t.test('a minimal scenario gets every default', async (t) => {
  const file = scenarioFile(t, 'target:\n  url: http://127.0.0.1:8000\nurls: urls.txt\n', { 'urls.txt': REL_URLS }, 'my-app.yml')
  const s = loadScenario(file, {}, () => {})
  t.equal(s.name, 'my-app')
  t.equal(s.file, file)
  t.same(s.target, { url: 'http://127.0.0.1:8000', insecure: false, readyTimeout: 30, tree: true })
  t.equal(s.urls.file, join(file, '..', 'urls.txt'))
  t.equal(s.urls.text, REL_URLS)
  t.same(
    s.urls.entries.map((e) => [e.line, e.method, e.url]),
    [
      [1, 'GET', 'http://127.0.0.1:8000/api/Ping'],
      [2, 'POST', 'http://127.0.0.1:8000/api/Items'],
    ]
  )
  t.equal(s.urls.entries[0].source, s.urls.file)
  t.equal(s.concurrency, 1)
  t.same(s.stop, { kind: 'forever' })
  t.equal(s.delay, 0)
  t.equal(s.order, 'sequential')
  t.same(s.headers, [])
  t.equal(s.timeout, 30)
  t.equal(s.methodOverride, undefined)
  t.equal(s.follow, true)
  t.equal(s.cookies, true)
  t.same(s.sample, { interval: 1, pssInterval: 30 })
  t.equal(s.out, undefined)
  t.notOk('gc' in s.sample)
})

t.test('every key', async (t) => {
  const yaml = `
name: flex
target:
  url: https://127.0.0.1:8443/app/
  insecure: true
  command: "puma -b tcp://127.0.0.1:8000 config.ru"
  cwd: ../app
  env: { RUBY_GC_HEAP_INIT_SLOTS: 10000, RACK_ENV: production, RATIO: 1.50 }
  ready: /api/Ping
  readyTimeout: 1m
  tree: false
urls: urls.txt
concurrency: 25
requests: 100000
delay: 500ms
order: random
headers:
  Authorization: "Bearer x"
  X-Tenant: acme
  accept: application/json
contentType: application/json
userAgent: "memsiege/test"
timeout: 1.5m
methodOverride:
  header: X-HTTP-Method-Override
follow: false
cookies: false
out: results/x
sample:
  interval: 2s
  pssInterval: 1m
  gc:
    url: /__memsiege/gc
    interval: 10
    format: prometheus
    metrics: [ruby_gc_count, ruby_heap_live_slots]
analysis:
  warmup: 20%
  maxGrowth: 2KB/request
`
  const dir = t.testdir({ scenarios: { 'flex.yml': yaml, 'urls.txt': REL_URLS }, app: {} })
  const s = loadScenario(join(dir, 'scenarios', 'flex.yml'), {}, () => {})
  t.equal(s.name, 'flex')
  t.same(s.target, {
    url: 'https://127.0.0.1:8443/app/',
    insecure: true,
    command: 'puma -b tcp://127.0.0.1:8000 config.ru',
    cwd: join(dir, 'app'),
    env: { RUBY_GC_HEAP_INIT_SLOTS: '10000', RACK_ENV: 'production', RATIO: '1.50' },
    ready: '/api/Ping',
    readyTimeout: 60,
    tree: false,
  })
  t.equal(s.concurrency, 25)
  t.same(s.stop, { kind: 'requests', count: 100000 })
  t.equal(s.delay, 0.5)
  t.equal(s.order, 'random')
  t.same(s.headers, [
    ['Authorization', 'Bearer x'],
    ['X-Tenant', 'acme'],
    ['accept', 'application/json'],
    ['User-Agent', 'memsiege/test'],
  ])
  t.equal(s.timeout, 90)
  t.same(s.methodOverride, { header: 'X-HTTP-Method-Override' })
  t.equal(s.follow, false)
  t.equal(s.cookies, false)
  t.equal(s.out, 'results/x')
  t.same(s.sample, {
    interval: 2,
    pssInterval: 60,
    gc: { url: '/__memsiege/gc', interval: 10, format: 'prometheus', metrics: ['ruby_gc_count', 'ruby_heap_live_slots'] },
  })
  const post = s.urls.entries[1]
  t.equal(post.url, 'https://127.0.0.1:8443/api/Items', 'relative lines resolve against target.url')
  t.equal(post.contentType, 'application/json', 'contentType reaches the URL list')
  t.equal(post.body?.toString(), '{"a":1}')
})

t.test('stop conditions', async (t) => {
  t.same(load(t, 'urls: urls.txt\nduration: 10m\n').stop, { kind: 'duration', seconds: 600 })
  t.same(load(t, 'urls: urls.txt\nduration: 90\n').stop, { kind: 'duration', seconds: 90 }, 'bare number: seconds')
  t.same(load(t, 'urls: urls.txt\nrequests: 5\n').stop, { kind: 'requests', count: 5 })
  t.same(load(t, 'urls: urls.txt\npasses: 2\n').stop, { kind: 'passes', count: 2 })
  t.same(load(t, 'urls: urls.txt\n').stop, { kind: 'forever' })
  t.equal(failure(t, 'urls: urls.txt\nduration: 10m\nrequests: 5\n'), 'F:3:1: conflicting stop conditions: duration and requests')
  t.equal(failure(t, 'urls: urls.txt\npasses: 1\nrequests: 5\nduration: 1h\n'), 'F:3:1: conflicting stop conditions: passes, requests and duration')
  t.equal(failure(t, 'urls: urls.txt\nduration: 0\n'), 'F:2:11: duration: must be more than 0')
  t.equal(failure(t, 'urls: urls.txt\nrequests: 0\n'), 'F:2:11: requests: must be at least 1, got 0')
  t.equal(failure(t, 'urls: urls.txt\npasses: -2\n'), 'F:2:9: passes: must be at least 1, got -2')
})

t.test('malformed YAML: line and column', async (t) => {
  t.equal(
    failure(t, 'urls: urls.txt\nconcurrency: [1, 2\n'),
    'F:3:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]'
  )
  t.equal(failure(t, 'urls: urls.txt\nname: "flex\n'), 'F:3:1: YAML syntax error: Missing closing "quote')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n\turl: http://127.0.0.1:8000\n'), 'F:3:1: YAML syntax error: Tabs are not allowed as indentation')
  t.equal(failure(t, 'urls: urls.txt\nconcurrency: 2\nconcurrency: 3\n'), 'F:3:1: YAML syntax error: Map keys must be unique')
  t.equal(failure(t, 'urls: urls.txt\n---\nconcurrency: 3\n'), 'F:2:1: YAML syntax error: Source contains multiple documents; please use YAML.parseAllDocuments()')
  t.match(failure(t, 'urls: urls.txt\n  concurrency: 2\n'), /^F:1:7: YAML syntax error: \S.*$/)
})

t.test('the file itself', async (t) => {
  const dir = t.testdir({})
  t.equal(configError(() => loadScenario(join(dir, 'nope.yml'))).message, `scenario file not found: ${join(dir, 'nope.yml')}`)
  t.equal(configError(() => loadScenario(dir)).message, `scenario file is a directory: ${dir}`)
  t.equal(failure(t, ''), 'F:1:1: scenario is empty: it needs at least "urls"')
  t.equal(failure(t, '# just a comment\n'), 'F:1:1: scenario is empty: it needs at least "urls"')
  t.equal(failure(t, '- urls.txt\n'), 'F:1:1: expected a mapping of scenario keys at the top level, got a list')
  t.equal(failure(t, 'concurrency: 3\n'), 'F:1:1: missing required key "urls"')
})

t.test('unknown keys, with what was meant', async (t) => {
  t.equal(failure(t, 'urls: urls.txt\nconcurency: 3\n'), 'F:2:1: unknown key "concurency" (did you mean "concurrency"?)')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  prot: 8000\n'), 'F:3:3: unknown key "prot" in target (did you mean "port"?)')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  ready_timeout: 3\n'), 'F:3:3: unknown key "ready_timeout" in target (did you mean "readyTimeout"?)')
  t.equal(failure(t, 'urls: urls.txt\nContentType: text/plain\n'), 'F:2:1: unknown key "ContentType" (did you mean "contentType"?)')
  t.equal(failure(t, 'urls: urls.txt\nconcurrent: 3\n'), 'F:2:1: unknown key "concurrent" (did you mean "concurrency"?)', "siege's name")
  t.equal(failure(t, 'urls: urls.txt\ntime: 10m\n'), 'F:2:1: unknown key "time" (did you mean "duration"?)')
  t.equal(failure(t, 'urls: urls.txt\nport: 8000\n'), 'F:2:1: unknown key "port" (it belongs under "target")')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  concurrency: 3\n'), 'F:3:3: unknown key "concurrency" in target (it belongs at the top level)')
  t.equal(failure(t, 'url: urls.txt\n'), 'F:1:1: unknown key "url" (did you mean "urls", or "url" under "target"?)')
  t.equal(failure(t, 'urls: urls.txt\nsample:\n  gc:\n    url: /gc\n    intervall: 5\n'), 'F:5:5: unknown key "intervall" in sample.gc (did you mean "interval"?)')
  t.equal(failure(t, 'urls: urls.txt\nmethodOverride:\n  headr: X-M\n'), 'F:3:3: unknown key "headr" in methodOverride (did you mean "header"?)')
  t.equal(
    failure(t, 'urls: urls.txt\nzzzzzz: 1\n'),
    'F:2:1: unknown key "zzzzzz"; expected one of name, target, targets, lockstep, urls, concurrency, duration, requests, passes, delay, order, headers, contentType, userAgent, timeout, methodOverride, follow, cookies, findSource, transport, workers, rate, maxInFlight, out, untilDecided, maxExtension, sample, bisect, analysis, stubs'
  )
  t.equal(failure(t, 'urls: urls.txt\n[a]: 1\n'), 'F:2:1: scenario: keys must be plain names, got a list')
})

t.test('wrong types', async (t) => {
  const cases: Array<[string, string]> = [
    ['concurrency: three', 'F:2:14: concurrency: expected an integer, got a string ("three")'],
    ['concurrency: 2.5', 'F:2:14: concurrency: expected an integer, got a number (2.5)'],
    ['concurrency: "3"', 'F:2:14: concurrency: expected an integer, got a string ("3")'],
    ['concurrency:', 'F:2:1: concurrency: expected an integer, got nothing'],
    ['name: 2024', 'F:2:7: name: expected a string, got a number (2024); quote it to make it a string'],
    ['follow: yes', 'F:2:9: follow: expected true or false, got a string ("yes"); write true or false without quotes'],
    ['cookies: 1', 'F:2:10: cookies: expected true or false, got a number (1)'],
    ['order: randon', 'F:2:8: order: expected "sequential" or "random", got "randon" (did you mean "random"?)'],
    ['order: 1', 'F:2:8: order: expected "sequential" or "random", got a number (1)'],
    ['target: http://127.0.0.1:8000', 'F:2:9: target: expected a mapping, got a string ("http://127.0.0.1:8000")'],
    ['headers: [a, b]', 'F:2:10: headers: expected a mapping of names to values, got a list'],
    ['timeout: [1]', 'F:2:10: timeout: expected a duration such as 30s, 10m or 1.5h, got a list'],
    ['methodOverride: 3', 'F:2:17: methodOverride: expected true or false or a mapping, got a number (3)'],
    ['analysis: 3', 'F:2:11: analysis: expected a mapping, got a number (3)'],
    ['sample:\n  gc:\n    url: /gc\n    format: prometeus', 'F:5:13: sample.gc.format: expected "auto", "json" or "prometheus", got "prometeus" (did you mean "prometheus"?)'],
    ['sample:\n  gc:\n    url: http://127.0.0.1:8000/gc\n    metrics: [1]', 'F:5:15: sample.gc.metrics item 1: expected a string, got a number (1); quote it to make it a string'],
    ['sample:\n  gc:\n    url: http://127.0.0.1:8000/gc\n    metrics: []', 'F:5:14: sample.gc.metrics: empty list'],
  ]
  for (const [yaml, message] of cases) t.equal(failure(t, `urls: urls.txt\n${yaml}\n`), message, yaml)
})

t.test('numbers: limits and negatives', async (t) => {
  t.equal(load(t, 'urls: urls.txt\nconcurrency: 10000\n').concurrency, 10000)
  t.equal(failure(t, 'urls: urls.txt\nconcurrency: 10001\n'), 'F:2:14: concurrency: must be at most 10000, got 10001')
  t.equal(failure(t, 'urls: urls.txt\nconcurrency: 0\n'), 'F:2:14: concurrency: must be at least 1, got 0')
  t.equal(failure(t, 'urls: urls.txt\nconcurrency: -1\n'), 'F:2:14: concurrency: must be at least 1, got -1')
  t.equal(failure(t, 'urls: urls.txt\ndelay: -1\n'), 'F:2:8: delay: bad duration -1: negative')
  t.equal(failure(t, 'urls: urls.txt\ntimeout: -30s\n'), 'F:2:10: timeout: bad duration "-30s": negative')
  t.equal(failure(t, 'urls: urls.txt\ntimeout: 0\n'), 'F:2:10: timeout: must be more than 0')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  port: -5\n'), 'F:3:9: target.port: must be at least 1, got -5')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  port: 70000\n'), 'F:3:9: target.port: must be at most 65535, got 70000')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  pid: 0\n'), 'F:3:8: target.pid: must be at least 1, got 0')
  t.equal(failure(t, 'urls: urls.txt\nsample:\n  interval: 0\n'), 'F:3:13: sample.interval: must be more than 0')
  t.equal(load(t, 'urls: urls.txt\ndelay: 0\n').delay, 0, 'no think time is fine')
})

t.test('durations', async (t) => {
  t.equal(failure(t, 'urls: urls.txt\nduration: 10x\n'), 'F:2:11: duration: bad duration "10x": unknown unit "x" (use ms, s, m, h or d)')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  command: x\n  ready: /p\n  readyTimeout: soon\n'), 'F:5:17: target.readyTimeout: bad duration "soon": expected a number and a unit such as 30s, 10m, 8h or 500ms')
  const s = load(t, 'urls: urls.txt\nduration: 1.5m\ndelay: 0.25\ntimeout: 500ms\nsample:\n  interval: 1S\n  pssInterval: 2M\n')
  t.same(s.stop, { kind: 'duration', seconds: 90 })
  t.equal(s.delay, 0.25)
  t.equal(s.timeout, 0.5)
  t.same(s.sample, { interval: 1, pssInterval: 120 })
  t.same(load(t, 'urls: urls.txt\nduration: 8h\n').stop, { kind: 'duration', seconds: 28800 })
})

t.test('target', async (t) => {
  t.equal(
    failure(t, 'urls: urls.txt\ntarget:\n  url: ftp://127.0.0.1/\n'),
    'F:3:8: target.url: unsupported scheme "ftp" in "ftp://127.0.0.1/"; expected http or https'
  )
  t.equal(
    failure(t, 'urls: urls.txt\ntarget:\n  url: 127.0.0.1:8000\n'),
    'F:3:8: target.url: "127.0.0.1:8000" is not a URL; expected a URL such as http://127.0.0.1:8000/'
  )
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  port: 8000\n  pid: 12\n'), 'F:4:3: target: give only one of port, pid or command (got port and pid)')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  command: puma\n  port: 8000\n'), 'F:4:3: target: give only one of port, pid or command (got command and port)')
  t.equal(
    failure(t, 'urls: urls.txt\ntarget:\n  url: http://127.0.0.1:8000\n  port: 8000\n  ready: /ping\n'),
    'F:5:3: target.ready is only used with target.command'
  )
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  cwd: app\n'), 'F:3:3: target.cwd is only used with target.command')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  env: { A: b }\n'), 'F:3:3: target.env is only used with target.command')
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  command: x\n  readyTimeout: 5\n'), 'F:4:3: target.readyTimeout is only used with target.ready')
  t.equal(
    failure(t, 'urls: urls.txt\ntarget:\n  command: x\n  ready: /ping\n'),
    'F:4:10: target.ready "/ping" is a path, so target.url must be set (or give an absolute URL)'
  )
  t.equal(
    failure(t, 'urls: urls.txt\ntarget:\n  command: x\n  ready: ping\n'),
    'F:4:10: target.ready: "ping" is not a URL; expected a URL such as http://127.0.0.1:8000/ (or a path starting with /)'
  )
  t.equal(load(t, 'urls: urls.txt\ntarget:\n  command: x\n  ready: http://127.0.0.1:8000/ping\n').target.ready, 'http://127.0.0.1:8000/ping')
  t.equal(load(t, 'urls: urls.txt\ntarget:\n  pid: 4242\n').target.pid, 4242)
  t.equal(load(t, 'urls: urls.txt\ntarget:\n  port: 8000\n').target.port, 8000)
  t.equal(failure(t, 'urls: urls.txt\ntarget:\n  command: ""\n'), 'F:3:12: target.command: must not be empty')
  t.equal(
    failure(t, 'urls: urls.txt\ntarget:\n  command: x\n  env:\n    A: true\n'),
    'F:5:8: target.env.A: expected a string or a number, got true; quote it to make it a string'
  )
  t.same(load(t, 'urls: urls.txt\ntarget:\n  command: x\n  env: { A: "1", B: 2 }\n').target.env, { A: '1', B: '2' })
})

t.test('target.cwd resolves against the scenario folder', async (t) => {
  const dir = t.testdir({
    app: {},
    ops: { scenarios: { 'a.yml': 'urls: urls.txt\ntarget:\n  command: puma\n  cwd: ../../app\n', 'urls.txt': URLS }, srv: {} },
  })
  const cwd = process.cwd()
  t.equal(loadScenario(join(dir, 'ops', 'scenarios', 'a.yml')).target.cwd, join(dir, 'app'))
  const rel = relative(cwd, join(dir, 'ops', 'scenarios', 'a.yml'))
  t.equal(loadScenario(rel).target.cwd, join(dir, 'app'), 'also when the scenario is named relative to the current directory')
  writeFileSync(join(dir, 'ops', 'scenarios', 'b.yml'), `urls: urls.txt\ntarget:\n  command: puma\n  cwd: ${join(dir, 'ops', 'srv')}\n`)
  t.equal(loadScenario(join(dir, 'ops', 'scenarios', 'b.yml')).target.cwd, join(dir, 'ops', 'srv'), 'absolute stays')
  writeFileSync(join(dir, 'ops', 'scenarios', 'c.yml'), 'urls: urls.txt\ntarget:\n  command: puma\n  cwd: nothere\n')
  t.equal(
    configError(() => loadScenario(join(dir, 'ops', 'scenarios', 'c.yml'))).message,
    `${join(dir, 'ops', 'scenarios', 'c.yml')}:4:8: target.cwd: no such directory: ${join(dir, 'ops', 'scenarios', 'nothere')}`
  )
})

t.test('headers, userAgent and methodOverride', async (t) => {
  t.equal(failure(t, 'urls: urls.txt\nheaders:\n  "Bad Name": x\n'), 'F:3:3: headers: "Bad Name" is not a valid header name (letters, digits and !#$%&\'*+.^_`|~- only)')
  t.equal(failure(t, 'urls: urls.txt\nheaders:\n  "X-A:": x\n'), 'F:3:3: headers: "X-A:" is not a valid header name (letters, digits and !#$%&\'*+.^_`|~- only)')
  t.equal(failure(t, 'urls: urls.txt\nheaders:\n  X-N: 3\n'), 'F:3:8: headers.X-N: expected a string, got a number (3); quote it to make it a string')
  t.equal(failure(t, 'urls: urls.txt\nheaders:\n  X-N: "a\\r\\nX-Evil: 1"\n'), 'F:3:8: headers.X-N: must not contain a line break')
  t.equal(failure(t, 'urls: urls.txt\nuserAgent: x\nheaders:\n  user-agent: y\n'), 'F:2:12: userAgent conflicts with headers.user-agent; give one of them')
  t.same(load(t, 'urls: urls.txt\nuserAgent: ua/1\n').headers, [['User-Agent', 'ua/1']])
  t.same(load(t, 'urls: urls.txt\nmethodOverride: true\n').methodOverride, { header: 'X-Method' })
  t.same(load(t, 'urls: urls.txt\nmethodOverride: {}\n').methodOverride, { header: 'X-Method' })
  t.same(load(t, 'urls: urls.txt\nmethodOverride:\n  header: X-HTTP-Method\n').methodOverride, { header: 'X-HTTP-Method' })
  t.equal(load(t, 'urls: urls.txt\nmethodOverride: false\n').methodOverride, undefined)
  t.equal(failure(t, 'urls: urls.txt\nmethodOverride:\n  header: "X Method"\n'), 'F:3:11: methodOverride.header: "X Method" is not a valid header name (letters, digits and !#$%&\'*+.^_`|~- only)')
  t.equal(failure(t, 'urls: urls.txt\ncontentType: json\n'), 'F:2:14: contentType: "json" is not a media type such as application/json')
  t.equal(load(t, 'urls: urls.txt\ncontentType: "application/json; charset=utf-8"\n').urls.entries[1].contentType, 'application/json; charset=utf-8')
})

t.test('sample and gc', async (t) => {
  const s = load(t, 'urls: urls.txt\ntarget:\n  url: http://127.0.0.1:8000\nsample:\n  gc:\n    url: /__memsiege/gc\n')
  t.same(s.sample, { interval: 1, pssInterval: 30, gc: { url: '/__memsiege/gc', interval: 5, format: 'auto' } })
  t.equal(failure(t, 'urls: urls.txt\nsample:\n  gc:\n    interval: 3\n'), 'F:3:3: missing required key "url" in sample.gc')
  t.equal(
    failure(t, 'urls: urls.txt\nsample:\n  gc:\n    url: /gc\n'),
    'F:4:10: sample.gc.url "/gc" is a path, so target.url must be set (or give an absolute URL)'
  )
  t.equal(
    failure(t, 'urls: urls.txt\ntarget:\n  url: http://127.0.0.1:8000\nsample:\n  gc:\n    url: /gc\n    format: json\n    metrics: [a]\n'),
    'F:8:14: sample.gc.metrics is only used with format prometheus (or auto)'
  )
  t.same(load(t, 'urls: urls.txt\nsample:\n  gc: { url: "http://127.0.0.1:9394/metrics", metrics: [a] }\n').sample.gc, {
    url: 'http://127.0.0.1:9394/metrics',
    interval: 5,
    format: 'auto',
    metrics: ['a'],
  })
})

t.test('analysis is checked (test/analysis-scenario.test.ts has the details)', async (t) => {
  t.same(load(t, 'urls: urls.txt\nanalysis:\n  warmup: 20%\n').analysis, { warmup: '20%' })
  t.equal(failure(t, 'urls: urls.txt\nanalysis:\n  whatever: 1\n'), 'F:3:3: unknown key "whatever" in analysis; expected one of warmup, metrics, columns, maxGrowth, failOn')
})

t.test('name', async (t) => {
  t.equal(load(t, 'name: checkout\nurls: urls.txt\n').name, 'checkout')
  t.equal(failure(t, 'name: a/b\nurls: urls.txt\n'), 'F:1:7: name: "a/b" must not contain slashes or be . or ..')
  t.equal(failure(t, 'name: ""\nurls: urls.txt\n'), 'F:1:7: name: must not be empty')
})

t.test('the URL file', async (t) => {
  t.equal(failure(t, 'urls: nope.txt\n'), 'F:1:7: urls: URL file not found: "nope.txt" (D/nope.txt)')
  t.equal(failure(t, 'target:\n  url: http://127.0.0.1:8000\nurls: lists/nope.txt\n'), 'F:3:7: urls: URL file not found: "lists/nope.txt" (D/lists/nope.txt)')
  t.equal(failure(t, 'urls: lists\n', { lists: { 'a.txt': URLS } }), 'F:1:7: urls: URL file "lists" (D/lists) is not a file')
  t.equal(failure(t, 'urls: empty.txt\n', { 'empty.txt': '# nothing yet\n\n' }), 'F:1:7: urls: URL file "empty.txt" (D/empty.txt) has no URLs')
  t.equal(failure(t, 'urls: ""\n'), 'F:1:7: urls: must not be empty')
  t.equal(failure(t, 'urls: 3\n'), 'F:1:7: urls: expected a string or a list, got a number (3); quote it to make it a string')

  // Relative to the scenario's folder, not the current directory.
  const dir = t.testdir({ deep: { 'a.yml': 'urls: ../lists/urls.txt\n' }, lists: { 'urls.txt': 'http://127.0.0.1:8000/x\n' } })
  const s = loadScenario(join(dir, 'deep', 'a.yml'))
  t.equal(s.urls.file, join(dir, 'lists', 'urls.txt'))
  t.same(s.urls.entries.map((e) => e.url), ['http://127.0.0.1:8000/x'])

  // Absolute paths are taken as they are.
  const abs = join(dir, 'lists', 'urls.txt')
  writeFileSync(join(dir, 'deep', 'b.yml'), `urls: ${abs}\n`)
  t.equal(loadScenario(join(dir, 'deep', 'b.yml')).urls.file, abs)

  // A mistake inside the URL file is reported there.
  mkdirSync(join(dir, 'bad'))
  writeFileSync(join(dir, 'bad', 'urls.txt'), '# one\n/relative/without/base\n')
  writeFileSync(join(dir, 'bad', 'a.yml'), 'urls: urls.txt\n')
  t.match(configError(() => loadScenario(join(dir, 'bad', 'a.yml'))).message, `${join(dir, 'bad', 'urls.txt')}:2:`)
})

t.test('an inline list of lines', async (t) => {
  const yaml = [
    'target:', //                                   1
    '  url: http://127.0.0.1:8000', //               2
    'contentType: application/json', //              3
    'urls:', //                                      4
    '  - /api/Ping', //                              5
    '  # a comment in YAML', //                      6
    '  - ID=7', //                                   7
    '  - /api/Items/$(ID)', //                       8
    '  - \'/api/Items POST {"a": 1}\'', //           9
    '  - /api/Items/$(ID) PUT <body.json', //        10
    '  - http://127.0.0.1:9000/other', //            11
  ].join('\n')
  const file = scenarioFile(t, yaml + '\n', { 'body.json': '{"from":"file"}' })
  const s = loadScenario(file)
  t.equal(s.urls.file, undefined)
  t.equal(s.urls.text, '/api/Ping\nID=7\n/api/Items/$(ID)\n/api/Items POST {"a": 1}\n/api/Items/$(ID) PUT <body.json\nhttp://127.0.0.1:9000/other\n')
  t.same(
    s.urls.entries.map((e) => [e.source, e.line, e.method, e.url, e.body?.toString()]),
    [
      [file, 5, 'GET', 'http://127.0.0.1:8000/api/Ping', undefined],
      [file, 8, 'GET', 'http://127.0.0.1:8000/api/Items/7', undefined],
      [file, 9, 'POST', 'http://127.0.0.1:8000/api/Items', '{"a": 1}'],
      [file, 10, 'PUT', 'http://127.0.0.1:8000/api/Items/7', '{"from":"file"}'],
      [file, 11, 'GET', 'http://127.0.0.1:9000/other', undefined],
    ],
    'line numbers point into the scenario; bodies are found next to it'
  )
  t.equal(s.urls.entries[2].contentType, 'application/json')

  // A mistake in a line is reported at its line in the scenario.
  const bad = failure(t, 'urls:\n  - http://127.0.0.1:8000/ok\n  - /relative/without/base\n')
  t.match(bad, /^F:3: /)

  t.equal(failure(t, 'urls: []\n'), 'F:1:7: urls: empty list')
  t.equal(failure(t, 'urls:\n  - "# only a comment"\n'), 'F:2:3: urls: the inline list has no URLs')
  t.equal(
    failure(t, 'urls:\n  - http://127.0.0.1:8000/a POST {"a": 1}\n'),
    'F:2:5: urls item 1: expected a string, got a mapping; quote URL-list lines that contain ": " or " #" or start with { or ['
  )
  t.equal(failure(t, 'urls:\n  - "http://127.0.0.1:8000/a\\nhttp://127.0.0.1:8000/b"\n'), 'F:2:5: urls item 1: a URL-list line must be one line')
})

t.test('an inline flow list is numbered under <file>:urls', async (t) => {
  const file = scenarioFile(t, 'urls: [http://127.0.0.1:8000/a, http://127.0.0.1:8000/b]\n')
  const s = loadScenario(file)
  t.same(s.urls.entries.map((e) => [e.source, e.line, e.url]), [
    [`${file}:urls`, 1, 'http://127.0.0.1:8000/a'],
    [`${file}:urls`, 2, 'http://127.0.0.1:8000/b'],
  ])
})

t.test('an inline literal block of lines', async (t) => {
  const yaml = [
    'target:', //                                   1
    '  url: http://127.0.0.1:8000', //               2
    'urls: |', //                                    3
    '  # siege format, as in a URL file', //         4
    '  /api/Ping', //                                5
    '', //                                           6
    '  /api/Items POST a=1', //                      7
    'concurrency: 2', //                             8
  ].join('\n')
  const file = scenarioFile(t, yaml + '\n')
  const s = loadScenario(file)
  t.equal(s.urls.file, undefined)
  t.equal(s.urls.text, '# siege format, as in a URL file\n/api/Ping\n\n/api/Items POST a=1\n')
  t.same(s.urls.entries.map((e) => [e.source, e.line, e.method, e.url]), [
    [file, 5, 'GET', 'http://127.0.0.1:8000/api/Ping'],
    [file, 7, 'POST', 'http://127.0.0.1:8000/api/Items'],
  ])
  t.equal(s.concurrency, 2)
  t.equal(
    failure(t, 'urls: >\n  http://127.0.0.1:8000/a\n  http://127.0.0.1:8000/b\n'),
    'F:1:7: urls: write several URL-list lines as a literal block ("urls: |" and the lines indented below it)'
  )
})

t.test('command-line overrides', async (t) => {
  const yaml = 'urls: urls.txt\nconcurrency: 3\nrequests: 100\nout: results/a\n'
  const plain = load(t, yaml)
  t.equal(plain.concurrency, 3)
  t.same(plain.stop, { kind: 'requests', count: 100 })

  const s = load(t, yaml, { concurrency: 50, out: 'results/b' })
  t.equal(s.concurrency, 50)
  t.equal(s.out, 'results/b')
  t.same(s.stop, { kind: 'requests', count: 100 }, 'untouched without a stop override')

  t.same(load(t, yaml, { duration: '30s' }).stop, { kind: 'duration', seconds: 30 }, 'an override stop condition replaces the scenario\'s')
  t.same(load(t, yaml, { duration: '10' }).stop, { kind: 'duration', seconds: 600 }, 'a bare number is minutes, as siege -t')
  t.same(load(t, yaml, { duration: '1H' }).stop, { kind: 'duration', seconds: 3600 })
  t.same(load(t, yaml, { passes: 2 }).stop, { kind: 'passes', count: 2 })
  t.same(load(t, 'urls: urls.txt\nduration: 5m\n', { requests: 7 }).stop, { kind: 'requests', count: 7 })
  t.same(load(t, 'urls: urls.txt\n', { requests: 7 }).stop, { kind: 'requests', count: 7 })
  t.equal(load(t, 'urls: urls.txt\n', { out: 'x' }).out, 'x')

  t.equal(configError(() => load(t, yaml, { duration: '10x' })).message, '--duration: bad duration "10x": unknown unit "x" (use ms, s, m, h or d)')
  t.equal(configError(() => load(t, yaml, { duration: '0' })).message, '--duration 0: must be more than 0')
  t.equal(configError(() => load(t, yaml, { concurrency: 0 })).message, '--concurrency: must be at least 1, got 0')
  t.equal(configError(() => load(t, yaml, { concurrency: 10001 })).message, '--concurrency: must be at most 10000, got 10001')
  t.equal(configError(() => load(t, yaml, { concurrency: 1.5 })).message, '--concurrency: must be a whole number, got 1.5')
  t.equal(configError(() => load(t, yaml, { requests: -1 })).message, '--requests: must be at least 1, got -1')
  t.equal(configError(() => load(t, yaml, { passes: 0 })).message, '--passes: must be at least 1, got 0')
  t.equal(configError(() => load(t, yaml, { out: ' ' })).message, 'out: must not be empty')
  t.equal(configError(() => load(t, yaml, { duration: '1m', requests: 5 })).message, 'conflicting stop conditions: duration and requests')

  // The file is still checked: a conflict in it is an error even when overridden.
  t.equal(failure(t, 'urls: urls.txt\nduration: 1m\nrequests: 5\n', {}, { duration: '5m' }), 'F:3:1: conflicting stop conditions: duration and requests')
})

t.test('warnings', async (t) => {
  const warnings: string[] = []
  const file = scenarioFile(t, 'urls: urls.txt\nconcurrency: !big 3\ntarget:\n  url: http://127.0.0.1:8000\n  insecure: true\n')
  t.equal(configError(() => loadScenario(file, {}, (m) => warnings.push(m))).message, `${file}:2:19: concurrency: expected an integer, got a string ("3")`)
  t.same(warnings, [`${file}:2:14: Unresolved tag: !big`])
  warnings.length = 0
  loadScenario(scenarioFile(t, 'urls: urls.txt\ntarget:\n  url: http://127.0.0.1:8000\n  insecure: true\n'), {}, (m) => warnings.push(m))
  t.match(warnings, [/:4:13: target\.insecure has no effect on an http: URL$/])
})

t.test('parseScenario reads YAML from memory', async (t) => {
  const dir = t.testdir({ 'urls.txt': REL_URLS })
  const s = parseScenario('urls: urls.txt\ntarget: { url: "http://127.0.0.1:8000" }\n', join(dir, 'mem.yml'))
  t.equal(s.name, 'mem')
  t.equal(s.urls.entries.length, 2)
  t.equal(configError(() => parseScenario('urls: urls.txt\nconcurency: 1\n', join(dir, 'mem.yml'))).message, `${join(dir, 'mem.yml')}:2:1: unknown key "concurency" (did you mean "concurrency"?)`)
})

t.test('the shipped example scenario', async (t) => {
  const file = fileURLToPath(new URL('../scenarios/flex.yml', import.meta.url))
  const warnings: string[] = []
  const s = loadScenario(file, {}, (m) => warnings.push(m))
  t.same(warnings, [])
  t.equal(s.name, 'flex')
  t.equal(s.target.url, 'http://127.0.0.1:8000')
  t.same(s.methodOverride, { header: 'X-Method' })
  t.ok(s.urls.entries.length >= 10)
  for (const e of s.urls.entries) t.match(e.url, /^http:\/\/127\.0\.0\.1:8000\//, `line ${e.line}`)
  t.ok(s.urls.entries.some((e) => e.method === 'PUT'))
  t.ok(s.urls.entries.some((e) => e.method === 'DELETE'))
})
