import t, { type Test } from 'tap'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { scenarioFromSiegeFlags, type SiegeFlags } from '../src/commands/siege-flags.js'
import { loadScenario, type ScenarioOverrides } from '../src/scenario/load.js'
import { runCli, runInProcess } from './helpers/cli.js'
import { ConfigError } from '../src/errors.js'

const URL = 'http://127.0.0.1:9/x'

function siegeError (flags: SiegeFlags): string {
  try {
    scenarioFromSiegeFlags({ url: URL, ...flags }, () => {})
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  throw new Error(`accepted: ${JSON.stringify(flags)}`)
}

function scenarioError (t: Tap, yaml: string, overrides: ScenarioOverrides = {}): string {
  const dir = t.testdir({ 's.yml': `urls: [ "${URL}" ]\n${yaml}` })
  try {
    loadScenario(join(dir, 's.yml'), overrides, () => {})
  } catch (err) {
    if (err instanceof ConfigError) return err.message.replace(dir, 'D')
    throw err
  }
  throw new Error(`accepted: ${yaml}`)
}
type Tap = Test

t.test('headers the HTTP client would refuse are refused up front, naming the flag or file:line', async (t) => {
  t.equal(siegeError({ header: ['X-Ok: €'] }), '-H: "X-Ok: €": contains "€" (U+20AC), which a header cannot carry: only ASCII and Latin-1 characters (percent-encode the rest)')
  t.match(siegeError({ header: ['Bad Name: v'] }), /^-H: "Bad Name: v": "Bad Name" is not a valid header name/)
  t.equal(siegeError({ header: ['X-A: a\r\nX-Evil: 1'] }), '-H: "X-A: a\\r\\nX-Evil: 1": must not contain a line break')
  t.match(siegeError({ header: ['Content-Length: 5'] }), /^-H: "Content-Length: 5": memsiege cannot send a Content-Length header/)
  t.match(siegeError({ header: ['Connection: a b'] }), /^-H: "Connection: a b": Connection:/)
  t.equal(siegeError({ userAgent: 'ua\n1' }), '-A: "ua\\n1": must not contain a line break')
  t.equal(siegeError({ userAgent: 'ua\u0001' }), '-A: "ua\\u0001": contains the control character U+0001')
  t.match(siegeError({ contentType: 'text/plain\rx' }), /^-T: "text\/plain\\rx" is not a media type/)
  t.match(siegeError({ contentType: 'text/plain; charset=€' }), /^-T: contains "€"/)
  t.same(scenarioFromSiegeFlags({ url: URL, header: ['X-Latin: caf\u00e9'] }, () => {}).headers, [['X-Latin', 'caf\u00e9']], 'Latin-1 is sent as one byte each')
  t.equal(scenarioError(t, 'headers: { X-Currency: "€" }\n'), 'D/s.yml:2:24: headers.X-Currency: contains "€" (U+20AC), which a header cannot carry: only ASCII and Latin-1 characters (percent-encode the rest)')
  t.match(scenarioError(t, 'headers: { Connection: "a b" }\n'), /^D\/s\.yml:2:24: headers\.Connection: Connection: "a b" is not a list/)
  t.match(scenarioError(t, 'userAgent: "€"\n'), /^D\/s\.yml:2:12: userAgent: contains "€"/)
  t.equal(siegeError({ header: ['Host: a', 'host: b'] }), '-H: the Host header is given 2 times; a request carries one')
  t.equal(scenarioError(t, 'headers: { Host: a, host: b }\n'), 'D/s.yml:2:10: headers: the Host header is given 2 times; a request carries one')
})

t.test('a URL line\'s own -T is checked like -T', async (t) => {
  const dir = t.testdir({ 'u.txt': `${URL} POST -T text/€; a=1\n` })
  let message = ''
  try {
    scenarioFromSiegeFlags({ file: join(dir, 'u.txt') }, () => {})
  } catch (err) {
    message = (err as Error).message
  }
  t.equal(message, `${join(dir, 'u.txt')}:1: -T "text/€" is not a media type such as application/json`)
})

t.test('siege flags go through the scenario\'s checks (-c -t -d -r), naming the flag', async (t) => {
  t.equal(siegeError({ concurrent: 100000 }), '-c: must be at most 10000, got 100000')
  t.equal(siegeError({ time: '0' }), '-t 0: must be more than 0')
  t.equal(siegeError({ time: '0S' }), '-t 0S: must be more than 0')
  t.equal(siegeError({ delay: '-1' }), '-d: bad duration "-1": negative')
  t.match(siegeError({ delay: 'abc' }), /^-d: bad duration "abc": expected a number and a unit/)
  t.match(siegeError({ delay: '1e400' }), /^-d: bad duration "1e400"/)
  t.equal(siegeError({ reps: 0 }), '-r: must be at least 1, got 0')
  const s = scenarioFromSiegeFlags({ url: URL, delay: '0.5', time: '2S', concurrent: 10000 }, () => {})
  t.equal(s.delay, 0.5, 'a bare -d is seconds, as in siege')
  t.same(s.stop, { kind: 'duration', seconds: 2 })
  t.equal(scenarioFromSiegeFlags({ url: URL, delay: '250ms' }, () => {}).delay, 0.25)
})

t.test('durations: long soaks are accepted, beyond a year is a typo', async (t) => {
  t.same(scenarioFromSiegeFlags({ url: URL, time: '597H' }, () => {}).stop, { kind: 'duration', seconds: 597 * 3600 }, 'beyond one Node timer (24.8 days)')
  t.equal(siegeError({ time: '9999H' }), '-t: bad duration "9999H": longer than a year, the longest memsiege accepts')
  t.equal(siegeError({ delay: '999999h' }), '-d: bad duration "999999h": longer than a year, the longest memsiege accepts')
  t.equal(scenarioError(t, 'duration: 999999h\n'), 'D/s.yml:2:11: duration: bad duration "999999h": longer than a year, the longest memsiege accepts')
  t.equal(scenarioError(t, 'delay: 999999h\n'), 'D/s.yml:2:8: delay: bad duration "999999h": longer than a year, the longest memsiege accepts')
  t.equal(scenarioError(t, 'delay: 1e400\n'), 'D/s.yml:2:8: delay: bad duration Infinity: not a finite number')
  t.equal(scenarioError(t, 'timeout: 30d\n'), 'D/s.yml:2:10: timeout: must be at most 86400 s, got 2592000 s')
  t.equal(scenarioError(t, 'timeout: 30x\n'), 'D/s.yml:2:10: timeout: bad duration "30x": unknown unit "x" (use ms, s, m, h or d)')
  t.equal(scenarioError(t, 'timeout: 48h\n'), 'D/s.yml:2:10: timeout: must be at most 86400 s, got 172800 s')
  t.equal(scenarioError(t, 'sample: { interval: 30h }\n'), 'D/s.yml:2:21: sample.interval: must be at most 86400 s, got 108000 s')
  t.equal(scenarioError(t, 'requests: 1\n', { duration: '600000h' }), '--duration: bad duration "600000h": longer than a year, the longest memsiege accepts')
})

t.test('a URL file with no URLs is one line, not a TypeError', async (t) => {
  const dir = t.testdir({ 'blank.txt': '  \n# only a comment\nA=1\n' })
  t.equal(siegeError({ url: undefined, file: join(dir, 'blank.txt') }), `${join(dir, 'blank.txt')}: no URLs in the file (only blank lines, comments or variables)`)
})

t.test('sweep findings: credentials with a bad %-escape, integers beyond 2^53', async (t) => {
  t.equal(siegeError({ url: 'http://user:p%ZZ@127.0.0.1:9/x' }), '<command line>:1: bad %-escape in the user name or password of "http://user:p%ZZ@127.0.0.1:9/x" (write % as %25)')
  t.equal(scenarioError(t, 'requests: 99999999999999999999\n'), 'D/s.yml:2:11: requests: must be a whole number below 2^53, got 100000000000000000000')
})

t.test('the CLI: one line, exit 2, nothing sent', async (t) => {
  const out = t.testdir()
  for (const args of [['-c', '100000'], ['-H', 'X-Ok: €'], ['-t', '0'], ['-d', '-1']]) {
    const r = await runCli([...args, '--out', join(out, 'o'), URL])
    t.equal(r.status, 2, args.join(' '))
    t.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    t.match(r.stderr, new RegExp(`^memsiege: ${args[0]}`))
  }
})

t.test('second round: flags given twice, ports beyond 65535, an access log that is not a file, a rate beyond the maximum', async (t) => {
  const dir = t.testdir({ 's.yml': `urls: [ "${URL}" ]\nrate: 1e9\nrequests: 5\n` })
  execFileSync('mkfifo', [join(dir, 'pipe.log')])
  const cases: Array<[string[], string]> = [
    // yargs makes a list of a flag given twice, which the flag's reader then choked on
    [['run', join(dir, 's.yml'), '--out', 'a', '--out', 'b'], '--out is given 2 times (a, b); give it once'],
    [['-c', '1', '-c', '2', URL], '-c is given 2 times (1, 2); give it once'],
    [['analyze', dir, '--warmup', '1', '--warmup', '2'], '--warmup is given 2 times (1, 2); give it once'],
    // watch takes --cmd repeated (side by side); run does not
    [['run', join(dir, 's.yml'), '--cmd', 'a', '--cmd', 'b'], '--cmd is given 2 times (a, b); give it once'],
    [['probe', 'env', 'node', '--port', '70000'], '--port 70000: not a port: ports go up to 65535'],
    [['probe', 'env', 'node', '--port', '1e9'], '--port 1000000000: not a port: ports go up to 65535'],
    [['watch', '--pid', String(process.pid), '--requests-from-log', dir, '--out', join(dir, 'w')], `--requests-from-log ${dir}: a folder; give the access log the app (or its proxy) writes`],
    [['watch', '--pid', String(process.pid), '--requests-from-log', join(dir, 'pipe.log'), '--out', join(dir, 'w')], `--requests-from-log ${join(dir, 'pipe.log')}: a named pipe; give the access log the app (or its proxy) writes`],
    [['run', join(dir, 's.yml'), '--out', join(dir, 'r')], `${join(dir, 's.yml')}:2:7: rate: must be at most 10000000, got 1000000000`],
  ]
  for (const [args, message] of cases) {
    const r = await runInProcess(args)
    t.same([r.status, r.stderr], [2, `memsiege: ${message}\n`], args.join(' '))
  }
  // a pid that was a process's a moment ago, and is no more
  const gone = spawnSync('true').pid
  const watched = await runInProcess(['watch', '--pid', String(gone), '--out', join(dir, 'w')])
  t.same([watched.status, watched.stderr], [2, `memsiege: target.pid: no running process with pid ${gone} that memsiege can see\n`], 'watch --pid of no process')
  t.notOk(existsSync(join(dir, 'w')), 'a watch refused is no results folder')
  t.same((await runInProcess(['analyze', dir, '--max-growth', '1MB/h', '--max-growth', '2KB/request'])).stderr, `memsiege: ${dir}: no samples.csv (is this a memsiege results folder?)\n`, 'a repeatable flag is still repeatable')
})
