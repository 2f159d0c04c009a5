import { type LineContext, lineError } from './context.js'
import { escapeRequestTarget } from './escape.js'

export interface AddressOptions {
  /** Base URL for relative lines. */
  base?: string
  /** siege escapes the targets of GET lines only. */
  escape: boolean
}

// What siege (after wget) takes for a scheme: [A-Za-z0-9+-]+ then ':'. No '.', so `127.0.0.1:80` is a host.
const SIEGE_SCHEME = /^[A-Za-z0-9+-]+:/
// The URL parser accepts any number of slashes (or backslashes) after a special scheme.
const HTTP_SCHEME = /^https?:[/\\]*/i
// `localhost:8080/x`: siege sees the scheme "localhost:"; a port number after the colon says it is a host.
const HOST_AND_PORT = /^[A-Za-z0-9+-]+:\d+(?=[/?#]|$)/
const RELATIVE_START = /^[/.?]/

/**
 * The absolute http(s) URL a line's URL text stands for, fragment removed.
 * Like siege, a line without a scheme is `http://` + the line; unlike siege,
 * with a base URL a line without a scheme or an unmistakable host is a path
 * relative to the base.
 */
export function toAbsoluteUrl (text: string, options: AddressOptions, at: LineContext): string {
  const absolute = withScheme(text, options.base, at)
  if (absolute === undefined && options.base === undefined) {
    throw lineError(at, `relative URL "${text}" needs a base URL (an absolute URL, or the scenario's target url)`)
  }
  const url = absolute === undefined
    ? parse(options.escape ? escapeRequestTarget(text) : text, options.base, at)
    : parse(options.escape ? escapeAfterAuthority(absolute) : absolute, undefined, at)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw lineError(at, `unsupported scheme "${url.protocol}"`)
  }
  url.hash = ''
  // The engine sends them as Basic credentials, decoded: a bad %-escape must fail here, not mid-run.
  for (const part of [url.username, url.password]) {
    try {
      decodeURIComponent(part)
    } catch {
      throw lineError(at, `bad %-escape in the user name or password of "${text}" (write % as %25)`)
    }
  }
  return url.href
}

/** `text` as an absolute URL string, or undefined when it is relative. */
function withScheme (text: string, base: string | undefined, at: LineContext): string | undefined {
  if (HTTP_SCHEME.test(text)) {
    // The URL parser would read `http:///x` (`http://$(HOST)/x` with HOST unset) as host "x".
    if (/^https?:\/\/[/?#\\]/i.test(text)) throw lineError(at, `no host in URL "${text}"`)
    return text
  }
  const authority = authorityOf(text)
  const scheme = SIEGE_SCHEME.exec(text)?.[0]
  if (scheme !== undefined) {
    if (!HOST_AND_PORT.test(text) && !authority.includes('@')) {
      throw lineError(at, `unsupported scheme "${scheme}"`)
    }
    at.quirk('host-read-as-scheme', `"${authority}" is read as a host; siege reads "${scheme}" as an unsupported scheme and fails the request`)
    return `http://${text}`
  }
  if (RELATIVE_START.test(text)) return undefined
  if (base !== undefined && !isUnmistakableHost(authority)) return undefined
  return `http://${text}`
}

function authorityOf (text: string): string {
  return text.match(/^[^/?#\\]*/)![0]
}

/**
 * Without a base, siege's reading wins: `www/index.html` is host `www`. With a
 * base, `api/x?y=1` is a path, and only a first segment that cannot be a path
 * segment names a host.
 */
function isUnmistakableHost (authority: string): boolean {
  return authority.startsWith('[') ||
    authority.includes('@') ||
    /:\d+$/.test(authority) ||
    /^localhost$/i.test(authority) ||
    /^\d{1,3}(\.\d{1,3}){3}$/.test(authority)
}

/** siege escapes from the path on; the authority (user:pass@host:port) is left alone. */
function escapeAfterAuthority (url: string): string {
  const authorityStart = HTTP_SCHEME.exec(url)![0].length
  const targetStart = authorityStart + authorityOf(url.slice(authorityStart)).length
  return url.slice(0, targetStart) + escapeRequestTarget(url.slice(targetStart))
}

function parse (text: string, base: string | undefined, at: LineContext): URL {
  try {
    return new URL(text, base)
  } catch {
    throw lineError(at, base === undefined ? `invalid URL "${text}"` : `invalid URL "${text}" (base "${base}")`)
  }
}
