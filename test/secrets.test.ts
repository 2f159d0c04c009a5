import t, { type Test } from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './helpers/cli.js'
import { freePort } from './fixtures/sampler-helpers.js'

// Secrets in the scenario, its URL list, target.env and target.command never reach the results
// folder (summary.json, the copies, report.html, memory.svg) nor stdout/stderr; --keep-secrets
// keeps verbatim copies of the scenario and the list, and only those.

const SECRETS = {
  authorization: 'hdrSecret1',
  cookie: 'cookieSecret2',
  xAuthToken: 'tokenSecret3',
  proxy: 'proxySecret4',
  env: 'envSecret5',
  envPlain: 'envPlainValue6',
  flag: 'cmdSecret7',
  flagSpaced: 'cmdSecret8',
  form: 'formSecret9',
  urlPassword: 'urlSecret10'
}

const SERVER = `import { createServer } from 'node:http'
const port = Number(process.argv[process.argv.indexOf('--port') + 1])
createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')) }).listen(port, '127.0.0.1')
`

async function setup (t: Test) {
  const port = await freePort()
  const dir = t.testdir({
    'server.mjs': SERVER,
    'urls.txt': ['/ok', `/login POST user=a&password=${SECRETS.form}`, `http://user:${SECRETS.urlPassword}@127.0.0.1:${port}/ok`, ''].join('\n'),
    'app.yml': [
      '# a scenario with secrets in it',
      'target:',
      `  url: http://127.0.0.1:${port}`,
      `  command: node ${join(t.testdirName, 'server.mjs')} --port ${port} --password=${SECRETS.flag} --token ${SECRETS.flagSpaced}`,
      '  ready: /ok',
      '  env:',
      `    APP_SECRET_KEY: ${SECRETS.env}`,
      `    PLAIN_SETTING: ${SECRETS.envPlain}`,
      'headers:',
      `  Authorization: Bearer ${SECRETS.authorization}`,
      `  Cookie: sid=${SECRETS.cookie}`,
      `  X-Auth-Token: ${SECRETS.xAuthToken}`,
      `  Proxy-Authorization: Basic ${SECRETS.proxy}`,
      '  X-Visible: shown',
      'urls: urls.txt',
      'requests: 30',
      'concurrency: 2',
      'sample: { interval: 100ms }',
      ''
    ].join('\n')
  })
  return dir
}

function filesUnder (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

t.test('no secret anywhere in the results folder, nor on stdout or stderr', async (t) => {
  const dir = await setup(t)
  const out = join(dir, 'out')
  const r = await runCli(['run', join(dir, 'app.yml'), '--out', out, '--report', '--json'], { timeoutMs: 60_000 })
  t.equal(r.status, 0, r.stderr)
  const files = filesUnder(out)
  t.ok(files.some((f) => f.endsWith('report.html')) && files.some((f) => f.endsWith('app.yml')) && files.some((f) => f.endsWith('urls.txt')))
  for (const file of files) {
    const text = readFileSync(file, 'latin1')
    for (const [what, secret] of Object.entries(SECRETS)) t.notOk(text.includes(secret), `${file.slice(out.length + 1)}: no ${what}`)
  }
  for (const [what, secret] of Object.entries(SECRETS)) t.notOk((r.stdout + r.stderr).includes(secret), `stdout/stderr: no ${what}`)

  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
  t.same(summary.config.target.env, { APP_SECRET_KEY: '[redacted]', PLAIN_SETTING: '[redacted]' }, 'env values, names kept')
  t.match(summary.config.target.command, /--password=\[redacted\] --token \[redacted\]$/, 'the command, its secret flags blanked')
  t.same(summary.config.headers.find((h: [string, string]) => h[0] === 'X-Visible'), ['X-Visible', 'shown'], 'other headers as they were')
  const copy = readFileSync(join(out, 'app.yml'), 'utf8')
  t.match(copy, /^# a scenario with secrets in it\n/, 'the copy keeps the comments')
  t.match(copy, /Authorization: "\[redacted\]"/)
  t.match(readFileSync(join(out, 'urls.txt'), 'utf8'), /password=\[redacted\]/)
  t.match(readFileSync(join(out, 'report.html'), 'utf8'), /--password=\[redacted\]/, 'report.html shows the command, redacted')
})

t.test('--keep-secrets: the copies as written, to run again; summary.json and the report still redacted', async (t) => {
  const dir = await setup(t)
  const out = join(dir, 'out')
  const r = await runCli(['run', join(dir, 'app.yml'), '--out', out, '--report', '--keep-secrets', '-q'], { timeoutMs: 60_000 })
  t.equal(r.status, 0, r.stderr)
  t.equal(readFileSync(join(out, 'app.yml'), 'utf8'), readFileSync(join(dir, 'app.yml'), 'utf8'))
  t.equal(readFileSync(join(out, 'urls.txt'), 'utf8'), readFileSync(join(dir, 'urls.txt'), 'utf8'))
  for (const file of ['summary.json', 'report.html', 'memory.svg', 'samples.csv']) {
    const text = readFileSync(join(out, file), 'latin1')
    for (const [what, secret] of Object.entries(SECRETS)) t.notOk(text.includes(secret), `${file}: no ${what}`)
  }
  const again = await runCli(['run', join(out, 'app.yml'), '--out', join(dir, 'again'), '-q'], { timeoutMs: 60_000 })
  t.equal(again.status, 0, `the kept copy runs again: ${again.stderr}`)
})
