/**
 * The process listening on a TCP port, found without root tools: the LISTEN socket's inode in
 * /proc/net/tcp{,6}, then the processes whose /proc/PID/fd links point at `socket:[INODE]`.
 *
 * Limits: /proc/net is memsiege's own network namespace (a target in another container is not
 * found), and another user's /proc/PID/fd can't be read unless memsiege runs as root.
 */
import { readdir, readFile, readlink } from 'node:fs/promises'
import { hasProcfs, isLive, readStat } from './procfs.js'
import { listPids, mapLimited } from './process-tree.js'
import { ConfigError } from '../errors.js'

/** st column of /proc/net/tcp for a listening socket (TCP_LISTEN). */
const TCP_LISTEN = 0x0a

export interface TcpSocket {
  /** Hex as in the file (IPv4 little-endian, IPv6 in 32-bit little-endian words). */
  localAddress: string
  port: number
  state: number
  uid: number
  inode: number
}

export function parseProcNetTcp (text: string): TcpSocket[] {
  const out: TcpSocket[] = []
  for (const line of text.split('\n').slice(1)) {
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    const f = line.trim().split(/\s+/)
    if (f.length < 10) continue
    const local = f[1]!
    const colon = local.lastIndexOf(':')
    if (colon < 0) continue
    out.push({
      localAddress: local.slice(0, colon),
      port: parseInt(local.slice(colon + 1), 16),
      state: parseInt(f[3]!, 16),
      uid: Number(f[7]),
      inode: Number(f[9]),
    })
  }
  return out
}

/** LISTEN sockets on `port`, any local address, IPv4 and IPv6. */
export async function listeningSockets (port: number): Promise<TcpSocket[]> {
  const out: TcpSocket[] = []
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      continue // no IPv6 in this kernel
    }
    for (const s of parseProcNetTcp(text)) {
      if (s.port === port && s.state === TCP_LISTEN && s.inode !== 0) out.push(s)
    }
  }
  return out
}

/** Processes holding any of `inodes`; `denied` counts processes whose fd table we couldn't read. */
export async function pidsHoldingSockets (inodes: ReadonlySet<number>): Promise<{ pids: number[]; denied: number }> {
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`))
  let denied = 0
  const pids = await listPids()
  const holds = await mapLimited(pids, 32, async (pid) => {
    let fds: string[]
    try {
      fds = await readdir(`/proc/${pid}/fd`)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EACCES') denied++
      return false
    }
    for (const fd of fds) {
      try {
        if (wanted.has(await readlink(`/proc/${pid}/fd/${fd}`))) return true
      } catch {
        // the fd closed while we looked
      }
    }
    return false
  })
  return { pids: pids.filter((_, i) => holds[i]), denied }
}

export interface PortOwner {
  /** The root holder: the one whose parent doesn't hold the socket (puma's master). */
  pid: number
  /** Its /proc start time in clock ticks: with the pid it tells a restarted target from the old one. */
  startTime: number
  /** Every live process holding the socket (master and workers), root first. */
  holders: number[]
}

/** No owner: `reason` is the one-line why; `listening` tells "nothing there" from "someone memsiege can't see". */
export type PortLookup = { owner: PortOwner } | { reason: string; listening: boolean }

/**
 * Resolves the owner of `port`, or a one-line reason why there is none. Several unrelated roots
 * (SO_REUSEPORT servers started separately) resolve to the oldest one.
 */
export async function lookupPort (port: number): Promise<PortLookup> {
  if (!hasProcfs()) {
    return { reason: `target.port needs Linux /proc to find the process listening on port ${port}; give target.pid instead`, listening: false }
  }
  const sockets = await listeningSockets(port)
  if (sockets.length === 0) {
    return { reason: `nothing is listening on TCP port ${port} (looked in /proc/net/tcp and /proc/net/tcp6)`, listening: false }
  }
  const { pids, denied } = await pidsHoldingSockets(new Set(sockets.map((s) => s.inode)))
  const stats = (await Promise.all(pids.map(readStat))).filter(isLive)
  if (stats.length === 0) {
    const uid = sockets[0]!.uid
    const why = denied > 0 ? `; ${denied} processes' file descriptors were unreadable` : ''
    return {
      reason:
        `TCP port ${port} is listening (socket of uid ${uid}) but no process memsiege can see holds it` +
        `: it belongs to another user or another PID namespace${why}; run memsiege as uid ${uid} or give target.pid`,
      listening: true,
    }
  }
  const holding = new Set(stats.map((s) => s.pid))
  const roots = stats.filter((s) => !holding.has(s.ppid))
  roots.sort((a, b) => a.startTime - b.startTime || a.pid - b.pid)
  const root = roots[0] ?? stats[0]!
  return {
    owner: {
      pid: root.pid,
      startTime: root.startTime,
      holders: [root.pid, ...stats.map((s) => s.pid).filter((p) => p !== root.pid)],
    },
  }
}

/** Like lookupPort, for places where "none" is a normal answer (watching for a restart). */
export async function lookupPortOwner (port: number): Promise<PortOwner | undefined> {
  try {
    const found = await lookupPort(port)
    return 'owner' in found ? found.owner : undefined
  } catch {
    return undefined
  }
}

/** The owner of `port` for `target.port` (--port); throws ConfigError with the one-line reason and the next step. */
export async function findPortOwner (port: number): Promise<PortOwner> {
  const found = await lookupPort(port)
  if ('reason' in found) {
    const next = found.listening ? '' : ': start your app first, or have memsiege start it (target.command in the scenario, --cmd on the command line)'
    throw new ConfigError(`${found.reason}${next}`)
  }
  return found.owner
}
