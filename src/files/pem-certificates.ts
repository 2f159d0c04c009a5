/**
 * A file of CA certificates to trust (--upstream-ca), checked when it is given rather than when
 * the first TLS connection fails.
 */
import { X509Certificate } from 'node:crypto'
import { readRegularFile } from './regular-file.js'

/** What is wrong with `path` as a PEM file of CA certificates to trust upstream (--upstream-ca); undefined when nothing is. */
export function upstreamCaProblem (path: string): string | undefined {
  let text: string
  try {
    text = readRegularFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? 'no such file' : `can't be read (${code ?? (err as Error).message})`
  }
  try {
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no certificate')
    void new X509Certificate(text)
    return undefined
  } catch {
    return 'not a PEM certificate (-----BEGIN CERTIFICATE-----)'
  }
}
