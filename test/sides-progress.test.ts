/**
 * The live line of a side-by-side run: on a terminal, one line rewritten in place with the clock
 * and each target's figures; nothing of it when stderr is no terminal.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, runCli } from './helpers/cli.js'
import { sidesProgressLine } from '../src/report/sides-progress-line.js'

t.test('the line: the clock of the target furthest along, then each target', async (t) => {
  const p = (elapsedS: number, requests: number) => ({ elapsedS, remainingS: 60 - elapsedS, requests, errors: 1, rps: 99.6 })
  t.equal(sidesProgressLine([['old', p(12.4, 1200)], ['new', p(12.6, 1198)]]), '00:12 / 00:47 left  old: 1,200 requests  100 req/s  1 error | new: 1,198 requests  100 req/s  1 error')
  t.equal(sidesProgressLine([['old', p(1, 10)], ['new', undefined]]), '00:01 / 00:59 left  old: 10 requests  100 req/s  1 error | new: starting')
  t.equal(sidesProgressLine([['old', undefined]]), '', 'nothing before the first figures')
})

async function server (): Promise<{ url: string; server: Server }> {
  const s = createServer((req, res) => { req.resume(); res.end('ok') })
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(s.address() as { port: number }).port}`, server: s }
}

t.test('on a terminal the run shows it; piped, it does not', async (t) => {
  const [a, b] = [await server(), await server()]
  t.teardown(() => { for (const s of [a, b]) { s.server.close(); s.server.closeAllConnections() } })
  const dir = t.testdir({})
  const scenario = join(dir, 'pair.yml')
  writeFileSync(scenario, ['name: pair', 'targets:', '  - name: old', `    url: ${a.url}`, '  - name: new', `    url: ${b.url}`, 'urls: [/a, /b]', 'concurrency: 2', 'requests: 200', 'sample: { interval: 100ms }', ''].join('\n'))
  // script(1) gives the run a terminal; its output is the terminal's, stdout and stderr together
  const command = [process.execPath, CLI, 'run', scenario, '--out', join(dir, 'tty')].map((w) => `'${w}'`).join(' ')
  const tty = await new Promise<{ status: number | null; out: string }>((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => { out += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, out }) })
  })
  t.equal(tty.status, 0, tty.status === 0 ? 'exit 0' : tty.out)
  t.match(tty.out, /\r\x1b\[K\d\d:\d\d {2}old: \d+ requests {2}\d+ req\/s {2}0 errors \| new: \d+ requests {2}\d+ req\/s {2}0 errors/, 'the line, rewritten in place')
  t.match(tty.out, /old: 200 requests .* \| new: 200 requests /, 'its last figures count every request')
  const piped = await runCli(['run', scenario, '--out', join(dir, 'piped')])
  t.equal(piped.status, 0, 'exit 0')
  t.notMatch(piped.stderr, /requests .* req\/s/, 'piped: no live line')
})
