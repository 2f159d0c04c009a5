// Child processes for the bench: CPU pinning, peak/last RSS, and cleanup of everything started.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'

const children = new Set()
let exiting = false
const tempDirs = new Set()

let tasksetOk = false
let setprivOk = false
let timeOk = false

/** Looks for the helpers once (after the Debian packages are ensured). */
export function detectHelpers () {
  tasksetOk = hasCommand('taskset')
  setprivOk = hasCommand('setpriv') && spawnSync('setpriv', ['--pdeathsig', 'KILL', 'true']).status === 0
  timeOk = existsSync('/usr/bin/time')
  return { taskset: tasksetOk, setpriv: setprivOk, time: timeOk }
}

export function hasCommand (name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
}

/** argv prefix that pins to a core (or nothing, when taskset is missing). */
function pin (core) {
  return tasksetOk && core !== undefined ? ['taskset', '-c', String(core)] : []
}

/** argv prefix that kills the process when its parent dies (the bench, or /usr/bin/time). */
function dieWithParent () {
  return setprivOk ? ['setpriv', '--pdeathsig', 'KILL'] : []
}

/**
 * Starts argv pinned to `core`. With `peak: true` it runs under /usr/bin/time for the exact peak RSS
 * (ru_maxrss) and polls /proc of the measured process every 200 ms for VmRSS/VmHWM.
 * Returns { child, done } where done resolves to { code, signal, stdout, stderr, peakKiB, lastRssKiB, hwmKiB }.
 */
export function startProcess (argv, { core, peak = false, cwd, env, onStdout } = {}) {
  if (exiting) throw new Error('the bench is stopping')
  const timeFile = peak && timeOk ? `${makeTempDir('time')}/maxrss` : undefined
  const full = [
    ...dieWithParent(),
    ...(timeFile ? ['/usr/bin/time', '-f', '%M %U %S', '-o', timeFile, ...dieWithParent()] : []),
    ...pin(core),
    ...argv
  ]
  const child = spawn(full[0], full.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; onStdout?.(d, stdout) })
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d.length + stderr.length > 200_000 ? '' : d })

  // The measured process: the child itself, or /usr/bin/time's child (setpriv and taskset exec in place).
  let measuredPid = timeFile ? undefined : child.pid
  let lastRssKiB
  let hwmKiB
  const poll = () => {
    if (measuredPid === undefined) measuredPid = firstChild(child.pid)
    if (measuredPid === undefined) return
    const status = readStatus(measuredPid)
    if (status.VmRSS !== undefined) lastRssKiB = status.VmRSS
    if (status.VmHWM !== undefined) hwmKiB = status.VmHWM
  }
  const timer = peak ? setInterval(poll, 200) : undefined
  if (peak) setTimeout(poll, 20)

  const done = new Promise((resolve) => {
    child.on('error', (err) => { stderr += `\n${err.message}` })
    child.on('close', (code, signal) => {
      clearInterval(timer)
      children.delete(child)
      let peakKiB = hwmKiB
      let cpuS
      if (timeFile) {
        try {
          // /usr/bin/time writes "Command exited with non-zero status N" before the figures when the command fails.
          const [maxrss, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number)
          if (Number.isFinite(maxrss) && maxrss > 0) peakKiB = maxrss
          if (Number.isFinite(user) && Number.isFinite(sys)) cpuS = user + sys
        } catch {}
      }
      resolve({ code, signal, stdout, stderr, peakKiB, lastRssKiB, hwmKiB, cpuS })
    })
  })
  return { child, done }
}

function firstChild (pid) {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]
    return first ? Number(first) : undefined
  } catch {
    return undefined
  }
}

const TICK_S = 0.01 // USER_HZ is 100 on Linux

/** CPU seconds used by one process so far (utime + stime), or undefined when it is gone. */
export function processCpuS (pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * TICK_S
  } catch {
    return undefined
  }
}

/** Busy CPU seconds of the whole machine so far (all cores, idle and iowait excluded). */
export function machineBusyS () {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const [user, nice, system, , , irq, softirq, steal] = cpu // idle and iowait are the 4th and 5th
  return (user + nice + system + irq + softirq + (steal ?? 0)) * TICK_S
}

function readStatus (pid) {
  const out = {}
  try {
    for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      const m = /^(VmRSS|VmHWM):\s+(\d+) kB/.exec(line)
      if (m) out[m[1]] = Number(m[2])
    }
  } catch {}
  return out
}

export function makeTempDir (label) {
  const dir = spawnSync('mktemp', ['-d', `/tmp/memsiege-bench-${label}-XXXXXX`], { encoding: 'utf8' }).stdout.trim()
  if (!dir) throw new Error('mktemp failed')
  tempDirs.add(dir)
  return dir
}

/** A free TCP port on 127.0.0.1. */
export function freePort () {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Stops one child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild (child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const closed = new Promise((resolve) => child.once('close', resolve))
  try { child.kill('SIGTERM') } catch {}
  const timer = setTimeout(() => { try { child.kill('SIGKILL') } catch {} }, graceMs)
  await closed
  clearTimeout(timer)
}

/** Stops every child still running and removes the temp folders. */
export async function cleanup () {
  await Promise.all([...children].map((c) => stopChild(c)))
  for (const dir of tempDirs) {
    try { rmSync(dir, { recursive: true, force: true }) } catch {}
  }
  tempDirs.clear()
}

/** Ctrl-C / SIGTERM / crash: stop the children, remove temp folders, exit. */
export function installCleanupHandlers () {
  const bail = (code, message) => {
    if (exiting) return
    exiting = true
    if (message) process.stderr.write(`\n${message}\n`)
    cleanup().finally(() => process.exit(code))
  }
  process.on('SIGINT', () => bail(130, 'bench: interrupted, stopping targets and load generators…'))
  process.on('SIGTERM', () => bail(143, 'bench: terminated, stopping targets and load generators…'))
  process.on('SIGHUP', () => bail(129))
  process.on('uncaughtException', (err) => bail(1, `bench: ${err.stack ?? err}`))
  process.on('unhandledRejection', (err) => bail(1, `bench: ${err?.stack ?? err}`))
  // Last resort on a plain exit: children we did not reap get SIGKILL (setpriv covers a hard kill of the bench).
  process.on('exit', () => {
    for (const c of children) { try { c.kill('SIGKILL') } catch {} }
    for (const dir of tempDirs) { try { rmSync(dir, { recursive: true, force: true }) } catch {} }
  })
}

export function isExiting () {
  return exiting
}
