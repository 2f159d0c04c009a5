import { mkdirSync, statfsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ConfigError } from '../errors.js'

/**
 * Kernel filesystems that are not storage: creating folders there fails in odd ways (a recursive
 * mkdir under /proc never returns) or litters the device tree. Magic numbers from statfs(2).
 */
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0x65735543, 'fusectl'],
  [0x19800202, 'mqueue'],
  [0xde5e81e4, 'efivarfs']
])
/** devtmpfs has tmpfs's magic number, so /dev goes by its path. */
const DEVICE_TREE = /^\/dev(\/|$)/

/**
 * Creates the folder `dir` (and its parents) for memsiege's output; `what` names where it came
 * from (`--out`) for the error. Refuses a folder on a pseudo-filesystem with one line. `mode`:
 * of the folders it creates (0o700 for a folder of secrets).
 */
export function makeOutputFolder (dir: string, what: string, mode?: number): string {
  const path = resolve(dir)
  const problem = storageProblem(path)
  if (problem) throw new ConfigError(`${what} ${path}: ${problem}`)
  try {
    mkdirSync(path, { recursive: true, ...(mode !== undefined ? { mode } : {}) })
  } catch (err) {
    const { code } = err as NodeJS.ErrnoException
    throw new ConfigError(`${what} ${path}: ${code === 'EEXIST' ? 'a file is in the way' : code === 'ENOTDIR' ? 'a file is in the way of one of its folders' : `cannot create the folder (${code ?? (err as Error).message})`}`)
  }
  return path
}

/** Why the folder `path` (absolute) can't hold memsiege's output, checked before creating it; undefined when it can. */
export function storageProblem (path: string): string | undefined {
  const kind = pseudoFilesystem(path)
  return kind ? `${kind} is a kernel filesystem, not storage; give a folder on a disk` : undefined
}

function pseudoFilesystem (path: string): string | undefined {
  if (DEVICE_TREE.test(path)) return '/dev'
  // The nearest folder that exists says which filesystem the new one would be on.
  for (let at = path; ; at = dirname(at)) {
    let type: number
    try {
      type = statfsSync(at).type
    } catch {
      if (at === dirname(at)) return undefined
      continue
    }
    return PSEUDO_FILESYSTEMS.get(type)
  }
}
