import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { version } from '../../version.js'
import { html, jsonForScript, raw, type SafeHtml } from './escape.js'

let assets: { js: string; css: string } | undefined

/** uPlot's script and stylesheet, read from node_modules once, to be inlined: the page works offline. */
export function uplotAssets (): { js: string; css: string } {
  if (!assets) {
    const require = createRequire(import.meta.url)
    const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8')
    const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')
    // neither may close its element early (they don't today; this keeps it so)
    assets = { js: js.replace(/<\/script/gi, '<\\/script'), css: css.replace(/<\/style/gi, '<\\/style') }
  }
  return assets
}

const STYLE = `
:root { --ink: #1d1d1f; --muted: #666; --line: #ddd; --bg: #fff; --panel: #f7f7f8;
  --leak: #c62828; --inconclusive: #b26a00; --plateau: #1565c0; --settling: #00838f; --flat: #2e7d32; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0; font-size: 20px; }
header .sub { color: var(--muted); margin-top: 4px; }
main { padding: 16px 24px 32px; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 400px; gap: 24px; align-items: start; }
@media (max-width: 1100px) { .layout { grid-template-columns: minmax(0, 1fr); } }
section { margin-bottom: 24px; }
h2 { font-size: 16px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.chart { width: 100%; min-height: 120px; margin-bottom: 8px; }
.chart-title { font-weight: 600; margin: 4px 0; }
.note, .muted { color: var(--muted); font-size: 12px; }
aside .card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin-bottom: 16px; }
.verdict-word { font-size: 24px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em; }
.v-leak { color: var(--leak); } .v-inconclusive { color: var(--inconclusive); } .v-plateau { color: var(--plateau); } .v-settling { color: var(--settling); } .v-flat { color: var(--flat); } .v-none { color: var(--muted); }
.card.verdict { border-left: 6px solid var(--muted); }
.card.verdict.edge-leak { border-left-color: var(--leak); } .card.verdict.edge-inconclusive { border-left-color: var(--inconclusive); }
.card.verdict.edge-plateau { border-left-color: var(--plateau); } .card.verdict.edge-settling { border-left-color: var(--settling); } .card.verdict.edge-flat { border-left-color: var(--flat); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; }
table.kv th { font-weight: normal; color: var(--muted); white-space: nowrap; }
table.metrics code { white-space: nowrap; }
table.metrics tr.head td { border-bottom: none; padding-top: 6px; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; overflow-wrap: anywhere; }
.decides { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 3px; padding: 0 3px; }
.breach { color: var(--leak); font-weight: 600; }
.sentences li { margin-bottom: 4px; }
.u-legend { font-size: 12px; }
.u-legend .u-marker { width: 10px; height: 10px; }
footer { color: var(--muted); font-size: 12px; padding: 0 24px 24px; }
`

/** Shared by the report and the comparison pages: formatters, axes, the events plugin, sizing. */
const CLIENT_COMMON = String.raw`
var BIN = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
var DEC = ['', 'k', 'M', 'G', 'T'];
function num(v, digits) {
  if (v === 0) return '0';
  var a = Math.abs(v), d = digits || 3;
  var dec = a >= 100 ? 0 : a >= 10 ? Math.max(0, d - 2) : a >= 1 ? Math.max(0, d - 1) : Math.min(6, d - 1 - Math.floor(Math.log10(a)));
  var t = v.toFixed(dec);
  return t.indexOf('.') >= 0 ? t.replace(/\.?0+$/, '') : t;
}
function scaleOf(mag, unit) {
  var m = Math.abs(mag), i = 0;
  if (unit === 'bytes') { while (i < BIN.length - 1 && m >= Math.pow(1024, i + 1)) i++; return { div: Math.pow(1024, i), suffix: BIN[i] }; }
  if (unit === 'ms' || unit === 'req/s') return { div: 1, suffix: unit };
  while (i < DEC.length - 1 && m >= Math.pow(1000, i + 1)) i++;
  var noun = unit === 'count' ? '' : unit;
  return { div: Math.pow(1000, i), suffix: [DEC[i], noun].filter(Boolean).join(' ') };
}
function fmt(v, unit) {
  if (v === null || v === undefined || !isFinite(v)) return '—';
  var s = scaleOf(v, unit);
  return num(v / s.div) + (s.suffix ? ' ' + s.suffix : '');
}
function clock(sec) {
  var t = Math.round(Math.abs(sec)), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
  var two = function (n) { return String(n).padStart(2, '0'); };
  return (sec < 0 ? '-' : '') + (h > 0 ? h + ':' + two(m) + ':' + two(s) : m + ':' + two(s));
}
/** With no cursor on the chart, the legend shows each series' latest value instead of '—'. */
function latestLegend() {
  var latest = function (u) {
    return u.data.map(function (col) {
      for (var k = col.length - 1; k >= 0; k--) if (col[k] !== null && col[k] !== undefined) return k;
      return null;
    });
  };
  var show = function (u) { if (u.legend.idx === null || u.legend.idx === undefined) u.setLegend({ idxs: latest(u) }, false); };
  return { hooks: { ready: [show], setLegend: [show] } };
}
var TIME_INCRS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
function incrsFor(unit) {
  var base = [1, 2, 5, 10, 20, 50, 100, 200, 500], out = [], k;
  if (unit === 'bytes') { for (k = 0; k < 6; k++) base.forEach(function (b) { out.push(b * Math.pow(1024, k)); }); return out; }
  for (k = -4; k < 15; k++) [1, 2, 5].forEach(function (b) { out.push(b * Math.pow(10, k)); });
  return out;
}
/** A value axis: ticks at round numbers of its unit ("10 MiB", "1.5M"); ms and req/s in the label. */
function valueAxis(scaleKey, unit, label, side, stroke) {
  return {
    scale: scaleKey, side: side, stroke: stroke || '#333', size: 70,
    grid: { show: side === 3, stroke: '#eee' }, ticks: { stroke: '#ccc' },
    incrs: incrsFor(unit),
    label: label, labelSize: 20, labelFont: 'bold 12px sans-serif',
    values: function (u, splits) {
      var mag = 0; splits.forEach(function (v) { if (v !== null && Math.abs(v) > mag) mag = Math.abs(v); });
      var s = scaleOf(mag, unit === 'bytes' ? 'bytes' : unit === 'ms' || unit === 'req/s' ? unit : 'count');
      var step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) / s.div : 1;
      var dec = Math.max(0, -Math.floor(Math.log10(step || 1) + 1e-9));
      var suffix = unit === 'bytes' ? ' ' + s.suffix : unit === 'ms' || unit === 'req/s' ? '' : s.suffix;
      return splits.map(function (v) { return v === null ? '' : v === 0 ? '0' : (v / s.div).toFixed(dec) + suffix; });
    }
  };
}
function timeAxis(label) {
  return { stroke: '#333', grid: { stroke: '#eee' }, ticks: { stroke: '#ccc' }, incrs: TIME_INCRS, label: label, labelSize: 20, labelFont: 'bold 12px sans-serif',
    values: function (u, splits) { return splits.map(function (v) { return v === null ? '' : clock(v); }); } };
}
function countAxis(label) {
  return { stroke: '#333', grid: { stroke: '#eee' }, ticks: { stroke: '#ccc' }, incrs: incrsFor('count'), label: label, labelSize: 20, labelFont: 'bold 12px sans-serif',
    values: function (u, splits) { return splits.map(function (v) { return v === null ? '' : fmt(v, 'count'); }); } };
}
/** Vertical dashed lines with labels at events (target exits and restarts). */
function eventsPlugin(events) {
  return { hooks: { draw: [function (u) {
    if (!events || !events.length) return;
    var ctx = u.ctx, b = u.bbox, dpr = uPlot.pxRatio;
    ctx.save();
    ctx.strokeStyle = '#b00020'; ctx.fillStyle = '#b00020'; ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.font = (11 * dpr) + 'px sans-serif';
    var lastEnd = -Infinity, row = 0;
    events.slice().sort(function (a, c) { return a.x - c.x; }).forEach(function (e) {
      var x = Math.round(u.valToPos(e.x, 'x', true));
      if (x < b.left - 1 || x > b.left + b.width + 1) return;
      ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke();
      if (!e.label) return;
      var w = ctx.measureText(e.label).width;
      row = x < lastEnd ? (row + 1) % 4 : 0;
      lastEnd = Math.max(row === 0 ? -Infinity : lastEnd, x + 8 * dpr + w);
      ctx.fillText(e.label, x + 4 * dpr, b.top + (12 + row * 13) * dpr);
    });
    ctx.restore();
  }] } };
}
var charts = [];
function widthOf(el) { return Math.max(320, Math.floor(el.getBoundingClientRect().width)); }
function mount(el, opts, data) {
  opts.width = widthOf(el);
  var u = new uPlot(opts, data, el);
  charts.push({ u: u, el: el });
  return u;
}
window.addEventListener('resize', function () {
  charts.forEach(function (c) { c.u.setSize({ width: widthOf(c.el), height: c.u.height }); });
});
/** Zooming one chart zooms the others on the same x axis. */
function syncX(list) {
  var busy = false;
  list.forEach(function (u) {
    u.hooks.setScale = u.hooks.setScale || [];
    u.hooks.setScale.push(function (self, key) {
      if (key !== 'x' || busy) return;
      busy = true;
      var s = self.scales.x;
      list.forEach(function (o) { if (o !== self) o.setScale('x', { min: s.min, max: s.max }); });
      busy = false;
    });
  });
}
function line(label, scale, stroke, unit, extra) {
  var s = { label: label, scale: scale, stroke: stroke, width: 1.5, points: { show: false }, value: function (u, v) { return fmt(v, unit); } };
  for (var k in extra || {}) s[k] = extra[k];
  return s;
}
`

export interface PageParts {
  title: string
  /** The page's body (escaped markup). */
  body: SafeHtml
  /** Embedded as JSON in <script type="application/json" id="page-data">. */
  data: unknown
  /** The page's own client code; runs after uPlot and the shared helpers, with `DATA` parsed. */
  script: string
}

/** A complete, self-contained HTML document: uPlot, its CSS, the data and the code inlined. */
export function pageHtml (parts: PageParts): string {
  const { js, css } = uplotAssets()
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="memsiege ${version}">
<title>${parts.title}</title>
<style>${raw(css)}</style>
<style>${raw(STYLE)}</style>
</head>
<body>
${parts.body}
<footer>Made by memsiege ${version}. Charts: uPlot (MIT), inlined; this file needs no network.</footer>
<script type="application/json" id="page-data">${jsonForScript(parts.data)}</script>
<script>${raw(js)}</script>
<script>
(function () {
'use strict';
var DATA = JSON.parse(document.getElementById('page-data').textContent);
${raw(CLIENT_COMMON)}
${raw(parts.script)}
})();
</script>
</body>
</html>
`.text
}
