/**
 * The certificate authority the stub signs its per-host leaf certificates with, kept in a folder
 * so that the apps told to trust it once keep trusting it: key.pem (0600: whoever holds it can
 * impersonate any host to those apps) and cert.pem, created on first use and reused after.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '../errors.js'
import { makeOutputFolder } from '../recorder/output-folder.js'
import { readRegularFile } from '../files/regular-file.js'

export interface StubCa {
  keyPath: string
  certPath: string
  key: string
  cert: string
  /** Made now (false: read from the folder). */
  created: boolean
}

/** ~/.config/memsiege/ca, or under $XDG_CONFIG_HOME. */
export function defaultCaDir (): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'memsiege', 'ca')
}

export async function loadOrCreateCa (dir: string): Promise<StubCa> {
  const keyPath = join(dir, 'key.pem')
  const certPath = join(dir, 'cert.pem')
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ConfigError(`--ca-dir: not a folder: ${dir}`)
  if (existsSync(keyPath) !== existsSync(certPath)) {
    throw new ConfigError(`--ca-dir: ${dir} holds only one of key.pem and cert.pem; remove it or add the other`)
  }
  if (existsSync(keyPath)) {
    // A key others can read is a key others can sign with: say so rather than use it silently.
    chmodSync(keyPath, 0o600)
    const key = readPem(keyPath, 'private key', createPrivateKey)
    const cert = readPem(certPath, 'certificate', (text) => new X509Certificate(text))
    if (!cert.parsed.checkPrivateKey(key.parsed)) throw new ConfigError(`--ca-dir: ${certPath} is not the certificate of ${keyPath}; remove both, and a new CA is made`)
    return { keyPath, certPath, key: key.text, cert: cert.text, created: false }
  }
  const { generateCACertificate } = await import('mockttp')
  const { key, cert } = await generateCACertificate({ subject: { commonName: 'memsiege stub CA (testing only)', organizationName: 'memsiege' } })
  makeOutputFolder(dir, '--ca-dir', 0o700)
  writeFileSync(keyPath, key, { mode: 0o600 })
  writeFileSync(certPath, cert, { mode: 0o644 })
  return { keyPath, certPath, key, cert, created: true }
}

/** A PEM file of the CA read and parsed, so that a damaged one is named here rather than deep in the TLS code. */
function readPem<T> (path: string, what: string, parse: (text: string) => T): { text: string; parsed: T } {
  let text: string
  try {
    text = readRegularFile(path)
  } catch (err) {
    throw new ConfigError(`--ca-dir: ${path}: can't be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  try {
    return { text, parsed: parse(text) }
  } catch {
    throw new ConfigError(`--ca-dir: ${path}: not a PEM ${what}; remove key.pem and cert.pem, and a new CA is made`)
  }
}

const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem']

/**
 * cert.pem followed by the system's CA bundle, as bundle.pem: SSL_CERT_FILE replaces a Ruby
 * app's trust store, and the app may still call hosts the stub does not see (no_proxy).
 */
export function writeTrustBundle (ca: StubCa, dir: string): string {
  const system = SYSTEM_BUNDLES.find((path) => existsSync(path))
  const path = join(dir, 'bundle.pem')
  writeFileSync(path, ca.cert + (system ? '\n' + readFileSync(system, 'utf8') : ''))
  return path
}
