/**
 * report.html for a fleet: the fleet's verdict, its table, then one small chart per instance in
 * the table's order (the leaking ones first): the floors each segment's verdict stood on, with
 * the fitted line, and the verdict in words under it. Static SVG, no script: 200 small charts
 * stay light to open and to scroll.
 */
import { svgChart, type SvgLine } from '../report/svg-chart.js'
import { VERDICT_COLORS } from '../report/memory-svg.js'
import { pageHtml } from '../report/html/page.js'
import { html, raw } from '../report/html/escape.js'
import { fleetText } from './fleet-text.js'
import type { FleetVerdict, InstanceVerdict } from './judge-fleet.js'

const CHART_W = 360
const CHART_H = 190

export function fleetHtml (f: FleetVerdict): string {
  // The text's first two blocks: the headline and range, then the table.
  const [head, table] = fleetText(f).split('\n\n')
  const [headline, range] = head!.split('\n')
  const body = html`
<h1>Fleet memory: ${f.verdict.toUpperCase()}</h1>
<p>${headline!.replace(/^Fleet:\t/, '')}</p>
<p>${range!.replace(/^Range:\t/, 'Range: ')}</p>
<pre>${table}</pre>
<h2>Each instance</h2>
<div style="display:flex;flex-wrap:wrap;gap:12px">
${f.instances.map((v) => html`<figure style="margin:0;width:${CHART_W}px">${raw(instanceChart(v, f.x_axis))}<figcaption style="font-size:12px">${v.summary}</figcaption></figure>`)}
</div>`
  return pageHtml({ title: `memsiege: fleet ${f.verdict}`, body, data: {}, script: '' })
}

function instanceChart (v: InstanceVerdict, xAxis: FleetVerdict['x_axis']): string {
  const lines: SvgLine[] = []
  const color = VERDICT_COLORS[v.verdict]
  v.metric?.segments.forEach((s, i) => {
    lines.push({ label: 'floors', axis: 'left', color: '#555', points: s.floor, kind: 'line', width: 1, ...(i > 0 ? { legend: false as const } : {}) })
    if (s.fit && s.floor.length > 1) {
      const at = (x: number): [number, number] => [x, s.fit!.intercept + s.fit!.slope_per_request * x]
      lines.push({ label: 'trend', axis: 'left', color, points: [at(s.floor[0]![0]), at(s.floor[s.floor.length - 1]![0])], kind: 'dashed', ...(i > 0 ? { legend: false as const } : {}) })
    }
  })
  return svgChart({
    width: CHART_W,
    height: CHART_H,
    title: `${v.instance}: ${v.verdict}`,
    titleColor: color,
    x: xAxis === 'requests' ? { label: 'requests', kind: 'count' } : { label: 'time', kind: 'time' },
    left: { unit: 'bytes', label: 'memory' },
    lines
  })
}
