import { createRequire } from 'node:module'
import type { CookieJar } from 'tough-cookie'

/** tough-cookie, loaded when a server first sets a cookie: a run (and each worker thread) that never sees one skips its start-up CPU. */
let Jar: typeof CookieJar | undefined
function newJar (): CookieJar {
  Jar ??= (createRequire(import.meta.url)('tough-cookie') as { CookieJar: typeof CookieJar }).CookieJar
  return new Jar()
}

/** One user's cookies, as each siege user keeps its own; the jar is only made once a server sets a cookie. */
export class UserCookies {
  #jar: CookieJar | undefined

  store (setCookie: string, url: URL): void {
    this.#jar ??= newJar()
    try {
      this.#jar.setCookieSync(setCookie, url.href)
    } catch {
      // A cookie the server may not set for this URL (wrong domain, bad syntax) is dropped, as browsers do.
    }
  }

  /** The Cookie header for this URL, or '' when there is none. */
  header (url: URL): string {
    return this.#jar ? this.#jar.getCookieStringSync(url.href) : ''
  }
}
