/**
 * One RFC 4180 record out of a string: fields may be quoted, with "" for a quote and with
 * commas and line breaks inside. samples.csv's header needs this (GC column names such as
 * `gc.http_requests{code="200",method="get"}` are quoted by csv-stringify); its data rows are
 * numbers and go through the reader's fast path instead.
 */

export interface CsvRecord {
  fields: string[]
  /** Index just past the record's line break (or text.length). */
  end: number
}

/**
 * Parses the record starting at `start`. Returns undefined when the text ends inside it
 * without `final` (more text may complete it); with `final`, the end of text ends it.
 */
export function parseCsvRecord (text: string, start: number, final = true): CsvRecord | undefined {
  const fields: string[] = []
  let i = start
  const n = text.length
  for (;;) {
    let value = ''
    if (text.charCodeAt(i) === 34 /* " */) {
      i++
      for (;;) {
        const q = text.indexOf('"', i)
        if (q < 0) {
          if (!final) return undefined
          value += text.slice(i)
          i = n
          break
        }
        value += text.slice(i, q)
        if (q + 1 >= n && !final) return undefined
        if (text.charCodeAt(q + 1) === 34) {
          value += '"'
          i = q + 2
        } else {
          i = q + 1
          break
        }
      }
      // Anything between the closing quote and the next separator is kept, as lenient readers do.
      const stop = nextStop(text, i)
      value += text.slice(i, stop)
      i = stop
    } else {
      const stop = nextStop(text, i)
      value = text.slice(i, stop)
      i = stop
    }
    fields.push(value)
    if (i >= n) {
      if (!final) return undefined
      return { fields, end: n }
    }
    const c = text.charCodeAt(i)
    if (c === 44 /* , */) {
      i++
      continue
    }
    // A line break: \n, \r\n or a lone \r.
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++
    else if (c === 13 && i + 1 >= n && !final) return undefined
    return { fields, end: i + 1 }
  }
}

function nextStop (text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 44 || c === 10 || c === 13) return i
  }
  return text.length
}
