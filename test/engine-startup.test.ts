/**
 * A plain-http run on the fast transport, without a GC probe or a readiness check, never loads
 * undici: its start-up CPU would count in every run's CPU per request. An https run does load it.
 */
import t from 'tap'
import { createServer } from 'node:http'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const parser = fileURLToPath(new URL('../dist/commands/parser.js', import.meta.url))

const server = createServer((_req, res) => res.end('pong'))
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))

/** Runs the command line in a fresh Node process; says whether undici was loaded by the end. */
async function undiciLoaded (args: string[]): Promise<{ status: number, loaded: boolean }> {
  const script = `
    const { runCommandLine } = await import(${JSON.stringify(parser)})
    const status = await runCommandLine(${JSON.stringify(args)})
    const { createRequire } = await import('node:module')
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/node_modules/undici/') && path.endsWith('.js'))
    process.stdout.write(JSON.stringify({ status, loaded }))
  `
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => { out += d })
    child.stderr.on('data', (d: Buffer) => { err += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('close', () => {
      clearTimeout(timer)
      try { resolve(JSON.parse(out)) } catch { reject(new Error(`no answer: ${err}`)) }
    })
  })
}

t.test('a plain-http run does not load undici', async (t) => {
  const dir = t.testdir()
  const r = await undiciLoaded(['-c', '2', '-r', '3', '-b', '-q', '--out', join(dir, 'out'), url])
  t.equal(r.status, 0)
  t.equal(r.loaded, false)
})

t.test('the undici transport loads it when asked for', async (t) => {
  const dir = t.testdir()
  const r = await undiciLoaded(['-c', '2', '-r', '3', '-b', '-q', '--transport', 'undici', '--out', join(dir, 'out'), url])
  t.equal(r.status, 0)
  t.equal(r.loaded, true)
})
