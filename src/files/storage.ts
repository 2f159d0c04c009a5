/**
 * Whether a folder can hold memsiege's output: checked before anything is created, by what the
 * kernel says of the filesystem it would be on.
 */
import { statfsSync } from 'node:fs'
import { dirname } from 'node:path'

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
