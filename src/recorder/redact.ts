const SECRET_NAME = /authorization|cookie|token|secret|password|api[-_]?key|session/i

/** Header values a results folder must not leak when it is attached to an issue. */
export function redactHeaders (headers: ReadonlyArray<[string, string]>): Array<[string, string]> {
  return headers.map(([name, value]) => [name, SECRET_NAME.test(name) ? '[redacted]' : value])
}

/** user:pass@ in a URL. */
export function redactUrl (url: string | undefined): string | undefined {
  if (!url) return url
  try {
    const u = new URL(url)
    if (!u.password) return url
    u.password = 'redacted'
    return u.href
  } catch {
    return url
  }
}
