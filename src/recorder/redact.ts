/**
 * Secrets out of everything memsiege writes or prints — summary.json, the copies of the scenario
 * and the URL list, report.html, bisect.json/html, stderr — so that a results folder can be
 * attached to an issue. One place decides what a secret is.
 */
import { isPair, isScalar, isSeq, parseDocument, visit, type Pair, type Scalar } from 'yaml'

export const REDACTED = '[redacted]'

/** Names whose values are secrets: headers, env variables, form fields, query parameters, flags. */
const SECRET_NAME = /authorization|cookie|token|secret|passw(or)?d|passwd|api[-_]?key|session|credential|private[-_]?key/i

export function isSecretName (name: string): boolean {
  return SECRET_NAME.test(name)
}

/** Header values a results folder must not leak when it is attached to an issue. */
export function redactHeaders (headers: ReadonlyArray<[string, string]>): Array<[string, string]> {
  return headers.map(([name, value]) => [name, isSecretName(name) ? REDACTED : value])
}

/** user:pass@ in a URL, and the values of secret-named query parameters. */
export function redactUrl (url: string | undefined): string | undefined {
  if (!url) return url
  return redactText(url)
}

/** Every value: an environment is where secrets are handed to a process. */
export function redactEnv (env: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!env) return env
  return Object.fromEntries(Object.keys(env).map((name) => [name, REDACTED]))
}

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:)[^\s/@'"]+@/gi
/** `--password=x`, `--api-key x`, `-p`-less: a flag whose name says secret, and its value. */
const SECRET_FLAG = /(--?[\w.-]*(?:authorization|cookie|token|secret|passw(?:or)?d|api[-_]?key|session|credential)[\w.-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s&'"]+)/gi
/** `PASSWORD=x` (shell, env prefix, URL-file variable), `password=x` (a query or a form body). */
const SECRET_ASSIGNMENT = /(^|[\s?&;'"])([\w.-]*(?:authorization|cookie|token|secret|passw(?:or)?d|api[-_]?key|session|credential)[\w.-]*)(\s*=\s*)("[^"]*"|'[^']*'|[^\s&'";]+)/gim
/** `Authorization: Bearer x` inside a command (curl -H) or a line. */
const SECRET_HEADER = /\b((?:proxy-)?authorization|cookie|set-cookie|x-[\w-]*(?:token|key|secret|auth)[\w-]*)(:\s*)([^'"\n]+)/gi

/**
 * Secret-looking parts of free text (a command line, a URL-list line, a URL): URL passwords,
 * secret-named flags, assignments and header lines; then every value of `known` (a header's
 * value, an env value) wherever it appears.
 */
export function redactText (text: string, known: readonly string[] = []): string {
  let out = text
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(SECRET_HEADER, `$1$2${REDACTED}`)
    .replace(SECRET_FLAG, `$1$2${REDACTED}`)
    .replace(SECRET_ASSIGNMENT, `$1$2$3${REDACTED}`)
  // Long values only: a short one ("1", "on") would blank unrelated text.
  for (const value of known) if (value.length >= 6) out = out.split(value).join(REDACTED)
  return out
}

/**
 * The scenario file as written (comments kept), with the values of secret-named keys, of
 * `target.env` and of secret headers redacted, and every string through redactText.
 */
export function redactScenarioYaml (text: string, known: readonly string[] = []): string {
  const doc = parseDocument(text)
  if (doc.errors.length) return redactText(text, known)
  visit(doc, {
    Pair (_, pair, path) {
      const key = keyOf(pair)
      const parent = path[path.length - 2]
      const inEnv = isPair(parent) && keyOf(parent) === 'env'
      if (isScalar(pair.value) && typeof pair.value.value === 'string' && (inEnv || (key !== undefined && isSecretName(key)))) pair.value.value = REDACTED
      if (key === 'headers' && isSeq(pair.value)) {
        // `- "Name: value"` items
        for (const item of pair.value.items) {
          if (isScalar(item) && typeof item.value === 'string') {
            const m = /^([^:]+):(.*)$/.exec(item.value)
            if (m && isSecretName(m[1])) item.value = `${m[1]}: ${REDACTED}`
          }
        }
      }
      return undefined
    },
    Scalar (_, node: Scalar) {
      if (typeof node.value === 'string' && node.value !== REDACTED) node.value = redactText(node.value, known)
    }
  })
  return doc.toString()
}

function keyOf (pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined
}

/** The secret values a scenario holds (secret headers', env values'), to blank wherever else they appear. */
export function scenarioSecrets (scenario: { headers: ReadonlyArray<[string, string]>; target: { env?: Readonly<Record<string, string>> } }): string[] {
  return [
    ...scenario.headers.filter(([name]) => isSecretName(name)).map(([, value]) => value),
    ...Object.values(scenario.target.env ?? {})
  ]
}
