/**
 * What an app needs in its environment to go through a stub: the proxy variables (both cases:
 * Ruby and curl read the lower-case ones, some clients only the upper-case), and the trust
 * variables of the common runtimes pointing at the stub's CA.
 */
import type { StubCa } from './ca.js'
import { writeTrustBundle } from './ca.js'
import { dirname } from 'node:path'

export function proxyEnv (proxyUrl: string, ca: StubCa): Record<string, string> {
  const bundle = writeTrustBundle(ca, dirname(ca.certPath))
  return {
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    // Ruby (OpenSSL) and Python replace their trust store with it: the bundle keeps the system's CAs too.
    SSL_CERT_FILE: bundle,
    REQUESTS_CA_BUNDLE: bundle,
    CURL_CA_BUNDLE: bundle,
    // Node adds it to its own.
    NODE_EXTRA_CA_CERTS: ca.certPath,
  }
}

/** The same as shell `export` lines, for a person to paste. */
export function exportLines (env: Record<string, string>): string {
  return Object.entries(env).map(([name, value]) => `export ${name}=${value}`).join('\n')
}
