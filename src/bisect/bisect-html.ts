/**
 * bisect.html: the outcome, the tree of trials and one small memory chart per trial (the deciding
 * metric against requests, drawn by report/svg-chart.ts), in one static page beside bisect.json.
 * No script and nothing fetched: each chart is an SVG inlined as a data: image.
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFileWhole } from '../recorder/write-whole.js'
import { join } from 'node:path'
import { escapeXml, svgChart } from '../report/svg-chart.js'
import type { Estimate } from '../analysis/types.js'
import { growthText, percentWithInterval } from './format.js'
import { formatCount, formatEstimate } from '../units/format.js'
import { unitOf } from '../columns/index.js'
import { budgetLabel, type BisectDocument, type BisectTreeNode, type BisectTrialRecord } from './state.js'

export const BISECT_HTML = 'bisect.html'

const VERDICT_COLOR: Record<string, string> = { leak: '#c62828', inconclusive: '#b26a00', plateau: '#1565c0', settling: '#00838f', flat: '#2e7d32' }
const STATE_COLOR: Record<string, string> = { leak: '#c62828', clean: '#2e7d32', inferred: '#8a6d00', untested: '#777' }
const STATE_TEXT: Record<string, string> = { leak: 'leaks', clean: 'no leak', inferred: 'leak inferred', untested: 'not tested' }

const esc = escapeXml

/** Writes DIR/bisect.html for `doc` (replaced whole, like bisect.json). */
export function writeBisectHtml (dir: string, doc: BisectDocument): void {
  const path = join(dir, BISECT_HTML)
  writeFileWhole(path, bisectHtml(dir, doc))
}

export function bisectHtml (dir: string, doc: BisectDocument): string {
  const out: string[] = []
  out.push('<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', `<title>memsiege bisect: ${esc(doc.name)}</title>`)
  out.push(`<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1200px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; }
.muted { color: #666; } .badge { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 12px; }
.result { border-left: 4px solid #c62828; background: #fbf3f3; padding: 8px 12px; white-space: pre-wrap; }
.result.none { border-color: #2e7d32; background: #f2f8f2; }
ul.tree, ul.tree ul { list-style: none; padding-left: 22px; margin: 0; } ul.tree { padding-left: 0; }
ul.tree li { margin: 3px 0; } ul.tree li > span.node { border: 1px solid #ccc; border-radius: 4px; padding: 1px 6px; }
ul.tree li > span.node.inferred, ul.tree li > span.node.untested { border-style: dashed; }
.trials { display: grid; grid-template-columns: repeat(auto-fill, minmax(390px, 1fr)); gap: 14px; }
.trial { border: 1px solid #ddd; border-radius: 6px; padding: 8px 10px; } .trial h3 { font-size: 14px; margin: 0 0 4px; }
.trial img { width: 100%; height: auto; } table { border-collapse: collapse; } td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
</style></head><body>`)
  const statusColor = doc.status === 'done' ? '#2e7d32' : doc.status === 'running' ? '#1565c0' : '#b26a00'
  out.push(`<h1>memsiege bisect: ${esc(doc.name)} <span class="badge" style="background:${statusColor}">${esc(doc.status)}</span></h1>`)
  const done = doc.trials.filter((t) => t.status === 'done').length
  const left = doc.status === 'running' && doc.expected_left !== undefined ? `, about ${doc.expected_left} to go` : ''
  out.push(`<p class="muted">${doc.groups.length} groups · each trial ${esc(budgetLabel(doc.budget))} at concurrency ${doc.concurrency} · ${formatCount(done, 'trial')} done${left} · fresh target per trial: ${esc(doc.restart.kind === 'command' ? `target.command (${doc.restart.command})` : `target.restart (${doc.restart.command}), port ${doc.restart.port}`)}${doc.metric ? ` · growth from ${esc(doc.metric)}` : ''}</p>`)

  if (doc.result) {
    out.push(`<div class="result${doc.result.outcome === 'no-leak' ? ' none' : ''}">${esc(doc.result.message)}</div>`)
    out.push(effectTable(doc))
    if (doc.result.notes.length) out.push(`<ul>${doc.result.notes.map((n) => `<li class="muted">${esc(n)}</li>`).join('')}</ul>`)
  } else if (doc.error) {
    out.push(`<div class="result">${esc(doc.error)}</div>`)
  } else if (doc.status === 'interrupted') {
    out.push('<div class="result none">Interrupted: <code>memsiege bisect --resume ' + esc(dir) + '</code> carries on.</div>')
  }

  if (doc.tree) {
    out.push('<h2>The search</h2>', '<ul class="tree">', treeItem(doc.tree, doc), '</ul>')
  }

  out.push('<h2>Trials</h2>', '<div class="trials">')
  for (const t of doc.trials) out.push(trialCard(dir, doc, t))
  out.push('</div>')

  out.push('<h2>Groups</h2>', '<table><tr><th>group</th><th>endpoints</th><th>lines</th></tr>')
  for (const g of doc.groups) out.push(`<tr><td>${esc(g.name)}</td><td>${g.endpoints.map(esc).join('<br>')}</td><td>${g.lines}</td></tr>`)
  out.push('</table>', '</body></html>', '')
  return out.join('\n')
}

/** The culprits' effect sizes, the unexplained rest and the baseline, with their intervals. */
function effectTable (doc: BisectDocument): string {
  const r = doc.result!
  if (r.culprits.length === 0 && !r.baseline) return ''
  const unit = doc.trials.find((t) => t.unit)?.unit ?? 'bytes'
  const cell = (e: Estimate | undefined, per: string): string => (e ? esc(formatEstimate(e, unit, per)) : '')
  const rows = r.culprits.map((c) => `<tr><td>${esc(c.groups.join(' + '))}${c.kind === 'interaction' ? ' <span class="muted">(together)</span>' : ''}</td><td>${cell(c.per_request, 'request')}${c.measured === 'by-difference' ? ' <span class="muted">by difference</span>' : ''}</td><td>${cell(c.per_hour, 'hour')}</td><td>${c.share ? esc(percentWithInterval(c.share)) : ''}</td></tr>`)
  if (r.unexplained && r.culprits.length) rows.push(`<tr><td class="muted">unexplained</td><td></td><td>${cell(r.unexplained.per_hour, 'hour')}</td><td>${esc(percentWithInterval(r.unexplained.share))}</td></tr>`)
  if (r.baseline) rows.push(`<tr><td class="muted">baseline: ${esc(r.baseline.group)}</td><td>${cell(r.baseline.per_request, 'request')}</td><td></td><td></td></tr>`)
  return `<h2>Effect sizes</h2><table><tr><th>culprit</th><th>growth per request of its own traffic, above the baseline</th><th>per hour in the whole list's mix</th><th>share of the control's growth</th></tr>${rows.join('')}</table>`
}

function groupsText (groups: readonly string[], max = 4): string {
  if (groups.length <= max) return groups.map(esc).join(', ')
  return `${groups.slice(0, max).map(esc).join(', ')} <span class="muted">and ${groups.length - max} more</span>`
}

function treeItem (node: BisectTreeNode, doc: BisectDocument): string {
  const trials = node.trials.map((n) => `<a href="#trial-${n}">#${n}</a>`).join(' ')
  const last = node.trials.length ? doc.trials.find((t) => t.n === node.trials.at(-1)) : undefined
  const growth = last?.per_request && last.verdict === 'leak' ? ` <span class="muted">${esc(growthText(last.per_request.value, last.unit))}</span>` : ''
  // The trial's own verdict beside the search's decision, in the card's words: "no leak" on a trial
  // whose card says inconclusive needs its reason.
  const why = last?.why ? ` <span class="muted">${esc(last.why)}</span>` : ''
  const color = STATE_COLOR[node.state] ?? '#777'
  const label = `<span class="node ${esc(node.state)}">${groupsText(node.groups)} <span class="muted">(${node.groups.length})</span></span> <span class="badge" style="background:${color}">${esc(STATE_TEXT[node.state] ?? node.state)}</span> ${trials}${growth}${why}`
  const children = node.children.length ? `<ul>${node.children.map((c) => treeItem(c, doc)).join('')}</ul>` : ''
  return `<li>${label}${children}</li>`
}

function trialCard (dir: string, doc: BisectDocument, t: BisectTrialRecord): string {
  const color = t.verdict ? VERDICT_COLOR[t.verdict] ?? '#777' : '#777'
  const status = t.status === 'done' ? t.verdict ?? '' : t.status
  const facts: string[] = [t.role, t.extended ? `${budgetLabel(t.budget)}, extended ${t.extended}×` : budgetLabel(t.budget)]
  if (t.requests !== undefined) facts.push(formatCount(t.requests, 'request'))
  if (t.elapsed_s !== undefined) facts.push(`${t.elapsed_s.toFixed(1)} s`)
  if (t.per_request) facts.push(growthText(t.per_request.value, t.unit))
  const chart = miniChart(join(dir, t.dir), doc.metric ?? 'rss_bytes', t)
  return `<div class="trial" id="trial-${t.n}"><h3>#${t.n} <span class="badge" style="background:${color}">${esc(status)}</span> ${groupsText(t.groups, 3)}</h3>
<div class="muted">${esc(t.question)}</div><div class="muted">${facts.map(esc).join(' · ')} · <a href="${esc(encodeURI(t.dir))}/summary.json">${esc(t.dir)}/</a></div>
${(t.extensions ?? []).map((x) => `<div class="muted">extended ${esc(x)}</div>`).join('')}${t.decision ? `<div class="decision"><b>in the search: ${esc(t.decision === 'leak' ? 'leaks' : 'no leak')}</b> · ${esc(t.why ?? '')}</div>` : ''}${t.summary ? `<div>${esc(t.summary)}</div>` : ''}${t.error ? `<div style="color:#c62828">${esc(t.error)}</div>` : ''}${chart}</div>`
}

/** The trial's deciding metric over its run, as a small SVG in an <img>; empty when there are no samples. */
function miniChart (runDir: string, metric: string, t: BisectTrialRecord): string {
  const csv = join(runDir, 'samples.csv')
  if (!existsSync(csv)) return ''
  let columns: Map<string, Array<number | null>>
  try {
    columns = readColumns(readFileSync(csv, 'utf8'), ['elapsed_s', metric, 'rss_bytes'])
  } catch {
    return ''
  }
  const elapsed = columns.get('elapsed_s')
  const name = columns.get(metric)?.some((v) => v !== null) ? metric : 'rss_bytes'
  const values = columns.get(name)
  if (!elapsed || !values || !values.some((v) => v !== null)) return ''
  const points = elapsed.map((x, i) => [x ?? 0, values[i] ?? null] as const)
  const unit = t.unit ?? unitOf(name)
  const svg = svgChart({
    width: 380,
    height: 200,
    title: `#${t.n} ${t.verdict ?? t.status}`,
    titleColor: t.verdict ? VERDICT_COLOR[t.verdict] : undefined,
    x: { label: 'time', kind: 'time' },
    left: { unit, label: name },
    lines: [{ label: name, axis: 'left', color: '#1f5fbf', kind: 'line', points }]
  })
  return `<img alt="${esc(`${name} over trial ${t.n}`)}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`
}

/** Some numeric columns of samples.csv (quoted headers allowed: GC column names contain commas). */
export function readColumns (text: string, wanted: readonly string[]): Map<string, Array<number | null>> {
  const lines = text.split('\n').filter((l) => l.length > 0)
  const header = splitCsvLine(lines[0] ?? '')
  const out = new Map<string, Array<number | null>>()
  const idx = wanted.map((w) => [w, header.indexOf(w)] as const).filter(([, i]) => i >= 0)
  for (const [w] of idx) out.set(w, [])
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line)
    for (const [w, i] of idx) {
      const cell = cells[i]
      const v = cell === undefined || cell === '' ? null : Number(cell)
      out.get(w)!.push(v !== null && Number.isFinite(v) ? v : null)
    }
  }
  return out
}

function splitCsvLine (line: string): string[] {
  const cells: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++ } else if (c === '"') quoted = false
      else cur += c
    } else if (c === '"') quoted = true
    else if (c === ',') { cells.push(cur); cur = '' } else cur += c
  }
  cells.push(cur.replace(/\r$/, ''))
  return cells
}
