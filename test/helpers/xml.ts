/**
 * A strict little XML well-formedness check for the SVG tests: one root, every tag closed in
 * order, attributes quoted and unique, only the predefined entities and character references,
 * no raw `<` or `&` in text or attribute values. Returns the element tree to query.
 * (The browser test parses the same SVG with Chromium's DOMParser too.)
 */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/

function decode (s: string, where: number): string {
  return s.replace(/&([^;]*);|&/g, (_m, ent: string | undefined) => {
    if (ent === undefined) throw new Error(`bare & at ${where}`)
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
    if (ent in named) return named[ent]
    if (/^#\d+$/.test(ent)) return String.fromCodePoint(Number(ent.slice(1)))
    if (/^#x[0-9a-fA-F]+$/.test(ent)) return String.fromCodePoint(parseInt(ent.slice(2), 16))
    throw new Error(`unknown entity &${ent}; at ${where}`)
  })
}

export function parseXml (xml: string): XmlElement {
  let i = 0
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  const fail = (msg: string): never => { throw new Error(`${msg} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`) }
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>')
    if (end < 0) fail('unterminated XML declaration')
    i = end + 2
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i)
    const text = xml.slice(i, lt < 0 ? xml.length : lt)
    if (text.trim()) {
      if (stack.length === 0) fail('text outside the root')
      stack[stack.length - 1].text += decode(text, i)
    }
    if (lt < 0) break
    i = lt
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i)
      if (end < 0) fail('unterminated comment')
      i = end + 3
      continue
    }
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2))
      if (!m) fail('bad closing tag')
      const name = m![0]
      const close = xml.indexOf('>', i)
      if (xml.slice(i + 2 + name.length, close).trim()) fail('junk in closing tag')
      const open = stack.pop()
      if (!open || open.name !== name) fail(`</${name}> closes <${open?.name}>`)
      i = close + 1
      continue
    }
    i++
    const m = NAME.exec(xml.slice(i))
    if (!m) fail('bad tag name')
    const el: XmlElement = { name: m![0], attrs: {}, children: [], text: '' }
    i += el.name.length
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0]
      i += ws.length
      if (xml.startsWith('/>', i)) { i += 2; attach(el, true); break }
      if (xml[i] === '>') { i++; attach(el, false); break }
      if (!ws) fail('attributes must be separated by space')
      const a = NAME.exec(xml.slice(i))
      if (!a) fail('bad attribute name')
      const name = a![0]
      i += name.length
      if (xml[i] !== '=') fail(`attribute ${name} without value`)
      i++
      const q = xml[i]
      if (q !== '"' && q !== "'") fail(`attribute ${name} not quoted`)
      const end = xml.indexOf(q, i + 1)
      if (end < 0) fail('unterminated attribute')
      const value = xml.slice(i + 1, end)
      if (value.includes('<')) fail(`raw < in attribute ${name}`)
      if (name in el.attrs) fail(`duplicate attribute ${name}`)
      el.attrs[name] = decode(value, i)
      i = end + 1
    }
  }
  if (stack.length) fail(`<${stack[stack.length - 1].name}> never closed`)
  if (!root) fail('no root element')
  return root!

  function attach (el: XmlElement, selfClosing: boolean): void {
    if (stack.length) stack[stack.length - 1].children.push(el)
    else if (root) fail('a second root element')
    else root = el
    if (!selfClosing) stack.push(el)
  }
}

/** Every element under (and including) `el` named `name`. */
export function findAll (el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = []
  const walk = (e: XmlElement) => { if (pred(e)) out.push(e); e.children.forEach(walk) }
  walk(el)
  return out
}

/** All text under an element. */
export function textOf (el: XmlElement): string {
  return el.text + el.children.map(textOf).join('')
}
