/**
 * A small static line chart in SVG, for memory.svg: axes with ticks in human units, lines (solid
 * or dashed, with gaps at empty cells), dots, a second y axis, vertical event markers, a title
 * and a legend. No script, no external reference: it renders wherever SVG does (an <img>, GitHub).
 */
import { clockFormat, formatClock, niceStep, timeTicks, unitScale, type SeriesUnit } from '../units/format.js'

export interface SvgAxis {
  /** The unit of the values: bytes, objects, count, ms … (ticks are scaled: MiB, k objects). */
  unit: SeriesUnit
  /** The axis title, without the unit: "RSS". */
  label: string
  /** Start the axis at zero. */
  zero?: boolean
}

export interface SvgLine {
  label: string
  axis: 'left' | 'right'
  color: string
  /** [x, y]; a null y breaks the line. */
  points: ReadonlyArray<readonly [number, number | null]>
  kind: 'line' | 'dashed' | 'dots'
  width?: number
  /** Leave out of the legend (a second segment of a line already there). */
  legend?: false
}

export interface SvgMarker {
  x: number
  label: string
  color?: string
}

export interface SvgChartSpec {
  width?: number
  height?: number
  title: string
  subtitle?: string
  /** The title's colour (the verdict's). */
  titleColor?: string
  x: { label: string; kind: 'time' | 'count' }
  left: SvgAxis
  right?: SvgAxis
  lines: SvgLine[]
  markers?: SvgMarker[]
  /** A line of small print under the legend. */
  note?: string
}

const FONT = 'DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif'
const INK = '#222'
const GRID = '#e4e4e4'
const MUTED = '#666'

/** Escapes text for XML (and HTML): & < > " '. */
export function escapeXml (text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!))
    // characters XML 1.0 does not allow at all
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
}

interface Scale {
  lo: number
  hi: number
  ticks: number[]
  labels: string[]
  suffix: string
}

/** A value axis over [min, max], widened to whole ticks. */
function valueScale (min: number, max: number, unit: SeriesUnit, zero: boolean): Scale {
  if (zero) min = Math.min(0, min)
  if (!Number.isFinite(min) || !Number.isFinite(max)) { min = 0; max = 1 }
  if (max === min) {
    const pad = max === 0 ? 1 : Math.abs(max) * 0.05
    min = zero && min >= 0 ? 0 : min - pad
    max += pad
  }
  const s = unitScale(Math.max(Math.abs(min), Math.abs(max)), unit)
  const step = niceStep((max - min) / s.divisor / 5)
  const lo = Math.floor(min / s.divisor / step + 1e-9) * step
  const hi = Math.ceil(max / s.divisor / step - 1e-9) * step
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  const ticks: number[] = []
  const labels: string[] = []
  for (let v = lo; v <= hi + step * 1e-6; v += step) {
    ticks.push(v * s.divisor)
    labels.push(v.toFixed(decimals))
  }
  return { lo: lo * s.divisor, hi: hi * s.divisor, ticks, labels, suffix: s.suffix }
}

function xScale (min: number, max: number, kind: 'time' | 'count'): Scale {
  if (!(max > min)) max = min + 1
  if (kind === 'time') {
    const ticks = timeTicks(min, max, 8)
    return { lo: min, hi: max, ticks, labels: ticks.map(formatClock), suffix: clockFormat(max - min) }
  }
  const s = valueScale(min, max, 'count', false)
  return { ...s, lo: min, hi: max, ...withinRange(s, min, max) }
}

function withinRange (s: Scale, min: number, max: number): Pick<Scale, 'ticks' | 'labels'> {
  const keep = s.ticks.map((t, i) => [t, i] as const).filter(([t]) => t >= min - 1e-9 && t <= max + 1e-9)
  return { ticks: keep.map(([t]) => t), labels: keep.map(([, i]) => s.labels[i]) }
}

const n = (v: number) => (Math.round(v * 10) / 10).toString()

/** The chart as an SVG document (UTF-8, well-formed XML). */
export function svgChart (spec: SvgChartSpec): string {
  const W = spec.width ?? 960
  const H = spec.height ?? 440
  const top = spec.subtitle ? 64 : 46
  const left = 72
  const items: Array<{ draw: (x: number, y: number) => string; text: string }> = []
  // the legend lists the left axis's lines first, whatever order they are drawn in
  for (const l of [...spec.lines].sort((a, b) => Number(a.axis === 'right') - Number(b.axis === 'right'))) {
    if (l.legend === false) continue
    const text = `${l.label}${spec.right ? (l.axis === 'right' ? ' (right)' : ' (left)') : ''}`
    items.push({
      text,
      draw: (x, y) => l.kind === 'dots'
        ? `<circle cx="${x + 10}" cy="${y - 4}" r="3" fill="${l.color}"/>`
        : `<line x1="${x}" x2="${x + 20}" y1="${y - 4}" y2="${y - 4}" stroke="${l.color}" stroke-width="2"${l.kind === 'dashed' ? ' stroke-dasharray="5 3"' : ''}/>`
    })
  }
  if (spec.markers?.length) items.push({ text: 'target event', draw: (x, y) => `<line x1="${x}" x2="${x + 20}" y1="${y - 4}" y2="${y - 4}" stroke="#b00020" stroke-width="1.5" stroke-dasharray="4 3"/>` })
  const itemWidth = (text: string) => 26 + text.length * 6.6 + 18
  let legendRows = items.length ? 1 : 0
  for (let x = left, i = 0; i < items.length; i++) {
    const w = itemWidth(items[i].text)
    if (x > left && x + w > W - 8) { legendRows++; x = left }
    x += w
  }
  const right = spec.right ? 80 : 24
  const bottom = 46 + Math.max(1, legendRows) * 18 + (spec.note ? 18 : 0)
  const pw = W - left - right
  const ph = H - top - bottom

  let x0 = Infinity
  let x1 = -Infinity
  for (const x of [...spec.lines.flatMap((l) => l.points.map((p) => p[0])), ...(spec.markers ?? []).map((m) => m.x)]) {
    if (!Number.isFinite(x)) continue
    if (x < x0) x0 = x
    if (x > x1) x1 = x
  }
  const xs = xScale(x0 === Infinity ? 0 : x0, x1 === -Infinity ? 1 : x1, spec.x.kind)
  const yRange = (axis: 'left' | 'right') => {
    let lo = Infinity
    let hi = -Infinity
    for (const l of spec.lines) {
      if (l.axis !== axis) continue
      for (const [, y] of l.points) {
        if (y === null || !Number.isFinite(y)) continue
        if (y < lo) lo = y
        if (y > hi) hi = y
      }
    }
    return [lo, hi] as const
  }
  const [l0, l1] = yRange('left')
  const ly = valueScale(l0, l1, spec.left.unit, spec.left.zero ?? false)
  const ry = spec.right ? valueScale(...yRange('right'), spec.right.unit, spec.right.zero ?? false) : undefined

  const px = (x: number) => left + (x - xs.lo) / (xs.hi - xs.lo) * pw
  const py = (s: Scale, y: number) => top + ph - (y - s.lo) / (s.hi - s.lo) * ph

  const out: string[] = []
  out.push('<?xml version="1.0" encoding="UTF-8"?>')
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(spec.title)}" font-family="${FONT}" font-size="12">`)
  out.push(`<title>${escapeXml(spec.title)}</title>`)
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  out.push(`<text x="${left}" y="24" font-size="16" font-weight="bold" fill="${spec.titleColor ?? INK}">${escapeXml(spec.title)}</text>`)
  if (spec.subtitle) out.push(`<text x="${left}" y="44" font-size="12" fill="${MUTED}">${escapeXml(spec.subtitle)}</text>`)
  out.push(`<defs><clipPath id="plot-area"><rect x="${left}" y="${top}" width="${pw}" height="${ph}"/></clipPath></defs>`)

  // grid and ticks
  out.push(`<g class="grid" stroke="${GRID}" stroke-width="1">`)
  for (const t of ly.ticks) out.push(`<line x1="${left}" x2="${left + pw}" y1="${n(py(ly, t))}" y2="${n(py(ly, t))}"/>`)
  for (const t of xs.ticks) out.push(`<line x1="${n(px(t))}" x2="${n(px(t))}" y1="${top}" y2="${top + ph}"/>`)
  out.push('</g>')
  out.push(`<g class="axis-left" fill="${INK}" text-anchor="end">`)
  ly.ticks.forEach((t, i) => out.push(`<text x="${left - 6}" y="${n(py(ly, t) + 4)}">${escapeXml(ly.labels[i])}</text>`))
  out.push(`<text transform="translate(16 ${n(top + ph / 2)}) rotate(-90)" text-anchor="middle" fill="${colorOf(spec, 'left')}">${escapeXml(axisTitle(spec.left, ly))}</text>`)
  out.push('</g>')
  if (spec.right && ry) {
    out.push(`<g class="axis-right" fill="${INK}" text-anchor="start">`)
    ry.ticks.forEach((t, i) => out.push(`<text x="${left + pw + 6}" y="${n(py(ry, t) + 4)}">${escapeXml(ry.labels[i])}</text>`))
    out.push(`<text transform="translate(${W - 14} ${n(top + ph / 2)}) rotate(90)" text-anchor="middle" fill="${colorOf(spec, 'right')}">${escapeXml(axisTitle(spec.right, ry))}</text>`)
    out.push('</g>')
  }
  out.push(`<g class="axis-x" fill="${INK}" text-anchor="middle">`)
  xs.ticks.forEach((t, i) => out.push(`<text x="${n(px(t))}" y="${top + ph + 18}">${escapeXml(xs.labels[i])}</text>`))
  out.push(`<text x="${n(left + pw / 2)}" y="${top + ph + 38}">${escapeXml(xs.suffix ? `${spec.x.label} (${xs.suffix})` : spec.x.label)}</text>`)
  out.push('</g>')
  out.push(`<rect class="frame" x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#999" stroke-width="1"/>`)

  // event markers
  if (spec.markers?.length) {
    out.push('<g class="markers">')
    // labels that would overlap the previous one go a line lower
    let lastEnd = -Infinity
    let row = 0
    for (const m of [...spec.markers].sort((a, b) => a.x - b.x)) {
      const xv = px(m.x)
      const x = n(xv)
      const color = m.color ?? '#b00020'
      row = xv < lastEnd ? (row + 1) % 4 : 0
      lastEnd = Math.max(row === 0 ? -Infinity : lastEnd, xv + 8 + m.label.length * 6.5)
      out.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + ph}" stroke="${color}" stroke-width="1.5" stroke-dasharray="4 3"/>`)
      out.push(`<text x="${x}" y="${top + 12 + row * 13}" dx="4" fill="${color}" font-size="11">${escapeXml(m.label)}</text>`)
    }
    out.push('</g>')
  }

  // series
  out.push('<g class="series" clip-path="url(#plot-area)">')
  for (const l of spec.lines) {
    const s = l.axis === 'right' && ry ? ry : ly
    if (l.kind === 'dots') {
      out.push(`<g class="dots" fill="${l.color}" data-label="${escapeXml(l.label)}">`)
      for (const [x, y] of l.points) if (y !== null && Number.isFinite(y)) out.push(`<circle cx="${n(px(x))}" cy="${n(py(s, y))}" r="2.5"/>`)
      out.push('</g>')
      continue
    }
    const d = pathData(l.points, (x) => px(x), (y) => py(s, y))
    if (!d) continue
    const dash = l.kind === 'dashed' ? ' stroke-dasharray="7 4"' : ''
    out.push(`<path class="line" d="${d}" fill="none" stroke="${l.color}" stroke-width="${l.width ?? 1.5}" stroke-linejoin="round"${dash} data-label="${escapeXml(l.label)}"/>`)
  }
  out.push('</g>')

  // legend: as many rows as it takes
  out.push(`<g class="legend" fill="${INK}">`)
  let lx = left
  let ly0 = top + ph + 58
  for (const item of items) {
    const w = itemWidth(item.text)
    if (lx > left && lx + w > W - 8) {
      lx = left
      ly0 += 18
    }
    out.push(item.draw(lx, ly0))
    out.push(`<text x="${lx + 26}" y="${ly0}">${escapeXml(item.text)}</text>`)
    lx += w
  }
  out.push('</g>')
  if (spec.note) out.push(`<text x="${left}" y="${ly0 + 18}" font-size="10" fill="${MUTED}">${escapeXml(spec.note)}</text>`)
  out.push('</svg>')
  return out.join('\n') + '\n'
}

function colorOf (spec: SvgChartSpec, axis: 'left' | 'right'): string {
  return spec.lines.find((l) => l.axis === axis && l.kind === 'line')?.color ?? INK
}

function axisTitle (axis: SvgAxis, s: Scale): string {
  return s.suffix ? `${axis.label} (${s.suffix})` : axis.label
}

/** "M x y L x y …", a new M after each empty cell. */
function pathData (points: ReadonlyArray<readonly [number, number | null]>, fx: (x: number) => number, fy: (y: number) => number): string {
  const parts: string[] = []
  let pen = false
  for (const [x, y] of points) {
    if (y === null || !Number.isFinite(y) || !Number.isFinite(x)) { pen = false; continue }
    parts.push(`${pen ? 'L' : 'M'}${n(fx(x))} ${n(fy(y))}`)
    pen = true
  }
  return parts.join('')
}
