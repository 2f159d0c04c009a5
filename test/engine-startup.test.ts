/**
 * A plain-http run on the fast transport, without a GC probe or a readiness check, never loads
 * undici, and tough-cookie only once a server sets a cookie: their start-up CPU would count in
 * every run's (and every worker thread's) CPU per request. For the same reason HdrHistogram's
 * index (its WebAssembly build, pako) is never loaded, and `--workers N` starts N - 1 threads:
 * this thread runs a share of the users itself.
 */
import t from 'tap'
import { createServer } from 'node:http'
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const parser = fileURLToPath(new URL('../dist/commands/parser.js', import.meta.url))

const server = createServer((req, res) => {
  if (req.url === '/cookie') res.setHeader('set-cookie', 'a=1')
  res.end('pong')
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))

let probes = 0

/** Runs the command line in a fresh Node process; says which modules were loaded by the end and how many threads it started. */
async function loadedBy (dir: string, args: string[]): Promise<{ status: number, undici: boolean, cookies: boolean, hdrIndex: boolean, threads: number }> {
  const script = `
    // Worker threads started from this thread (async resources of type WORKER).
    let threads = 0
    const { createHook } = await import('node:async_hooks')
    createHook({ init (id, type) { if (type === 'WORKER') threads++ } }).enable()
    const { runCommandLine } = await import(${JSON.stringify(parser)})
    const status = await runCommandLine(${JSON.stringify(args)})
    const { createRequire } = await import('node:module')
    const paths = Object.keys(createRequire(import.meta.url).cache).filter((path) => !path.endsWith('package.json'))
    const undici = paths.some((path) => path.includes('/node_modules/undici/'))
    const cookies = paths.some((path) => path.includes('/node_modules/tough-cookie/'))
    const hdrIndex = paths.some((path) => path.endsWith('/node_modules/hdr-histogram-js/dist/index.js') || path.includes('/node_modules/pako/'))
    process.stdout.write(JSON.stringify({ status, undici, cookies, hdrIndex, threads }))
  `
  return new Promise((resolve, reject) => {
    // A file, not -e: worker threads inherit the command line, and --input-type would stop them.
    const file = join(dir, `probe-${probes++}.mjs`)
    writeFileSync(file, script)
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] })
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

t.test('a plain-http run without cookies loads neither', async (t) => {
  const dir = t.testdir()
  t.same(await loadedBy(dir, ['-c', '2', '-r', '3', '-b', '-q', '--out', join(dir, 'out'), url]), { status: 0, undici: false, cookies: false, hdrIndex: false, threads: 0 })
})

t.test('--workers 2: one worker thread, this one runs the other share; no HdrHistogram index', async (t) => {
  const dir = t.testdir()
  t.same(await loadedBy(dir, ['-c', '4', '-r', '3', '-b', '-q', '--workers', '2', '--out', join(dir, 'out'), url]), { status: 0, undici: false, cookies: false, hdrIndex: false, threads: 1 })
})

t.test('each is loaded when needed: the undici transport, a server setting a cookie', async (t) => {
  const dir = t.testdir()
  t.match(await loadedBy(dir, ['-c', '2', '-r', '3', '-b', '-q', '--transport', 'undici', '--out', join(dir, 'a'), url]), { status: 0, undici: true, cookies: false })
  t.match(await loadedBy(dir, ['-c', '2', '-r', '3', '-b', '-q', '--out', join(dir, 'b'), `${url}cookie`]), { status: 0, undici: false, cookies: true })
})
