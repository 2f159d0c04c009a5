import { CookieJar } from 'tough-cookie'

/** One user's cookies, as each siege user keeps its own; the jar is only made once a server sets a cookie. */
export class UserCookies {
  #jar: CookieJar | undefined

  store (setCookie: string, url: URL): void {
    this.#jar ??= new CookieJar()
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
