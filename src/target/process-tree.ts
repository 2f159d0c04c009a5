/**
 * A process and its descendants (puma's master and workers, a shell and what it ran).
 *
 * The table is rebuilt from every /proc/PID/stat on each call instead of reading
 * /proc/PID/task/TID/children: the kernel documents `children` as reliable only for stopped
 * tasks, and it needs CONFIG_PROC_CHILDREN. Without /proc, `ps -A -o pid=,ppid=` gives the table.
 */
import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { promisify } from 'node:util'
import { hasProcfs, isLive, readStat } from './procfs.js'
import pLimit from 'p-limit'

const execFileAsync = promisify(execFile)

/** pid → parent pid, for every live process we can see. */
export type ProcessTable = Map<number, number>

/** Bounds open files while scanning a big /proc. */
const SCAN_CONCURRENCY = 64

export async function listPids (): Promise<number[]> {
  const names = await readdir('/proc')
  const pids: number[] = []
  for (const name of names) {
    if (name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57) pids.push(Number(name))
  }
  return pids
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping order: a big tree must not open thousands of files at once. */
export function mapLimited<T, R> (items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const run = pLimit(limit)
  return Promise.all(items.map((item) => run(() => fn(item))))
}

/** Where the table comes from: /proc where it exists, else `ps`. */
export type TableSource = 'proc' | 'ps'

export async function readProcessTable (source: TableSource = hasProcfs() ? 'proc' : 'ps'): Promise<ProcessTable> {
  const table: ProcessTable = new Map()
  if (source === 'ps') {
    const { stdout } = await execFileAsync('ps', ['-A', '-o', 'pid=,ppid='])
    for (const line of stdout.split('\n')) {
      const [pid, ppid] = line.trim().split(/\s+/).map(Number)
      if (pid && ppid !== undefined && !Number.isNaN(ppid)) table.set(pid, ppid)
    }
    return table
  }
  const pids = await listPids()
  const stats = await mapLimited(pids, SCAN_CONCURRENCY, readStat)
  for (const stat of stats) {
    // Zombies are left out: they hold no memory and their parent is about to reap them.
    if (isLive(stat)) table.set(stat.pid, stat.ppid)
  }
  return table
}

/** Every descendant of `root` in `table`, breadth first (children before grandchildren). */
export function descendantsOf (root: number, table: ProcessTable): number[] {
  const children = new Map<number, number[]>()
  for (const [pid, ppid] of table) {
    if (pid === ppid) continue
    let list = children.get(ppid)
    if (!list) children.set(ppid, (list = []))
    list.push(pid)
  }
  const out: number[] = []
  const seen = new Set<number>([root])
  const queue = [root]
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child)) continue
      seen.add(child)
      out.push(child)
      queue.push(child)
    }
  }
  return out
}

/** `root` followed by its descendants; empty when `root` isn't running. */
export async function processTree (root: number, source?: TableSource): Promise<number[]> {
  const table = await readProcessTable(source)
  if (!table.has(root)) return []
  return [root, ...descendantsOf(root, table)]
}
