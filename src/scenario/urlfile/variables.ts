import { type LineContext, lineError } from './context.js'

export interface VariableDefinition {
  name: string
  value: string
}

/**
 * siege: a line is a definition when everything before its first `=` is
 * [A-Za-z0-9_]; the value follows any run of whitespace, `=` and `:` (so
 * `X=:a` defines `a`) and is kept literally, quotes included.
 */
const DEFINITION = /^(\w*)=[ \t\n\v\f\r=:]*(.*)$/s

export function parseVariableLine (text: string): VariableDefinition | undefined {
  const match = DEFINITION.exec(text)
  return match ? { name: match[1], value: match[2] } : undefined
}

/**
 * `\$`, then `$(NAME)` or `${NAME}` (siege accepts either closing bracket, so
 * `${H)` works there and here), then a bare `$NAME`, then a lone `$`.
 */
const REFERENCE = /\\\$|\$(?:[({](\w+)[)}]|([A-Za-z_]\w*))?/g

/**
 * The variables of one URL list. siege stores values unexpanded and keeps
 * re-scanning a line until no `$` is left, so a value may refer to other
 * variables, looked up when the line that uses it is read.
 */
export class VariableScope {
  readonly #definitions = new Map<string, string>()
  readonly #env: Record<string, string | undefined>

  constructor (env: Record<string, string | undefined>) {
    this.#env = env
  }

  /** siege keeps the first definition of a name and ignores later ones. */
  define ({ name, value }: VariableDefinition): void {
    if (!this.#definitions.has(name)) this.#definitions.set(name, value)
  }

  /** Replaces every reference in `text` with its value: file variables, then the environment, else ''. */
  expand (text: string, at: LineContext): string {
    return this.#expand(text, at, [])
  }

  #expand (text: string, at: LineContext, expanding: string[]): string {
    return text.replace(REFERENCE, (match: string, bracketed: string | undefined, bare: string | undefined, offset: number) => {
      if (match === '\\$') {
        at.quirk('escaped-dollar', '"\\$" sends a literal "$"; siege 4.0 sends the backslash and drops the rest of the line (honoured from siege 4.1.1)')
        return '$'
      }
      const name = bracketed ?? bare
      if (name === undefined) {
        at.quirk('literal-dollar', `"${text.slice(offset, offset + 12)}" is sent as written; siege 4.0 reads a variable name after "$" up to the next "/", ")" or "}" and drops it (siege issue #189)`)
        return '$'
      }
      if (bare !== undefined) warnIfSiegeReadsNameDifferently(text, offset + match.length, bare, at)
      return this.#valueOf(name, at, expanding)
    })
  }

  #valueOf (name: string, at: LineContext, expanding: string[]): string {
    const value = this.#definitions.get(name)
    if (value === undefined) return this.#env[name] ?? ''
    if (expanding.includes(name)) {
      throw lineError(at, `variable ${[...expanding, name].join(' -> ')} refers to itself`)
    }
    return this.#expand(value, at, [...expanding, name])
  }
}

/** siege's bare name runs to the next `/`, `)`, `}` or the end of the line, and swallows that `)` or `}`. */
function warnIfSiegeReadsNameDifferently (text: string, end: number, name: string, at: LineContext): void {
  const next = text[end]
  if (next === undefined || next === '/') return
  const siegeName = text.slice(end - name.length).match(/^[^/)}]*/)![0]
  const siegeReading = siegeName === name ? `drops the "${next}" after it` : `reads the variable name "${siegeName}"`
  at.quirk('bare-variable-name', `"$${name}" ends at "${next}"; siege 4.0 ${siegeReading}`)
}
