// Installs the Debian packages the bench needs, only when their binary is missing.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { hasCommand } from './proc.mjs'

/** binary → Debian package that ships it. */
const NEEDED = [
  { bin: 'nginx', pkg: 'nginx-light', fallback: 'nginx' },
  { bin: 'wrk', pkg: 'wrk' },
  { bin: 'taskset', pkg: 'util-linux' },
  { bin: '/usr/bin/time', pkg: 'time' }
]

function present (bin) {
  return bin.startsWith('/') ? existsSync(bin) : hasCommand(bin)
}

/** Returns a list of warnings; never throws (a missing tool is skipped later). */
export function ensureDebianPackages (log) {
  const warnings = []
  const missing = NEEDED.filter((n) => !present(n.bin))
  if (missing.length === 0) return warnings
  const names = missing.map((m) => m.pkg)
  if (process.getuid?.() !== 0) {
    warnings.push(`missing ${missing.map((m) => m.bin).join(', ')}; not root, so not installing (apt-get install -y ${names.join(' ')})`)
    return warnings
  }
  if (!hasCommand('apt-get')) {
    warnings.push(`missing ${missing.map((m) => m.bin).join(', ')} and no apt-get to install ${names.join(' ')}`)
    return warnings
  }
  log(`installing Debian packages: ${names.join(' ')}`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const update = spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env })
  if (update.status !== 0) warnings.push('apt-get update failed')
  for (const m of missing) {
    let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', m.pkg], { stdio: ['ignore', 'ignore', 'inherit'], env })
    if (r.status !== 0 && m.fallback) {
      r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', m.fallback], { stdio: ['ignore', 'ignore', 'inherit'], env })
    }
    if (r.status !== 0 || !present(m.bin)) warnings.push(`could not install ${m.pkg} (for ${m.bin})`)
  }
  return warnings
}
