import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeGroups, endpointOf, groupEntries, groupWeights, matchesEndpoint } from '../src/bisect/groups.js'
import { trialScenario } from '../src/bisect/trial.js'
import { budgetLabel, buildTree, readBisectDocument, scaleBudget, trialKey, type BisectTrialRecord } from '../src/bisect/state.js'
import { formatSigned } from '../src/units/format.js'
import { checkRestartable, eventLine, trialBudget } from '../src/commands/bisect.js'
import { baselineGroup, cheapestGroups, extensionFactors, matchedFactors } from '../src/bisect/bisect.js'
import { parseScenario } from '../src/scenario/load.js'
import type { UrlEntry } from '../src/scenario/types.js'
import { testScenario } from './helpers/scenario.js'

const entry = (url: string, method = 'GET'): UrlEntry => ({ source: '<t>', line: 1, method, url })

t.test('endpoints: method and path, query ignored', async (t) => {
  t.equal(endpointOf(entry('http://h/api/Items?id=7')), 'GET /api/Items')
  t.equal(endpointOf(entry('http://h/api/Items', 'POST')), 'POST /api/Items')
  t.equal(endpointOf(entry('http://h:81/x'), true), 'GET http://h:81/x')
})

t.test('patterns', async (t) => {
  t.ok(matchesEndpoint('/api/Trello*', 'GET /api/TrelloBoards'))
  t.ok(matchesEndpoint('/api/Trello*', 'POST /api/Trello/cards/1'))
  t.notOk(matchesEndpoint('/api/Trello*', 'GET /api/Ping'))
  t.ok(matchesEndpoint('POST /api/*', 'POST /api/x'))
  t.notOk(matchesEndpoint('POST /api/*', 'GET /api/x'))
  t.ok(matchesEndpoint('get /api/?', 'GET /api/x'), 'method in any case')
  t.ok(matchesEndpoint('/a.b', 'GET /a.b'))
  t.notOk(matchesEndpoint('/a.b', 'GET /aXb'), 'dots are literal')
})

t.test('one group per endpoint, lines travel together, in list order', async (t) => {
  const entries = [entry('http://h/a?x=1'), entry('http://h/b'), entry('http://h/a?x=2'), entry('http://h/a', 'POST'), entry('http://h/c')]
  const groups = groupEntries(entries)
  t.same(groups.map((g) => [g.name, g.entries]), [['GET /a', [0, 2]], ['GET /b', [1]], ['POST /a', [3]], ['GET /c', [4]]])
  t.same(groupWeights(groups), [2, 1, 1, 1])
  t.equal(describeGroups(groups, [0, 1, 2, 3], 2), 'GET /a, GET /b and 2 more')
})

t.test('named groups first, the first match wins, leftovers are groups of their own', async (t) => {
  const entries = ['/api/Ping', '/api/TrelloBoards', '/api/Items', '/api/TrelloCards', '/api/Users'].map((p) => entry(`http://h${p}`))
  const warnings: string[] = []
  const groups = groupEntries(entries, [
    { name: 'trello', patterns: ['/api/Trello*'] },
    { name: 'mongo', patterns: ['/api/Items', '/api/Users', '/api/TrelloCards'] },
    { name: 'nothing', patterns: ['/nope'] }
  ], (m) => warnings.push(m))
  t.same(groups.map((g) => [g.name, g.endpoints]), [
    ['trello', ['GET /api/TrelloBoards', 'GET /api/TrelloCards']],
    ['mongo', ['GET /api/Items', 'GET /api/Users']],
    ['GET /api/Ping', ['GET /api/Ping']]
  ])
  t.match(warnings, [/bisect.groups.nothing: matches no endpoint/])
})

t.test('a trial scenario: the groups\' lines, in order, with the budget as stop condition', async (t) => {
  const scenario = testScenario(['http://h/a', 'http://h/b', 'http://h/a?x=2', 'http://h/c'], { concurrency: 3 })
  const groups = groupEntries(scenario.urls.entries)
  const trial = trialScenario(scenario, groups, [0, 2], { kind: 'requests', count: 500 }, '/tmp/x', 'test-bisect-02')
  t.same(trial.urls.entries.map((e) => e.url), ['http://h/a', 'http://h/a?x=2', 'http://h/c'])
  t.same(trial.stop, { kind: 'requests', count: 500 })
  t.equal(trial.concurrency, 3)
  t.equal(trial.out, '/tmp/x')
  t.match(trial.urls.text, /# groups: GET \/a, GET \/c\n/)
  const timed = trialScenario(scenario, groups, [1], { kind: 'duration', seconds: 90 }, '/tmp/y', 'n')
  t.same(timed.stop, { kind: 'duration', seconds: 90 })
})

t.test('budgets: flags, then bisect.trial, then the stop condition, then 3 minutes', async (t) => {
  const s = testScenario(['http://h/a', 'http://h/b'], { concurrency: 4, stop: { kind: 'passes', count: 10 } })
  t.same(trialBudget(s, { trial: '3m' }), { kind: 'duration', seconds: 180 })
  t.same(trialBudget(s, { trial: '2' }), { kind: 'duration', seconds: 120 }, 'bare number: minutes')
  t.same(trialBudget(s, { trialRequests: 30000 }), { kind: 'requests', count: 30000 })
  t.same(trialBudget(s, {}), { kind: 'requests', count: 80 }, 'passes × lines × users')
  t.same(trialBudget({ ...s, stop: { kind: 'duration', seconds: 20 } }, {}), { kind: 'duration', seconds: 20 })
  t.same(trialBudget({ ...s, stop: { kind: 'forever' } }, {}), { kind: 'duration', seconds: 180 })
  t.same(trialBudget({ ...s, bisect: { trial: { kind: 'requests', count: 9 } } }, {}), { kind: 'requests', count: 9 })
  t.throws(() => trialBudget(s, { trial: '3x' }), /--trial: /)
  t.throws(() => trialBudget(s, { trial: '3m', trialRequests: 5 }), /only one of/)
  t.equal(budgetLabel({ kind: 'requests', count: 30000 }), '30,000 requests')
  t.equal(budgetLabel({ kind: 'duration', seconds: 180 }), '3m')
  t.equal(budgetLabel({ kind: 'duration', seconds: 4.5 }), '4.5s')
  t.same(scaleBudget({ kind: 'duration', seconds: 4 }, 2), { kind: 'duration', seconds: 8 })
  t.equal(trialKey(['b', 'a'], { kind: 'duration', seconds: 4 }), 'a + b @ 4s')
})

t.test('the target must be restartable', async (t) => {
  const s = testScenario(['http://h/a'])
  t.throws(() => checkRestartable(s), /bisect needs a target it can restart for every trial: target.command .*, or target.restart with target.port/)
  t.throws(() => checkRestartable({ ...s, target: { ...s.target, port: 8000 } }), /bisect needs/)
  t.doesNotThrow(() => checkRestartable({ ...s, target: { ...s.target, command: 'x' } }))
  t.doesNotThrow(() => checkRestartable({ ...s, target: { ...s.target, port: 8000, restart: 'systemctl restart app' } }))
})

t.test('the bisect key in a scenario file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'memsiege-bisect-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'app.yml')
  writeFileSync(file, '')
  const parse = (text: string) => parseScenario(text, file, {}, () => {})
  const s = parse(`target: { url: "http://127.0.0.1:8000", port: 8000, restart: systemctl restart app }
urls: [/api/Ping, /api/TrelloBoards]
bisect:
  groups:
    trello: "/api/Trello*"
    mongo: [/api/Items, /api/Users]
  trial: 90s
`)
  t.same(s.bisect, { groups: [{ name: 'trello', patterns: ['/api/Trello*'] }, { name: 'mongo', patterns: ['/api/Items', '/api/Users'] }], trial: { kind: 'duration', seconds: 90 } })
  t.equal(s.target.restart, 'systemctl restart app')
  t.same(parse('urls: [/a]\ntarget: { url: "http://h" }\nbisect: { trialRequests: 500 }\n').bisect, { trial: { kind: 'requests', count: 500 } })
  t.throws(() => parse('urls: [/a]\ntarget: { url: "http://h" }\nbisect: { trial: 3m, trialRequests: 5 }\n'), /app.yml:3:\d+: bisect: give only one of trial and trialRequests/)
  t.throws(() => parse('urls: [/a]\ntarget: { url: "http://h", restart: "x" }\n'), /app.yml:2:\d+: .*restart.*port/)
  t.throws(() => parse('urls: [/a]\ntarget: { url: "http://h", command: "y", port: 1, restart: "x" }\n'), /give only one of port, pid or command/)
  t.throws(() => parse('urls: [/a]\ntarget: { url: "http://h" }\nbisect: { groups: { a: 3 } }\n'), /bisect.groups.a: expected a string or a list/)
  t.throws(() => parse('urls: [/a]\ntarget: { url: "http://h" }\nbisect: { group: {} }\n'), /unknown key "group" in bisect \(did you mean "groups"\?\)/)
  t.equal(parse('urls: [/a]\ntarget: { url: "http://h" }\n').bisect, undefined)
  t.same(parse('urls: [/a]\ntarget: { url: "http://h" }\nbisect: { baseline: /a, minShare: 25 }\n').bisect, { baseline: '/a', minShare: 0.25 })
  t.throws(() => parse('urls: [/a]\ntarget: { url: "http://h" }\nbisect: { minShare: 0 }\n'), /app.yml:3:\d+: .*minShare/)
  t.throws(() => parse('urls: [/a]\ntarget: { url: "http://h" }\nbisect: { minShare: 101 }\n'), /app.yml:3:\d+: .*minShare/)
  t.throws(() => parse('urls: [/a]\ntarget: { url: "http://h" }\nbisect: { baseline: "" }\n'), /app.yml:3:\d+: .*baseline/)
})

t.test('tree of nodes: trials attached, children under parents', async (t) => {
  const tree = buildTree([
    { key: '0,1', groups: [0, 1], role: 'control', state: 'leak' },
    { key: '0', groups: [0], parent: '0,1', role: 'half', state: 'clean' },
    { key: '1', groups: [1], parent: '0,1', role: 'verify', state: 'leak' }
  ], ['a', 'b'], [
    { n: 1, key: 'a + b @ 4s', status: 'done' },
    { n: 2, key: 'a @ 4s', status: 'done' },
    { n: 3, key: 'b @ 4s', status: 'interrupted' },
    { n: 4, key: 'b @ 4s', status: 'done' }
  ] as never)
  t.same(tree, {
    groups: ['a', 'b'],
    role: 'control',
    state: 'leak',
    trials: [1],
    children: [
      { groups: ['a'], role: 'half', state: 'clean', trials: [2], children: [] },
      { groups: ['b'], role: 'verify', state: 'leak', trials: [4], children: [] }
    ]
  })
})

t.test('--resume needs a bisect folder', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'memsiege-bisect-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  t.throws(() => readBisectDocument(dir), /--resume: .* has no bisect.json: not a bisect folder/)
  writeFileSync(join(dir, 'bisect.json'), '{"kind":"other"}')
  t.throws(() => readBisectDocument(dir), /is not a memsiege bisect state/)
  writeFileSync(join(dir, 'bisect.json'), '{')
  t.throws(() => readBisectDocument(dir), /is not JSON/)
})

t.test('progress lines', async (t) => {
  const groups = groupEntries(['/a', '/b', '/c', '/d', '/e'].map((p) => entry(`http://h${p}`)))
  const trial: BisectTrialRecord = { n: 2, key: '', role: 'half', groups: ['GET /a', 'GET /b', 'GET /c', 'GET /d'], question: '', budget: { kind: 'duration', seconds: 4 }, dir: '02-half', started_at: '', status: 'running' }
  t.equal(eventLine({ type: 'trial-started', trial: { ...trial }, expectedLeft: 3 }, groups), '  #2 half: GET /a, GET /b, GET /c and 1 more (4 groups), 4s: running; about 2 more after it')
  t.equal(eventLine({ type: 'trial-done', trial: { ...trial, status: 'done', verdict: 'leak', per_request: { value: 20480, low: 0, high: 0, level: 0.95 }, unit: 'bytes', requests: 12345, elapsed_s: 4.02 }, expectedLeft: 2 }, groups),
    '  #2 half: leak, +20.0 KiB/request (12,345 requests in 4.0 s); about 2 more')
  t.equal(eventLine({ type: 'trial-done', trial: { ...trial, status: 'done', verdict: 'flat' }, expectedLeft: 0 }, groups), '  #2 half: flat')
  t.equal(eventLine({ type: 'trial-skipped', trial: { ...trial, status: 'done', verdict: 'flat' } }, groups), '  #2 half: flat (done before)')
  t.equal(eventLine({ type: 'trial-extended', trial: { ...trial }, factor: 2, reason: 'inconclusive on rss_bytes' }, groups), '  #2 half: extended to 8s: inconclusive on rss_bytes')
  t.equal(eventLine({ type: 'trial-done', trial: { ...trial, status: 'done', verdict: 'leak', requests: 100, elapsed_s: 16, extended: 4 }, expectedLeft: 0 }, groups), '  #2 half: leak (100 requests in 16.0 s, extended 4×)')
  t.equal(formatSigned(-1536, 'bytes', 3, true), '−1.50 KiB', 'one minus sign everywhere: the typographic one')
  t.equal(formatSigned(2500, 'objects', 3, true), '+2.50 k objects')
})

t.test('the baseline: named by group or endpoint; else the cheapest group of the control, groups answering errors last', async (t) => {
  const groups = groupEntries(['/a', '/b', '/c'].map((p) => entry(`http://h${p}`)), [{ name: 'bee', patterns: ['/b'] }])
  t.equal(baselineGroup(groups, 'bee'), 0)
  t.equal(baselineGroup(groups, '/c'), 2)
  t.equal(baselineGroup(groups, 'GET /a'), 1)
  t.throws(() => baselineGroup(groups, '/zzz'), /bisect.baseline: "\/zzz" is neither a group nor an endpoint of the URL list/)
  const latency = (p50: number) => ({ p50_ms: p50, p90_ms: p50, p99_ms: p50, p999_ms: p50, max_ms: p50, min_ms: p50, mean_ms: p50 })
  t.same(cheapestGroups(groups, [
    { endpoint: 'GET /a', transactions: 10, successful: 10, failed: 0, bytes: 1, latency: latency(5) },
    { endpoint: 'GET /b', transactions: 10, successful: 0, failed: 0, bytes: 1, latency: latency(1) },
    { endpoint: 'GET /c', transactions: 10, successful: 10, failed: 0, bytes: 1, latency: latency(2) }
  ]), ['GET /c', 'GET /a', 'bee'], 'the fastest that answers 2xx first; one answering 400s last')
  t.same(extensionFactors(4), [1, 2, 4])
  t.same(extensionFactors(3), [1, 2, 3])
  t.same(extensionFactors(1), [1])
})

t.test('a trial compared with the control and the baseline runs at least as long as they did', async (t) => {
  const trial = (role: BisectTrialRecord['role'], extended?: number, status: BisectTrialRecord['status'] = 'done') =>
    ({ n: 1, key: '', role, groups: [], question: '', budget: { kind: 'requests', count: 4000 }, dir: '', started_at: '', status, ...(extended ? { extended } : {}) }) as BisectTrialRecord
  t.same(matchedFactors([1, 2, 4], 'control', []), [1, 2, 4], 'the control sets the length')
  t.same(matchedFactors([1, 2, 4], 'baseline', [trial('control')]), [1, 2, 4], 'a control decided at its first length')
  t.same(matchedFactors([1, 2, 4], 'baseline', [trial('control', 2)]), [2, 4], 'the control ran to 2×: so does the baseline, at least')
  t.same(matchedFactors([1, 2, 4], 'half', [trial('control', 2), trial('baseline', 4)]), [4], 'and every trial after them')
  t.same(matchedFactors([1, 2, 4], 'half', [trial('control', 2), trial('half', 4), trial('baseline', 1, 'running')]), [2, 4], 'only the control and baselines done count')
})
