/**
 * Which of memsiege's preload probes fits a target command, and the environment that loads it
 * into the app with no change to its code: NODE_OPTIONS (probes/node), RUBYOPT (probes/ruby),
 * PYTHONPATH (probes/python), with MEMSIEGE_PROBE_PORT saying where it listens.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs'
import { basename, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export type ProbeRuntime = 'node' | 'ruby' | 'python'
export const PROBE_RUNTIMES: readonly ProbeRuntime[] = ['node', 'ruby', 'python']

/** Programs by the runtime they run the app in. Versioned names (python3.11, ruby3.1) are stripped of their version first. */
const PROGRAMS: Record<string, ProbeRuntime> = Object.fromEntries([
  ...['node', 'nodejs', 'npm', 'npx', 'yarn', 'pnpm', 'nodemon', 'tsx', 'ts-node'].map((p) => [p, 'node']),
  ...['ruby', 'puma', 'rackup', 'rails', 'unicorn', 'bundle', 'rake', 'thin', 'falcon', 'passenger'].map((p) => [p, 'ruby']),
  ...['python', 'python3', 'gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'waitress-serve', 'flask', 'django-admin'].map((p) => [p, 'python']),
])
const EXTENSIONS: Record<string, ProbeRuntime> = { '.js': 'node', '.mjs': 'node', '.cjs': 'node', '.rb': 'ruby', '.ru': 'ruby', '.py': 'python' }
/** Words that run the next word: the program is further on. */
const WRAPPERS = new Set(['env', 'exec', 'nice', 'nohup', 'time', 'sudo', 'setsid', 'taskset', 'chrt', 'ionice', 'stdbuf'])

/**
 * The runtime of the app a command line starts, from the first word that names one: a program
 * (node, npm, puma, bundle exec…, python3.11, gunicorn), a script by its extension, or an
 * executable file by its `#!` line. Undefined when no word says.
 */
export function runtimeOfCommand (command: string, cwd?: string): ProbeRuntime | undefined {
  for (const raw of command.split(/[\s;&|()]+/)) {
    const word = raw.replace(/^['"]|['"]$/g, '')
    if (word === '' || word.includes('=') || word.startsWith('-') || WRAPPERS.has(word)) continue
    const name = basename(word)
    const program = PROGRAMS[name] ?? PROGRAMS[name.replace(/[\d.]+$/, '')]
    if (program) return program
    const ext = /\.[a-z]+$/.exec(name)?.[0]
    if (ext && EXTENSIONS[ext]) return EXTENSIONS[ext]
    const shebang = shebangRuntime(isAbsolute(word) ? word : resolve(cwd ?? '.', word))
    if (shebang) return shebang
  }
  return undefined
}

function shebangRuntime (file: string): ProbeRuntime | undefined {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const head = Buffer.alloc(128)
    const line = head.subarray(0, readSync(fd, head, 0, 128, 0)).toString('latin1').split('\n')[0]!
    if (!line.startsWith('#!')) return undefined
    for (const word of line.slice(2).trim().split(/\s+/).reverse()) {
      const program = PROGRAMS[basename(word).replace(/[\d.]+$/, '')]
      if (program) return program
    }
  } catch {
    // not a readable file: not a script
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  return undefined
}

/** memsiege's probes/ folder, beside dist/ and src/. */
export function probesDir (): string {
  return fileURLToPath(new URL('../../probes/', import.meta.url))
}

/** The file each runtime loads, absolute. */
export function probeFile (runtime: ProbeRuntime): string {
  const file = { node: join('node', 'memsiege-probe.cjs'), ruby: join('ruby', 'memsiege_probe.rb'), python: join('python', 'sitecustomize.py') }[runtime]
  return join(probesDir(), file)
}

/**
 * The variables that load the probe of `runtime` listening on `port`, each prepended to what
 * `current` (the app's environment as it would be) already has.
 */
export function probeEnv (runtime: ProbeRuntime, port: number, current: Record<string, string | undefined>): Record<string, string> {
  const join2 = (a: string, b: string | undefined, sep: string): string => (b ? `${a}${sep}${b}` : a)
  const file = probeFile(runtime)
  const env: Record<string, string> = { MEMSIEGE_PROBE_PORT: String(port) }
  if (runtime === 'node') env.NODE_OPTIONS = join2(`--require ${file.includes(' ') ? JSON.stringify(file) : file}`, current.NODE_OPTIONS, ' ')
  // RUBYOPT splits on blanks and has no quoting: a folder with a blank goes through RUBYLIB
  if (runtime === 'ruby' && file.includes(' ')) Object.assign(env, { RUBYLIB: join2(join(probesDir(), 'ruby'), current.RUBYLIB, ':'), RUBYOPT: join2('-rmemsiege_probe', current.RUBYOPT, ' ') })
  else if (runtime === 'ruby') env.RUBYOPT = join2(`-r${file}`, current.RUBYOPT, ' ')
  if (runtime === 'python') env.PYTHONPATH = join2(join(probesDir(), 'python'), current.PYTHONPATH, ':')
  return env
}

/** Whether the probe's files are there (the Node one needs dist/, i.e. a build). */
export function probeInstalled (runtime: ProbeRuntime): boolean {
  return existsSync(probeFile(runtime)) && (runtime !== 'node' || existsSync(join(probesDir(), '..', 'dist', 'probe', 'inject.js')))
}
