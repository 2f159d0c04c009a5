import type { MetricVerdict, RunVerdict } from '../analysis/types.js'
import { clockFormat, formatBytes, formatCount, formatDuration, formatEstimate, ms, significant } from '../units/format.js'
import { moreRequestsText, pText } from '../analysis/verdict-words.js'
import { axisWords, clockLabel, inTableUnit, type AxisWords } from '../analysis/x-axis.js'
import { html, type SafeHtml } from './html/escape.js'
import { pageHtml } from './html/page.js'
import { loadModel, memoryModel, type MemoryModel } from './memory-model.js'
import { eventLabel, loadFact, mainSegment, SERIES_COLORS } from './memory-svg.js'
import type { ReportInput } from './report-input.js'
import { stubLine } from './stub-line.js'
import { extensionLines } from './extension-lines.js'
import { sourceSection } from './source-section.js'

export interface ReportHtmlOptions {
  /** At most this many points per chart series (min/max-preserving downsampling beyond). */
  maxPoints?: number
  /** Where the verdict came from: 'analysis' says it was computed now and isn't in summary.json. */
  verdictFrom?: 'summary' | 'analysis' | 'none'
  /** Why there is no verdict (shown in its place). */
  noVerdictReason?: string
  /** A report rewritten during a watch: when this one was written, and how often it is (the page shows its age). */
  live?: { writtenAt: Date; everyS: number }
}

/** report.html: one self-contained page with the memory and load charts, the verdict and the summary. */
export function reportHtml (input: ReportInput, options: ReportHtmlOptions = {}): string {
  const maxPoints = options.maxPoints ?? 5000
  const memory = memoryModel(input, maxPoints)
  const load = loadModel(input, maxPoints)
  const { summary } = input
  const data = {
    memory: {
      x: memory.x,
      rss: memory.rss?.values ?? null,
      objects: memory.objects?.values ?? null,
      objectsLabel: memory.objects ? `${memory.objects.label} (${memory.objects.column})` : null,
      objectsUnit: memory.objects?.unit ?? null,
      floor: [memory.floor.map((p) => p[0]), memory.floor.map((p) => p[1])],
      fit: joinSegments(memory.fits)
    },
    load: { x: load.x, rps: load.rps, p99: load.p99 },
    events: memory.events.map((e) => ({ x: e.elapsed_s, label: eventLabel(e) })),
    clockLabel: clockLabel(summary.x_axis),
    // The time axis' ticks carry no unit: its label says how they read.
    clockFormat: clockFormat(Math.max(memory.x.at(-1) ?? 0, load.x.at(-1) ?? 0)),
    colors: SERIES_COLORS
  }
  const d = memory.downsampled
  const sampled = d.points < d.rows
    ? html`<p class="note" id="downsample-note">${d.rows} samples drawn as ${d.points} points per series: each bucket of ${d.bucket} consecutive samples keeps its minimum and its maximum, so peaks and floors survive.</p>`
    : html`<p class="note" id="downsample-note">All ${d.rows} samples are drawn.</p>`
  const body = html`
<header>
  <h1>memsiege report: ${summary.name}</h1>
  <div class="sub">${runLine(input)}</div>
  <div class="sub"><code>${input.dir}</code></div>
  ${options.live ? liveLine(options.live) : ''}
  ${summary.extension ? html`<div class="sub" id="extension">Until decided: ${extensionLines(summary.extension).join('; ')}</div>` : ''}
</header>
<main>
<div class="layout">
  <div class="charts">
    <section>
      <h2>Memory</h2>
      <div class="chart-title">${memoryTitle(memory)}</div>
      ${memory.rss || memory.objects
        ? html`<div class="chart" id="chart-memory"></div>`
        : html`<p class="muted" id="chart-memory-missing">No memory samples: the run had no target process to sample (load only).</p>`}
      ${loadChart(summary, load.rps)}
      ${sampled}
      ${memory.events.length ? html`<p class="note">Dashed red lines: events of the target (below).</p>` : ''}
    </section>
    ${endpointsSection(input)}
    ${eventsSection(memory)}
    ${segmentsSection(summary.verdict)}
    ${sourceSection(summary.source)}
  </div>
  <aside>
    ${verdictCard(summary.verdict, options)}
    ${summaryCard(input)}
  </aside>
</div>
</main>`
  return pageHtml({ title: `memsiege report: ${summary.name}`, body, data, script: REPORT_JS })
}

/**
 * The fitted lines of all segments as one series: [xs, ys], with an empty cell between two
 * segments (at the middle of the gap) so that the line breaks there.
 */
export function joinSegments (segments: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): [number[], Array<number | null>] {
  const xs: number[] = []
  const ys: Array<number | null> = []
  for (const seg of segments) {
    if (seg.length === 0) continue
    if (xs.length > 0) {
      const gapAt = (xs[xs.length - 1] + seg[0][0]) / 2
      if (gapAt > xs[xs.length - 1] && gapAt < seg[0][0]) { xs.push(gapAt); ys.push(null) }
    }
    for (const [x, y] of seg) {
      if (xs.length > 0 && x <= xs[xs.length - 1]) continue
      xs.push(x)
      ys.push(y)
    }
  }
  return [xs, ys]
}

/** Said in the page, and kept current by its script: a tab left open shows how stale it is. */
function liveLine (live: NonNullable<ReportHtmlOptions['live']>): SafeHtml {
  const at = live.writtenAt.toISOString()
  return html`<div class="sub" id="report-age" data-written="${at}">Written ${at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} while memsiege watch runs; rewritten every ${formatDuration(live.everyS)}.</div>`
}

function runLine (input: ReportInput): string {
  const s = input.summary
  const cfg = s.config
  return `${s.started_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} · ${formatDuration(s.elapsed_s)} · ${loadFact(input)}${s.x_axis === undefined ? ` · ${cfg?.concurrency ?? '?'} users` : ''}${s.interrupted ? ' · interrupted' : ''}`
}

function memoryTitle (m: MemoryModel): string {
  const parts: string[] = []
  if (m.rss) parts.push('RSS (left)')
  if (m.floor.length) parts.push('its floor (dots)')
  if (m.fits.length) parts.push('the fitted line (dashed)')
  if (m.objects) parts.push(`${m.objects.label}, ${m.objects.column} (${m.rss ? 'right' : 'left'})`)
  return parts.length ? parts.join(', ') : 'Memory'
}

const VERDICT_WORDS: Record<string, string> = {
  leak: 'Leak',
  settling: 'Still settling',
  plateau: 'Plateau',
  flat: 'Flat',
  inconclusive: 'Inconclusive'
}

function verdictCard (v: RunVerdict | undefined, options: ReportHtmlOptions): SafeHtml {
  if (!v) {
    return html`<div class="card verdict edge-none" id="verdict"><div class="verdict-word v-none">Not analysed</div>
      <p>This run's summary.json has no verdict${options.noVerdictReason ? html` (${options.noVerdictReason})` : ''}. <code>memsiege analyze</code> on its folder adds one; the charts show the samples alone.</p></div>`
  }
  return html`<div class="card verdict edge-${v.verdict}" id="verdict">
    <div class="verdict-word v-${v.verdict}">${VERDICT_WORDS[v.verdict] ?? v.verdict}</div>
    <p>${v.summary}</p>
    ${v.hint ? html`<p class="muted">${v.hint}</p>` : ''}
    ${v.attribution !== 'none' ? html`<p class="muted">Attribution: ${v.attribution}</p>` : ''}
    ${v.x_axis ? html`<p class="muted" id="x-axis">x axis: ${v.x_axis}</p>` : ''}
    ${v.breaches.length ? html`<ul>${v.breaches.map((b) => html`<li class="breach">${b}</li>`)}</ul>` : ''}
    ${metricsTable(v.metrics, axisWords(v.x_axis))}
    ${options.verdictFrom === 'analysis' ? html`<p class="note">Analysed while making this report; summary.json has no verdict saved.</p>` : ''}
  </div>`
}

/** One row per metric: its verdict and growth (pooled over segments when the analysis gives it). */
function metricsTable (metrics: MetricVerdict[], axis: AxisWords): SafeHtml {
  if (metrics.length === 0) return html``
  return html`<table class="metrics"><thead><tr><th>series</th><th>verdict</th></tr></thead><tbody>
    ${metrics.map((m) => {
      const seg = m.per_request ? undefined : mainSegment(m.segments)
      const perRequest = m.per_request ?? seg?.per_request
      const perHour = m.per_request ? m.per_hour : seg?.per_hour
      const p = m.per_request ? m.p_value : seg?.p_value
      const where = m.segments.length > 1
        ? (seg ? ` (segment ${m.segments.indexOf(seg) + 1} of ${m.segments.length})` : ` (${m.segments.length} segments pooled)`)
        : ''
      return html`<tr class="head">
        <td><code>${m.metric}</code>${m.decides ? html` <span class="decides" title="the run's verdict is the worst of these">decides</span>` : ''}</td>
        <td class="v-${m.verdict}">${m.verdict}</td></tr>
        <tr class="growth"><td colspan="2">${perRequest ? formatEstimate(inTableUnit(perRequest, axis), m.unit, axis.tableUnit) : html`<span class="muted">no growth estimate</span>`}<span class="muted">${where}</span>${perHour ? html`<br><span class="muted">${formatEstimate(perHour, m.unit, 'h')}</span>` : ''}${p !== undefined ? html`<span class="muted">; trend ${pText(p)}</span>` : ''}</td>
      </tr>`
    })}
  </tbody></table>`
}

/**
 * A run's request rate and p99; a watch measures no latency, and has a rate only from the app's
 * request counter: the chart is left out where it would be empty.
 */
function loadChart (summary: ReportInput['summary'], rps: ReadonlyArray<number | null>): SafeHtml {
  if (summary.x_axis === undefined) return html`<div class="chart-title">Request rate (left) and p99 latency of each interval (right)</div><div class="chart" id="chart-load"></div>`
  if (!rps.some((v) => v !== null && Number.isFinite(v))) return html``
  return html`<div class="chart-title">Request rate counted by the app (no latency: memsiege sent no requests)</div><div class="chart" id="chart-load"></div>`
}

function summaryCard (input: ReportInput): SafeHtml {
  const s = input.summary
  const cfg = s.config
  const target = cfg?.target
  const targetText = target?.command ? `command: ${target.command}` : target?.port ? `port ${target.port}` : target?.pid ? `pid ${target.pid}` : 'none (load only)'
  const stop = cfg?.stop
  const stopText = !stop ? '' : stop.kind === 'duration' ? `duration ${formatDuration(stop.seconds)}` : stop.kind === 'forever' ? 'until interrupted' : `${stop.kind} ${stop.count}`
  // A watch sent no requests: its elapsed time is all the load figures it has.
  if (s.x_axis !== undefined) return watchCard(input, stopText, targetText)
  const rows: Array<[string, string]> = [
    ['Transactions', `${s.transactions} hits`],
    ['Availability', `${s.availability_percent.toFixed(2)} %`],
    ['Elapsed time', `${s.elapsed_s.toFixed(2)} s`],
    ['Data transferred', formatBytes(s.data_transferred_bytes)],
    ['Response time', `${ms(s.response_time_ms)} ms`],
    ['Transaction rate', `${s.transaction_rate_per_s.toFixed(2)} trans/s`],
    ['Throughput', `${formatBytes(s.throughput_bytes_per_s)}/s`],
    ['Concurrency', s.concurrency.toFixed(2)],
    ['Successful', String(s.successful_transactions)],
    ['Failed', String(s.failed_transactions)],
    ['Longest', `${ms(s.longest_ms)} ms`],
    ['Shortest', `${ms(s.shortest_ms)} ms`]
  ]
  const l = s.latency
  const errors = Object.entries(s.errors ?? {}).filter(([, n]) => n > 0)
  return html`<div class="card" id="summary">
    <h2>Summary</h2>
    <table class="kv">${rows.map(([k, v]) => html`<tr><th>${k}</th><td class="num">${v}</td></tr>`)}</table>
    ${rateNote(s)}
    <h3>Latency (ms)</h3>
    <table class="kv">
      <tr><th>p50</th><td class="num">${ms(l.p50_ms)}</td><th>p90</th><td class="num">${ms(l.p90_ms)}</td></tr>
      <tr><th>p99</th><td class="num">${ms(l.p99_ms)}</td><th>p99.9</th><td class="num">${ms(l.p999_ms)}</td></tr>
      <tr><th>min</th><td class="num">${ms(l.min_ms)}</td><th>max</th><td class="num">${ms(l.max_ms)}</td></tr>
    </table>
    <h3>Status codes</h3>
    <p>${Object.entries(s.status_codes ?? {}).map(([code, n]) => `${code}: ${n}`).join(' · ') || 'none'}</p>
    ${errors.length ? html`<h3>Errors</h3><p>${errors.map(([k, n]) => `${k}: ${n}`).join(' · ')}</p>` : ''}
    ${s.stubs?.length ? html`<h3>Stubs</h3>${s.stubs.map((stub) => html`<p class="stub">${stubLine(stub)}</p>`)}` : ''}
    <h3>Run</h3>
    <table class="kv">
      <tr><th>users</th><td>${cfg?.concurrency}</td></tr>
      <tr><th>stop</th><td>${stopText}</td></tr>
      <tr><th>target</th><td><code>${targetText}</code></td></tr>
      ${target?.url ? html`<tr><th>base URL</th><td><code>${target.url}</code></td></tr>` : ''}
      <tr><th>URL list</th><td>${cfg?.urls?.file ? html`<code>${cfg.urls.file}</code>, ` : ''}${cfg?.urls?.lines !== undefined ? formatCount(cfg.urls.lines, 'line') : '? lines'}</td></tr>
      <tr><th>sampling</th><td>every ${formatDuration(cfg?.sample?.interval ?? 1)}${cfg?.sample?.gc ? html`, GC from <code>${cfg.sample.gc.url}</code>` : ''}</td></tr>
      <tr><th>started</th><td>${s.started_at}</td></tr>
      <tr><th>ended</th><td>${s.ended_at}</td></tr>
      <tr><th>versions</th><td>memsiege ${s.versions?.memsiege}, Node ${s.versions?.node}, undici ${s.versions?.undici}</td></tr>
    </table>
  </div>`
}

/**
 * The verdict's request rate is that of the requests it analysed; the transaction rate, siege's,
 * the whole run's with its warm-up and its end: two figures a reader would otherwise take for one.
 */
function rateNote (s: ReportInput['summary']): SafeHtml {
  const scale = s.verdict?.scale
  if (!scale || s.x_axis !== undefined) return html``
  const analysed = scale.requests_per_hour / 3600
  if (Math.abs(analysed - s.transaction_rate_per_s) <= 0.005 * Math.max(analysed, s.transaction_rate_per_s)) return html``
  return html`<p class="note" id="rate-note">The verdict's ${significant(analysed, 3)} requests/s is the rate of the requests it analysed (the warm-up left out); the transaction rate above is the whole run's (${s.transaction_rate_per_s.toFixed(2)} trans/s over ${formatDuration(s.elapsed_s)}).</p>`
}

function watchCard (input: ReportInput, stopText: string, targetText: string): SafeHtml {
  const s = input.summary
  const cfg = s.config
  return html`<div class="card" id="summary">
    <h2>Summary</h2>
    <table class="kv">
      <tr><th>watched</th><td>${formatDuration(s.elapsed_s)}${s.interrupted ? ' (until interrupted)' : ''}</td></tr>
      <tr><th>stop</th><td>${stopText}</td></tr>
      <tr><th>target</th><td><code>${targetText}</code></td></tr>
      <tr><th>x axis</th><td>${s.x_axis}</td></tr>
      <tr><th>sampling</th><td>every ${formatDuration(cfg?.sample?.interval ?? 1)}${cfg?.sample?.gc ? html`, GC from <code>${cfg.sample.gc.url}</code>` : ''}</td></tr>
      <tr><th>started</th><td>${s.started_at}</td></tr>
      <tr><th>ended</th><td>${s.ended_at}</td></tr>
      <tr><th>versions</th><td>memsiege ${s.versions?.memsiege}, Node ${s.versions?.node}</td></tr>
    </table>
  </div>`
}

function endpointsSection (input: ReportInput): SafeHtml {
  const rows = [...(input.summary.endpoints ?? [])].sort((a, b) => b.transactions + b.failed - (a.transactions + a.failed))
  if (rows.length === 0) return html``
  return html`<section id="endpoints"><h2>Endpoints</h2><table>
    <thead><tr><th>endpoint</th><th class="num">trans</th><th class="num">failed</th><th class="num">p50 ms</th><th class="num">p99 ms</th><th class="num">max ms</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr><td><code>${r.endpoint}</code></td><td class="num">${r.transactions}</td><td class="num">${r.failed}</td><td class="num">${ms(r.latency.p50_ms)}</td><td class="num">${ms(r.latency.p99_ms)}</td><td class="num">${ms(r.latency.max_ms)}</td></tr>`)}</tbody>
  </table></section>`
}

function eventsSection (m: MemoryModel): SafeHtml {
  if (m.events.length === 0) return html``
  return html`<section id="events"><h2>Target events</h2><table>
    <thead><tr><th>at</th><th>event</th><th>pid</th><th>detail</th></tr></thead>
    <tbody>${m.events.map((e) => html`<tr><td>${formatDuration(e.elapsed_s)} <span class="muted">${e.time}</span></td><td>${e.type}</td><td>${e.pid}</td><td>${e.detail}</td></tr>`)}</tbody>
  </table></section>`
}

function segmentsSection (v: RunVerdict | undefined): SafeHtml {
  if (!v) return html``
  const rows = v.metrics.flatMap((m) => m.segments.map((s, i) => ({ m, s, i })))
  if (rows.length === 0) return html``
  const axis = axisWords(v.x_axis)
  return html`<section id="reasons"><h2>Why</h2><table class="metrics">
    <thead><tr><th>series</th><th>verdict</th><th>reason</th></tr></thead>
    <tbody>${rows.map(({ m, s, i }) => html`<tr><td><code>${m.metric}</code>${m.segments.length > 1 ? html` <span class="muted">segment ${i + 1}</span>` : ''}</td><td class="v-${s.verdict}">${s.verdict}</td><td>${s.reason}${s.more_requests ? html` <span class="muted">${moreRequestsText(s.more_requests, axis)}</span>` : ''}<br><span class="muted">warm-up left out: ${formatDuration(s.warmup.elapsed_s)}${axis.time ? '' : `, ${axis.span(s.warmup.requests)}`}; ${formatCount(s.windows, 'window')}</span></td></tr>`)}</tbody>
  </table></section>`
}

/** The page's code: the memory chart and the load chart, on one time axis, zoom and cursor synced. */
const REPORT_JS = String.raw`
var AGE = document.getElementById('report-age');
if (AGE) {
  var writtenText = AGE.textContent;
  var showAge = function () {
    var s = Math.max(0, Math.round((Date.now() - Date.parse(AGE.getAttribute('data-written'))) / 1000));
    var age = s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h';
    AGE.textContent = writtenText + ' This page is ' + age + ' old (reload for the latest).';
  };
  showAge();
  setInterval(showAge, 10000);
}
var M = DATA.memory, L = DATA.load, C = DATA.colors, EV = DATA.events;
var cursor = { sync: { key: 'memsiege-report' } };
var TIME_LABEL = DATA.clockLabel + ' (' + DATA.clockFormat + ')';
var made = [];
var memEl = document.getElementById('chart-memory');
if (memEl && (M.rss || M.objects)) {
  var main = [M.x], series = [{ label: 'time', value: function (u, v) { return v === null ? '—' : clock(v); } }], modes = [null];
  var axes = [timeAxis(TIME_LABEL)];
  var leftUnit = M.rss ? 'bytes' : M.objectsUnit;
  // uPlot draws in series order: the objects first, so that RSS stays on top of them
  if (M.objects) { main.push(M.objects); series.push(line(M.objectsLabel, M.rss ? 'right' : 'left', C.objects, M.objectsUnit, { width: 1.2 })); modes.push(2); }
  if (M.rss) { main.push(M.rss); series.push(line('RSS', 'left', C.rss, 'bytes', { width: 1.8 })); modes.push(2); }
  axes.push(valueAxis('left', leftUnit, M.rss ? 'RSS' : M.objectsLabel, 3, M.rss ? C.rss : C.objects));
  if (M.rss && M.objects) axes.push(valueAxis('right', M.objectsUnit, M.objectsLabel, 1, C.objects));
  // null is a gap (the target was gone, or between two fitted segments); join's undefined is not
  // (2 = uPlot's NULL_EXPAND: a gap also swallows the undefined cells around it)
  var tables = [main], nullModes = [modes];
  if (M.floor[0].length) {
    tables.push([M.floor[0], M.floor[1]]); nullModes.push([null, 0]);
    series.push({ label: 'RSS floor', scale: 'left', stroke: C.floor, fill: C.floor, width: 0, paths: function () { return null; },
      points: { show: true, size: 5, stroke: C.floor, fill: C.floor }, value: function (u, v) { return fmt(v, 'bytes'); } });
  }
  if (M.fit[0].length) {
    tables.push([M.fit[0], M.fit[1]]); nullModes.push([null, 2]);
    series.push(line('fitted line', 'left', C.fit, 'bytes', { width: 2, dash: [8, 5] }));
  }
  var memData = tables.length > 1 ? uPlot.join(tables, nullModes) : main;
  made.push(mount(memEl, {
    height: 380, cursor: cursor, legend: { live: true },
    scales: { x: { time: false }, left: {}, right: {} },
    series: series, axes: axes, plugins: [eventsPlugin(EV), latestLegend()]
  }, memData));
}
var loadEl = document.getElementById('chart-load');
if (loadEl) {
  made.push(mount(loadEl, {
    height: 240, cursor: cursor, legend: { live: true },
    scales: { x: { time: false }, rps: {}, ms: {} },
    series: [
      { label: 'time', value: function (u, v) { return v === null ? '—' : clock(v); } },
      line('req/s', 'rps', '#555555', 'req/s', { fill: 'rgba(85,85,85,0.08)' }),
      line('p99', 'ms', '#e65100', 'ms')
    ],
    axes: [timeAxis(TIME_LABEL), valueAxis('rps', 'req/s', 'req/s', 3, '#555555'), valueAxis('ms', 'ms', 'p99 (ms)', 1, '#e65100')],
    plugins: [eventsPlugin(EV), latestLegend()]
  }, [L.x, L.rps, L.p99]));
}
syncX(made);
document.body.setAttribute('data-charts', String(made.length));
`
