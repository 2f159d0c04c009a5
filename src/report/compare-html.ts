import { ms } from '../units/format.js'
import { metricLabel } from '../analysis/verdict-words.js'
import { cellVerdict, compareRuns, type CompareRunInput, type Comparison } from './compare.js'
import { downsample, type Cell } from './downsample.js'
import { html } from './html/escape.js'
import { pageHtml } from './html/page.js'
import { joinSegments } from './report-html.js'
import { columnLabel, metricValues } from './memory-model.js'
import { formatDuration, formatEstimate } from '../units/format.js'
import { unitOf } from '../columns/index.js'
import { axisWords, TIME_AXIS } from '../analysis/x-axis.js'
import type { Unit } from '../columns/meaning.js'

export const RUN_COLORS = ['#1f5fbf', '#d81b60', '#2e9d4a', '#b26a00', '#6a1b9a', '#00838f', '#5d4037', '#455a64']

export interface CompareHtmlOptions {
  /** At most this many points per run and series. */
  maxPoints?: number
  /** The comparison, when already made (else it is made from `runs`). */
  comparison?: Comparison
  /** How the differences were judged, under the sentences (default: from the runs' own intervals). */
  method?: string
}

/** One chart of compare.html: a memory series of every run, against requests completed. */
interface OverlayChart {
  metric: string
  unit: Unit
  title: string
  runs: Array<{ label: string; color: string; x: number[]; y: Cell[]; fit: [number[], Cell[]] }>
}

/** compare.html: the table, the sentences, and each memory series of the runs overlaid on requests. */
export function compareHtml (runs: readonly CompareRunInput[], options: CompareHtmlOptions = {}): string {
  const c = options.comparison ?? compareRuns(runs)
  const maxPoints = options.maxPoints ?? 5000
  // Watches with no request counter have seconds in their `requests` column.
  const axis = axisWords(c.time ? TIME_AXIS : undefined)
  const charts: OverlayChart[] = []
  let rows = 0
  let points = 0
  for (const s of c.series.filter((x) => x.charted)) {
    const meaning = runs.map((r) => r.verdict?.metrics.find((m) => m.metric === s.metric)).find((m) => m !== undefined)
    const chart: OverlayChart = { metric: s.metric, unit: s.unit || unitOf(s.metric), title: chartTitle(s.metric, meaning), runs: [] }
    runs.forEach((r, i) => {
      const values = metricValues(r.input.series, s.metric, s.derived_from)
      if (!values) return
      const d = downsample(r.input.series.requests, [values], maxPoints)
      rows += d.info.rows
      points += d.info.points
      const verdict = r.verdict?.metrics.find((m) => m.metric === s.metric)
      const fit = joinSegments((verdict?.segments ?? []).filter((seg) => seg.fit).map((seg) => {
        const from = seg.floor.length ? seg.floor[0][0] : seg.requests[0] + (seg.warmup?.requests ?? 0)
        return [from, seg.requests[1]].map((x): [number, number] => [x, seg.fit!.intercept + seg.fit!.slope_per_request * x])
      }))
      chart.runs.push({ label: c.runs[i].label, color: RUN_COLORS[i % RUN_COLORS.length], x: d.x, y: d.series[0], fit })
    })
    if (chart.runs.length) charts.push(chart)
  }
  const title = `memsiege compare: ${c.runs.map((r) => `${r.label} ${r.name}`).join(' vs ')}`
  const body = html`
<header>
  <h1>${title}</h1>
  <div class="sub">${c.runs.length} runs; ${c.runs[0].label} is the baseline the others are compared with.</div>
</header>
<main>
  <section id="sentences">
    <h2>In words</h2>
    <ul class="sentences">${c.sentences.map((s) => html`<li>${s}</li>`)}</ul>
    <p class="note">${options.method ?? "Growth is compared per request completed, which doesn't depend on how fast each run went. Significant: the 95% interval of the difference (normal approximation from the two runs' intervals) excludes zero."}</p>
  </section>
  <section id="table">
    <h2>Side by side</h2>
    ${comparisonTable(c)}
  </section>
  <section id="charts">
    <h2>Memory against ${axis.chartLabel}</h2>
    ${charts.length === 0 ? html`<p class="muted">No memory series to draw.</p>` : ''}
    ${charts.map((ch, i) => html`<div class="chart-title">${ch.title}: runs overlaid, fitted lines dashed</div><div class="chart" id="chart-${i}"></div>`)}
    <p class="note" id="downsample-note">${points < rows
      ? `${rows} samples drawn as ${points} points: each run's series is cut into buckets that keep their minimum and maximum, so peaks and floors survive.`
      : `All ${rows} samples are drawn.`} The runs may differ in length: each line ends where its run did.</p>
  </section>
</main>`
  return pageHtml({ title, body, data: { charts, x: { label: axis.chartLabel, time: axis.time } }, script: COMPARE_JS })
}

function chartTitle (metric: string, meaning: Parameters<typeof columnLabel>[1]): string {
  const name = metricLabel(metric)
  const label = metric === 'rss_bytes' ? 'rss_bytes' : columnLabel(metric, meaning)
  return label === name ? name : `${name} (${label})`
}

function comparisonTable (c: Comparison) {
  const row = (label: string, cells: Array<ReturnType<typeof html> | string>) => html`<tr><th>${label}</th>${cells.map((x) => html`<td>${x}</td>`)}</tr>`
  return html`<table class="compare">
    <thead><tr><th></th>${c.runs.map((r, i) => html`<th style="color:${RUN_COLORS[i % RUN_COLORS.length]}">${r.label}: ${r.name}</th>`)}</tr></thead>
    <tbody>
      ${row('folder', c.runs.map((r) => html`<code>${r.dir}</code>`))}
      ${row('started', c.runs.map((r) => r.started_at))}
      ${row('duration', c.runs.map((r) => formatDuration(r.elapsed_s) + (r.interrupted ? ' (interrupted)' : '')))}
      ${c.watch
? ''
: html`
        ${row('users', c.runs.map((r) => String(r.concurrency)))}
        ${row('requests', c.runs.map((r) => r.requests.toLocaleString('en-US')))}
        ${row('rate', c.runs.map((r) => `${r.rate_per_s.toFixed(1)} req/s`))}
        ${row('availability', c.runs.map((r) => `${r.availability_percent.toFixed(2)} %`))}
        ${row('latency p50 / p99', c.runs.map((r) => `${ms(r.p50_ms)} / ${ms(r.p99_ms)} ms`))}`}
      ${row('target events', c.runs.map((r) => String(r.events)))}
      ${row('verdict', c.runs.map((r) => r.verdict
        ? html`<span class="v-${r.verdict}">${r.verdict}</span>${r.verdictFrom === 'analysis' ? html` <span class="muted">(analysed now)</span>` : ''}`
        : html`<span class="muted">none${r.noVerdictReason ? `: ${r.noVerdictReason}` : ''}</span>`))}
      ${c.series.map((s) => html`
        ${row(`${metricLabel(s.metric)} verdict`, s.cells.map((cell) => html`<span class="v-${cell.verdict ?? 'none'}">${cellVerdict(cell)}</span>`))}
        ${c.time ? '' : row(`${metricLabel(s.metric)} per request`, s.cells.map((cell) => cell.per_request ? formatEstimate(cell.per_request, s.unit, 'request') : '—'))}
        ${row(`${metricLabel(s.metric)} per hour`, s.cells.map((cell) => cell.per_hour ? formatEstimate(cell.per_hour, s.unit, 'h') : '—'))}`)}
    </tbody>
  </table>`
}

const COMPARE_JS = String.raw`
var made = [];
DATA.charts.forEach(function (ch, i) {
  var el = document.getElementById('chart-' + i);
  if (!el) return;
  var tables = [], modes = [], series = [{ label: DATA.x.label, value: function (u, v) { return v === null ? '—' : DATA.x.time ? clock(v) : fmt(v, 'count'); } }];
  ch.runs.forEach(function (r) {
    tables.push([r.x, r.y]); modes.push([null, 2]);
    series.push(line(r.label, 'y', r.color, ch.unit, { spanGaps: false }));
    if (r.fit[0].length) {
      tables.push([r.fit[0], r.fit[1]]); modes.push([null, 2]);
      series.push(line(r.label + ' fitted', 'y', r.color, ch.unit, { dash: [8, 5], width: 2 }));
    }
  });
  var data = uPlot.join(tables, modes);
  made.push(mount(el, {
    height: 360, cursor: { sync: { key: 'memsiege-compare' } }, legend: { live: true },
    scales: { x: { time: false }, y: {} },
    series: series,
    axes: [DATA.x.time ? timeAxis(DATA.x.label) : countAxis(DATA.x.label), valueAxis('y', ch.unit, ch.title, 3, '#333')]
  }, data));
});
syncX(made);
document.body.setAttribute('data-charts', String(made.length));
`
