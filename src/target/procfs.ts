/**
 * Readers for one process's files under /proc (Linux). Each reader resolves `undefined` when the
 * file can't be read (the process exited, or belongs to another user): callers sample live trees
 * where processes vanish between listing and reading, so a missing process is not an error.
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { readProcText } from './proc-text.js'

/**
 * USER_HZ, the unit of utime/stime/starttime in /proc/PID/stat. It is part of the kernel ABI and
 * 100 on every architecture Node runs on, so we don't spawn `getconf CLK_TCK` to learn it.
 */
export const CLOCK_TICKS_PER_SECOND = 100

/** True where /proc has per-process files (Linux); elsewhere samplers fall back to pidusage. */
export function hasProcfs (): boolean {
  return existsSync('/proc/self/stat')
}

/** The fields memsiege uses from /proc/PID/status; sizes in bytes. Absent lines stay undefined. */
export interface ProcStatus {
  name?: string
  /** One letter: R, S, D, Z (zombie), X (dead), T, t, I. */
  state?: string
  ppid?: number
  /** Real uid. */
  uid?: number
  rssBytes?: number
  rssAnonBytes?: number
  rssFileBytes?: number
  rssShmemBytes?: number
  swapBytes?: number
  hwmBytes?: number
  threads?: number
}

/** /proc/PID/stat, parsed after the last `)` because the command name may hold spaces and parens. */
export interface ProcStat {
  pid: number
  comm: string
  state: string
  ppid: number
  pgrp: number
  /** CPU time in clock ticks (CLOCK_TICKS_PER_SECOND). */
  utime: number
  stime: number
  numThreads: number
  /** Clock ticks after boot; with the pid it identifies a process across pid reuse. */
  startTime: number
  vsizeBytes: number
  rssPages: number
}

/** /proc/PID/smaps_rollup in bytes, keyed by the file's own names (`Rss`, `Pss`, `Pss_Anon`, ...). */
export type SmapsRollup = Record<string, number>

const KB_LINE = /^([A-Za-z_]+):\s+(\d+)\s*kB$/

export function parseStatus (text: string): ProcStatus {
  const out: ProcStatus = {}
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const key = line.slice(0, colon)
    const value = line.slice(colon + 1).trim()
    switch (key) {
      case 'Name': out.name = value; break
      case 'State': out.state = value.charAt(0); break
      case 'PPid': out.ppid = Number(value); break
      case 'Uid': out.uid = Number(value.split(/\s+/)[0]); break
      case 'VmRSS': out.rssBytes = kb(value); break
      case 'RssAnon': out.rssAnonBytes = kb(value); break
      case 'RssFile': out.rssFileBytes = kb(value); break
      case 'RssShmem': out.rssShmemBytes = kb(value); break
      case 'VmSwap': out.swapBytes = kb(value); break
      case 'VmHWM': out.hwmBytes = kb(value); break
      case 'Threads': out.threads = Number(value); break
    }
  }
  return out
}

function kb (value: string): number | undefined {
  const m = /^(\d+)\s*kB$/.exec(value)
  return m ? Number(m[1]) * 1024 : undefined
}

/** Returns undefined for text that isn't a stat line (so a torn read is a missing reading, not a crash). */
export function parseStat (text: string): ProcStat | undefined {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  if (open < 0 || close < open) return undefined
  // Fields after ")" start at field 3 (state); index i here is field i + 3 of proc(5).
  const f = text.slice(close + 2).trim().split(' ')
  if (f.length < 22) return undefined
  const n = (field: number) => Number(f[field - 3])
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: f[0]!,
    ppid: n(4),
    pgrp: n(5),
    utime: n(14),
    stime: n(15),
    numThreads: n(20),
    startTime: n(22),
    vsizeBytes: n(23),
    rssPages: n(24),
  }
}

export function parseSmapsRollup (text: string): SmapsRollup {
  const out: SmapsRollup = {}
  for (const line of text.split('\n')) {
    const m = KB_LINE.exec(line.trim())
    if (m) out[m[1]!] = Number(m[2]) * 1024
  }
  return out
}

async function readProc (pid: number, file: string): Promise<string | undefined> {
  try {
    return await readProcText(`/proc/${pid}/${file}`)
  } catch {
    return undefined
  }
}

/**
 * The CPU time (ms) of the process's live threads: the sum of their schedstat run times, which
 * count nanoseconds where stat's utime and stime count clock ticks (10 ms: a watch of a target
 * that works 4% of a core would see its x axis move one tick every other row). Undefined when
 * the kernel keeps no schedstat. A thread that exits takes its time out of the sum.
 */
export async function readCpuMs (pid: number): Promise<number | undefined> {
  let tasks: string[]
  try {
    tasks = await readdir(`/proc/${pid}/task`)
  } catch {
    return undefined
  }
  const times = await Promise.all(tasks.map((tid) => readProc(pid, `task/${tid}/schedstat`)))
  // a thread gone since the listing is left out; none readable: no schedstat
  const runs = times.map((text) => Number(text?.split(' ')[0])).filter((n) => Number.isFinite(n))
  return runs.length ? runs.reduce((a, b) => a + b, 0) / 1e6 : undefined
}

export async function readStatus (pid: number): Promise<ProcStatus | undefined> {
  const text = await readProc(pid, 'status')
  return text === undefined ? undefined : parseStatus(text)
}

export async function readStat (pid: number): Promise<ProcStat | undefined> {
  const text = await readProc(pid, 'stat')
  return text === undefined ? undefined : parseStat(text)
}

/**
 * Walks the process's page tables under its mmap lock: cost grows with its resident size, so
 * call it every pssInterval, not every row. Needs ptrace-read access (same user or root).
 */
export async function readSmapsRollup (pid: number): Promise<SmapsRollup | undefined> {
  const text = await readProc(pid, 'smaps_rollup')
  if (text === undefined) return undefined
  const rollup = parseSmapsRollup(text)
  // A zombie or kernel thread yields an empty file: no reading rather than zeros.
  return rollup.Pss === undefined ? undefined : rollup
}

/** True while the process exists and hasn't exited (a zombie has exited; it awaits its reaper). */
export function isLive (stat: ProcStat | undefined): stat is ProcStat {
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X'
}

let bootTimeMs: number | undefined

/** Wall-clock ms of a process's start, from stat's startTime and the boot time in /proc/stat. */
export async function startTimeToEpochMs (startTicks: number): Promise<number | undefined> {
  if (bootTimeMs === undefined) {
    try {
      const m = /^btime\s+(\d+)$/m.exec(await readProcText('/proc/stat'))
      if (m) bootTimeMs = Number(m[1]) * 1000
    } catch {
      return undefined
    }
  }
  return bootTimeMs === undefined ? undefined : bootTimeMs + (startTicks * 1000) / CLOCK_TICKS_PER_SECOND
}
