/**
 * The port a started target is meant to answer on must be ours: free before target.command starts,
 * and held by what it started once `ready` answers. Otherwise a leftover server (an orphan of a
 * killed run, another copy of the app) answers `ready` while the new command failed with
 * EADDRINUSE, and the whole load and its memory readings would be about the wrong process.
 *
 * Both checks need /proc (the port's owner comes from /proc/net/tcp{,6}); without it they are
 * skipped. They only look at URLs whose host is this machine.
 */
import { networkInterfaces } from 'node:os'
import { lookupPort } from './port-owner.js'
import { hasProcfs, readStat } from './procfs.js'
import { processTree } from './process-tree.js'
import { ConfigError } from '../errors.js'

/** Where a started target will be asked for: its `ready` URL, else target.url, and which key gave it. */
export interface TargetAddress {
  url: string
  key: string
}

/** The TCP port of `url` when its host is this machine; undefined for another host. */
export function localPort (url: string): number | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (!isLocalHost(host)) return undefined
  if (parsed.port !== '') return Number(parsed.port)
  return parsed.protocol === 'https:' ? 443 : 80
}

function isLocalHost (host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '0.0.0.0' || host === '::') return true
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address.toLowerCase() === host))
}

/** Throws a one-line ConfigError when something already listens on the port of `address`. */
export async function ensurePortFree (address: TargetAddress): Promise<void> {
  const port = localPort(address.url)
  if (port === undefined || !hasProcfs()) return
  const found = await lookupPort(port)
  if ('reason' in found && !found.listening) return
  const holder = 'owner' in found ? `pid ${await describePid(found.owner.pid)}` : 'a process memsiege cannot see'
  // Through a proxy on this machine (nginx in front of the app), target.url's port is the proxy's.
  const proxy = address.key === 'target.ready' ? '' : '; if it is a proxy in front of the target, give target.ready with the target\'s own URL'
  throw new ConfigError(
    `target.command: port ${port} (of ${address.key} ${address.url}) is already in use by ${holder}, before memsiege started the command: ` +
    `stop that process (an earlier run's target?) or use another port${proxy}`
  )
}

/**
 * After `ready` answered: the reason the process listening on the port of `address` is not the
 * one memsiege started (`pid`, the leader of its own process group), or undefined when it is.
 * A holder counts as ours when it descends from `pid` or is still in its process group.
 */
export async function foreignAnswerer (address: TargetAddress, pid: number): Promise<string | undefined> {
  const port = localPort(address.url)
  if (port === undefined || !hasProcfs()) return undefined
  const found = await lookupPort(port)
  if ('reason' in found) {
    // The answer came from elsewhere (a forwarded port, another namespace): not ours to judge.
    if (!found.listening) return undefined
    return `port ${port} (of ${address.key}) answered, but it is held by a process memsiege cannot see, not by the target it started (pid ${pid})`
  }
  const tree = new Set(await processTree(pid, 'proc'))
  for (const holder of found.owner.holders) {
    if (tree.has(holder) || (await readStat(holder))?.pgrp === pid) return undefined
  }
  return `port ${port} (of ${address.key}) answered, but it is held by pid ${await describePid(found.owner.pid)}, not by the target memsiege started (pid ${pid}): ` +
    'stop that process (an earlier run\'s target?) or use another port'
}

async function describePid (pid: number): Promise<string> {
  const stat = await readStat(pid)
  return stat ? `${pid} (${stat.comm})` : String(pid)
}
