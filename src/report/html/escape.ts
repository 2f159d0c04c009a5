/**
 * HTML built from TypeScript template strings, escaped by default: every value interpolated into
 * `html\`…\`` is escaped unless it is itself the result of `html` (or `raw`, for markup we made).
 * Strings from a run (scenario names, URLs, endpoints, event details) can never become markup.
 */
import { escapeXml } from '../svg-chart.js'

export class SafeHtml {
  constructor (readonly text: string) {}
  toString (): string { return this.text }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[]

/** Escapes & < > " ' (safe in text and in quoted attributes). */
export function escapeHtml (text: string): string {
  return escapeXml(text)
}

function render (value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof SafeHtml) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

export function html (strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]
  return new SafeHtml(out)
}

/** Markup we made ourselves (inlined library code, an SVG we generated): not escaped. */
export function raw (text: string): SafeHtml {
  return new SafeHtml(text)
}

/**
 * JSON for a <script type="application/json"> element: `<` is written as \u003c so that no
 * string can close the element (`</script>`) or open a comment; U+2028/9 for old parsers.
 */
export function jsonForScript (value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029'))
}
