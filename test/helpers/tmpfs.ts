import type { Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'

/**
 * A small tmpfs of its own for a test that needs a disk to fill up for real (mounting needs root):
 * unmounted and removed when the test ends. `skip` says why there is none.
 */
export function mountTmpfs (t: Test, size: string): { mountPoint: string, skip: string | false } {
  const mountPoint = t.testdirName + '-tmpfs'
  mkdirSync(mountPoint, { recursive: true })
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint]).status === 0
  t.teardown(() => {
    if (mounted) spawnSync('umount', [mountPoint])
    rmSync(mountPoint, { recursive: true, force: true })
  })
  return { mountPoint, skip: mounted ? false : 'cannot mount a tmpfs here (needs root)' }
}
