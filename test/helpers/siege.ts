import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { RecordedRequest } from '../fixtures/raw-server.js'

/** The real siege (Debian's 4.0.7), for differential tests. */
export const SIEGE = '/usr/bin/siege'
const SIEGE_TIMEOUT_MS = 20_000
export const SIEGE_ENV = { SGENV: 'from-env' }

/** What one request looked like on the wire, in the terms both sides can express. */
export interface Wire {
  method: string
  target: string
  body: string
  contentType?: string
}

/** CI installs siege before the tests; on a machine without it the differential tests are skipped, saying why. */
export function siegeSkipReason (): string | false {
  return existsSync(SIEGE) ? false : `${SIEGE} not found (Debian package "siege"; .ci/run installs it)`
}

export function tempDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'memsiege-siege-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function siegeRc (dir: string): string {
  const rc = join(dir, 'siegerc')
  writeFileSync(rc, [
    'json_output = false',
    'verbose = false',
    'parser = false',
    'show-logfile = false',
    'logging = false',
    'protocol = HTTP/1.1',
    'connection = keep-alive',
    // As Debian's shipped siegerc has it (the compiled-in default is '*').
    'accept-encoding = gzip, deflate',
    ''
  ].join('\n'))
  return rc
}

/** Runs siege over every line once (-c 1 -r N walks the file in order), killed after 20 s. */
export function runSiege (dir: string, urlFile: string, repetitions: number, extraArgs: string[] = []): Promise<{ code: number | null; output: string }> {
  const args = ['-R', siegeRc(dir), '-f', urlFile, '-c', '1', '-r', String(repetitions), '-b', ...extraArgs]
  // HOME is the temp dir: siege writes ~/.siege/siege.conf on its first run.
  const child = spawn(SIEGE, args, { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ...SIEGE_ENV }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const killer = setTimeout(() => child.kill('SIGKILL'), SIEGE_TIMEOUT_MS)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(killer)
      resolve({ code, output })
    })
  })
}

export function wireOf (request: RecordedRequest): Wire {
  const contentType = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]
  return { method: request.method, target: request.target, body: request.body.toString('latin1'), ...(contentType === undefined ? {} : { contentType }) }
}
