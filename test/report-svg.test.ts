import t from 'tap'
import { memorySvg } from '../src/report/memory-svg.js'
import { svgChart } from '../src/report/svg-chart.js'
import { findAll, parseXml, textOf } from './helpers/xml.js'
import { handSegment, handVerdict, sawtoothInput } from './helpers/report.js'

t.test('memory.svg: well-formed XML with the RSS line, floor, fitted line, objects axis and events', async (t) => {
  const input = sawtoothInput({ rows: 3600, slope: 20, floorSlope: 5, gap: [2000, 2010], name: 'soak <&> "night"' })
  const seg1 = handSegment(input.series, 'rss_bytes', 60, 0, 2000)
  const seg2 = handSegment(input.series, 'rss_bytes', 60, 2010, 3600)
  input.summary.verdict = handVerdict([{ metric: 'rss_bytes', unit: 'bytes', verdict: 'leak', segments: [seg1, seg2] }])
  input.events = [
    { time: '2026-01-01T00:33:20.000Z', type: 'target_exited', pid: 41, detail: 'was killed by SIGKILL' },
    { time: '2026-01-01T00:33:30.000Z', type: 'target_restarted', pid: 42, detail: 'replaces pid 41' }
  ]
  const svg = memorySvg(input)
  const root = parseXml(svg)
  t.equal(root.name, 'svg')
  t.equal(root.attrs.xmlns, 'http://www.w3.org/2000/svg')
  t.match(root.attrs.viewBox, /^0 0 \d+ \d+$/)
  const title = findAll(root, (e) => e.name === 'title')[0]
  t.equal(textOf(title), 'soak <&> "night": leak (object-leak)', 'title: name (escaped in the file) and verdict')
  t.match(svg, /soak &lt;&amp;&gt; &quot;night&quot;/)
  const lines = findAll(root, (e) => e.name === 'path' && e.attrs.class === 'line')
  t.same(lines.map((l) => l.attrs['data-label']), ['live slots', 'RSS', 'fitted line', 'fitted line'], 'objects drawn first (under RSS), a fitted line per segment')
  const legend = textOf(findAll(root, (e) => e.attrs.class === 'legend')[0])
  t.equal(legend.split('fitted line').length - 1, 1, 'named once in the legend')
  t.match(legend, /^RSS \(left\)RSS floor \(left\)fitted line \(left\)live slots \(right\)target event$/, 'legend: left axis first')
  const rss = lines[1].attrs.d
  t.ok((rss.match(/M/g) ?? []).length >= 2, 'the gap breaks the RSS line')
  t.ok(lines[2].attrs['stroke-dasharray'], 'fitted line dashed')
  const dots = findAll(root, (e) => e.name === 'circle' && e.attrs.r === '2.5')
  t.equal(dots.length, seg1.floor.length + seg2.floor.length, 'one dot per floor point')
  const right = findAll(root, (e) => e.attrs.class === 'axis-right')[0]
  t.ok(right, 'a second y axis')
  t.match(textOf(right), /live slots \(k slots\)/, 'second axis labelled in k slots')
  const left = findAll(root, (e) => e.attrs.class === 'axis-left')[0]
  t.match(textOf(left), /RSS \(MiB\)/, 'left axis in MiB')
  const markers = findAll(root, (e) => e.attrs.class === 'markers')[0]
  t.equal(findAll(markers, (e) => e.name === 'line').length, 2, 'two event markers')
  t.match(textOf(markers), /pid 41 exited/)
  t.match(textOf(markers), /restarted: pid 42/)
  const xAxis = findAll(root, (e) => e.attrs.class === 'axis-x')[0]
  t.match(textOf(xAxis), /^0:00 ?10:00 ?20:00 ?30:00 ?40:00 ?50:00 ?time since the load started \(m:ss\)$/, 'x ticks every 10 minutes, as a clock')
  t.match(svg, /3600 samples drawn as \d+/, 'says it was downsampled')
  t.notMatch(svg, /<script|href=/, 'no script, no external reference')
})

t.test('memory.svg without a verdict, without GC columns, without memory at all', async (t) => {
  const plain = sawtoothInput({ rows: 50, objects: false })
  const root = parseXml(memorySvg(plain))
  t.equal(textOf(findAll(root, (e) => e.name === 'title')[0]), 'synthetic: not analysed')
  t.same(findAll(root, (e) => e.name === 'path' && e.attrs.class === 'line').map((l) => l.attrs['data-label']), ['RSS'])
  t.notOk(findAll(root, (e) => e.attrs.class === 'axis-right').length, 'no second axis')

  const loadOnly = sawtoothInput({ rows: 50, objects: false })
  delete loadOnly.series.columns.rss_bytes
  const empty = parseXml(memorySvg(loadOnly))
  t.equal(empty.name, 'svg', 'still a well-formed chart')
})

t.test('svgChart: dashed and dotted series, escaping of labels', async (t) => {
  const svg = svgChart({
    title: 'a < b',
    x: { label: 'requests', kind: 'count' },
    left: { unit: 'objects', label: 'objects & more' },
    lines: [
      { label: '"quoted"', axis: 'left', color: '#000', kind: 'line', points: [[0, 1], [10, null], [20, 3], [30, 4]] },
      { label: 'dots', axis: 'left', color: '#f00', kind: 'dots', points: [[0, 1], [30, 4]] }
    ],
    markers: [{ x: 15, label: '<restart>' }]
  })
  const root = parseXml(svg)
  const path = findAll(root, (e) => e.name === 'path')[0]
  t.equal((path.attrs.d.match(/M/g) ?? []).length, 2, 'a null starts a new subpath')
  t.equal(path.attrs['data-label'], '"quoted"')
  t.match(textOf(root), /<restart>/)
  t.match(svg, /&lt;restart&gt;/)
})
