// The bench's own targets: nginx (non-daemon, temp prefix) and a tiny node:http server, both on 127.0.0.1.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { freePort, makeTempDir, sleep, startProcess, stopChild } from './proc.mjs'

const NODE_TARGET = fileURLToPath(new URL('../node-target.mjs', import.meta.url))

function get (url) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', () => resolve(0))
    req.setTimeout(1000, () => { req.destroy(); resolve(0) })
    req.end()
  })
}

async function waitReady (url, proc, describe) {
  let exited = null
  proc.done.then((r) => { exited = r })
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${describe} exited before it was ready (code ${exited.code}):\n${exited.stderr.slice(-2000)}`)
    if (await get(url) === 200) return
    await sleep(100)
  }
  throw new Error(`${describe} did not answer 200 on ${url} within 15 s`)
}

function nginxConfig (prefix, port) {
  const v = spawnSync('nginx', ['-V'], { encoding: 'utf8' })
  const build = `${v.stdout}${v.stderr}`
  const tempPaths = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .filter((m) => m === 'client_body' || !build.includes(`--without-http_${m}_module`))
    .map((m) => {
      mkdirSync(`${prefix}/tmp/${m}`, { recursive: true })
      return `  ${m}_temp_path ${prefix}/tmp/${m};`
    })
  return `# written by memsiege bench/run.mjs
daemon off;
master_process off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type text/plain;
  keepalive_timeout 65;
  keepalive_requests 1000000;
${tempPaths.join('\n')}
  server {
    listen 127.0.0.1:${port};
    location / { return 200 "hello\\n"; }
  }
}
`
}

/** nginx with its own prefix in a temp folder, one process (master_process off), pinned to `core`. */
export async function startNginx (core) {
  const prefix = makeTempDir('nginx')
  const port = await freePort()
  const conf = `${prefix}/nginx.conf`
  writeFileSync(conf, nginxConfig(prefix, port))
  const proc = startProcess(['nginx', '-p', prefix, '-c', conf, '-e', `${prefix}/error.log`], { core })
  const url = `http://127.0.0.1:${port}/`
  try {
    await waitReady(url, proc, 'nginx')
  } catch (err) {
    let log = ''
    try { log = readFileSync(`${prefix}/error.log`, 'utf8').slice(-2000) } catch {}
    await stopChild(proc.child)
    throw new Error(`${err.message}\n${log}`)
  }
  const version = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version:\s*/, '')
  return { name: 'nginx', url, port, pid: proc.child.pid, version, stop: () => stopChild(proc.child) }
}

/** bench/node-target.mjs pinned to `core`. */
export async function startNodeTarget (core) {
  const port = await freePort()
  const proc = startProcess([process.execPath, NODE_TARGET, String(port)], { core })
  const url = `http://127.0.0.1:${port}/`
  await waitReady(url, proc, 'node target')
  return { name: 'node', url, port, pid: proc.child.pid, version: `node ${process.versions.node}`, stop: () => stopChild(proc.child) }
}
