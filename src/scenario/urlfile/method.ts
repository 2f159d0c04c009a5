import type { LineContext } from './context.js'
import { trimSpace } from './lines.js'

/**
 * The keywords siege 4.0 recognises, searched for in this order: the first one
 * of the list found anywhere in the line wins, even if another keyword appears
 * earlier. A keyword needs a space (not a TAB) before it but nothing after
 * it: `POSTz=9` is POST with body `z=9`.
 */
const BODY_METHODS = ['POST', 'PUT', 'PATCH', 'OPTIONS', 'DELETE'] as const

/**
 * siege leaves ` GET` and ` HEAD` in the URL. memsiege honours them, but only
 * as the last word of the line, so a URL that merely contains them is read as siege reads it.
 */
const BODYLESS_METHOD = / (GET|HEAD)$/

export type BodySource =
  | { kind: 'inline'; text: string }
  /** `<path` or `< path`. */
  | { kind: 'file'; path: string }

export interface MethodLine {
  method: string
  /** The URL as written, before the keyword. */
  url: string
  /** Lines with a body keyword always have a body slot, even an empty one. */
  body?: BodySource
  /** siege 4.2's per-line `-T type;` in front of the body. */
  contentType?: string
}

export function splitMethod (text: string, at: LineContext): MethodLine {
  for (const method of BODY_METHODS) {
    const index = text.indexOf(` ${method}`)
    if (index === -1) continue
    const slot = text.slice(index + 1 + method.length).replace(/^[ \t\n\v\f\r]+/, '')
    return { method, url: trimSpace(text.slice(0, index)), ...readBodySlot(slot) }
  }
  const bodyless = BODYLESS_METHOD.exec(text)
  if (bodyless) {
    at.quirk('get-head-keyword', `" ${bodyless[1]}" is read as the method; siege 4.0 sends it as part of the path`)
    return { method: bodyless[1], url: trimSpace(text.slice(0, bodyless.index)) }
  }
  return { method: 'GET', url: text }
}

/**
 * siege 4.2 takes `-T` anywhere in the slot and a type up to the next `;`
 * anywhere; memsiege takes it only in front, so a body that contains ` -T ` or
 * a `;` stays intact: `-T application/json; {"a":1}`.
 */
const CONTENT_TYPE_OPTION = /^-T[ \t]+([^;\s]+);?[ \t]*/

function readBodySlot (slot: string): Pick<MethodLine, 'body' | 'contentType'> {
  const option = CONTENT_TYPE_OPTION.exec(slot)
  const rest = option ? slot.slice(option[0].length) : slot
  const body: BodySource = rest.startsWith('<')
    ? { kind: 'file', path: trimSpace(rest.slice(1)) }
    : { kind: 'inline', text: rest }
  return option ? { body, contentType: option[1] } : { body }
}
