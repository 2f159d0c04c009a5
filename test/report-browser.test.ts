/**
 * report.html, compare.html and memory.svg from real runs, opened in headless Chromium: the charts
 * must draw (canvases with the series' colours in them), the verdict must show, nothing may fail
 * or go to the network, and a screenshot must not be blank.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { analyzeRun } from '../src/analysis/analyze-run.js'
import { compareCommand } from '../src/commands/compare.js'
import { reportCommand } from '../src/commands/report.js'
import { SERIES_COLORS } from '../src/report/memory-svg.js'
import { RUN_COLORS } from '../src/report/compare-html.js'
import { loadReportInput } from '../src/report/report-input.js'
import { canvasStats, chromiumMissing, launchBrowser, pngStats, watchPage } from './helpers/browser.js'
import { realRun, writeVerdict } from './helpers/report.js'

const missing = chromiumMissing()
if (missing) {
  t.test('report.html, compare.html and memory.svg in Chromium', { skip: `the browser tests need Chromium: ${missing}` }, async () => {})
} else {
  const root = t.testdir({})
  const leakDir = join(root, 'leak-run')
  const flatDir = join(root, 'flat-run')

  // Two real runs of the built CLI against a fixture app that collects every 50 requests (major
  // GCs at the same request counts on any machine): a leaking one, and a flat one whose target is
  // killed and restarted a third of the way (events). The restart is in the flat run because a
  // run of one segment always has a fitted line when it has floors (six or more by construction),
  // while each of two segments can be left with too few for a line of its own.
  const [leak, flat] = await Promise.all([
    realRun(leakDir, { path: '/leak', requests: 800, name: 'leak <b>&amp; "run"' }),
    realRun(flatDir, { path: '/flat', requests: 600, name: 'flat-run', restartAfter: 200 })
  ])
  t.equal(leak.status, 0, `leak run: ${leak.stderr}`)
  t.equal(flat.status, 0, `flat run: ${flat.stderr}`)

  // The verdicts come from the real analysis: the flat run's is the one its run saved (made again
  // here, as `memsiege analyze` would), the leak run's is made by the report itself: its saved one
  // is removed, as for a run from before verdicts.
  const flatVerdict = analyzeRun(flatDir)
  writeVerdict(flatDir, flatVerdict)
  writeVerdict(leakDir, undefined)
  const leakInput = await loadReportInput(leakDir)
  t.notOk(leakInput.summary.verdict, 'the leak run has no saved verdict')
  const leakVerdict = analyzeRun(leakDir)
  const rssVerdict = leakVerdict.metrics.find((m) => m.metric === 'rss_bytes')!
  t.ok(rssVerdict.segments.length === 1 && rssVerdict.segments[0].fit && rssVerdict.segments[0].floor.length, `the analysis gave RSS a floor and a fitted line (${rssVerdict.segments[0].reason})`)
  t.ok((await loadReportInput(flatDir)).events.some((e) => e.type === 'target_restarted'), 'the flat run saw its target restart')
  const flatRss = flatVerdict.metrics.find((m) => m.metric === 'rss_bytes')!
  t.equal(flatRss.segments.length, 2, `two segments around the restart (rows ${flatRss.segments.map((x) => x.rows.join('–')).join(', ')})`)

  const out: string[] = []
  const log = (line: string) => { out.push(line) }
  t.equal(await reportCommand({ dir: leakDir, log }), 0)
  t.equal(await reportCommand({ dir: flatDir, log }), 0)
  t.match(out.join('\n'), /report\.html[\s\S]*memory\.svg/)

  const browser = await launchBrowser()
  t.teardown(() => browser.close())
  const { context } = browser

  t.test('report.html draws its charts, shows the verdict, and stays offline', async (t) => {
    const page = await context.newPage()
    const seen = watchPage(page)
    await page.goto(pathToFileURL(join(leakDir, 'report.html')).href)
    await page.waitForSelector('body[data-charts="2"]', { timeout: 30_000 })
    t.same(seen.errors, [], 'no page or console errors')
    t.same(seen.requests, [], 'no request left the file')

    const memory = await canvasStats(page, '#chart-memory canvas', { rss: SERIES_COLORS.rss, objects: SERIES_COLORS.objects, fit: SERIES_COLORS.fit, floor: SERIES_COLORS.floor })
    t.ok(memory.canvases >= 1, 'the memory chart has a canvas')
    t.ok(memory.width > 300 && memory.height > 200, `sized ${memory.width}×${memory.height}`)
    t.ok(memory.drawn > 5000, `memory chart drawn (${memory.drawn} pixels)`)
    for (const [name, n] of Object.entries(memory.colors)) t.ok(n > 20, `${name} drawn in the memory chart (${n} pixels)`)
    const load = await canvasStats(page, '#chart-load canvas', { rps: '#555555', p99: '#e65100' })
    t.ok(load.drawn > 3000, `load chart drawn (${load.drawn} pixels)`)
    for (const [name, n] of Object.entries(load.colors)) t.ok(n > 20, `${name} drawn in the load chart (${n} pixels)`)

    const verdict = await page.textContent('#verdict')
    t.match(verdict, new RegExp(`^\\s*${{ leak: 'Leak', inconclusive: 'Inconclusive', settling: 'Still settling', plateau: 'Plateau', flat: 'Flat' }[leakVerdict.verdict]}`))
    t.match(verdict, leakVerdict.summary, 'the analysis\'s summary, as text')
    t.match(verdict, /Analysed while making this report/)
    t.equal(await page.textContent('h1'), 'memsiege report: leak <b>&amp; "run"', 'the run name, as text')
    t.equal(await page.locator('h1 b').count(), 0, 'no markup from the name')
    t.match(await page.textContent('#summary'), /Transactions/)

    // Before any hover, the legends show the latest values, not '—'.
    const rssLegend = async () => (await page.locator('#chart-memory .u-legend .u-series').filter({ hasText: 'RSS' }).first().textContent()) ?? ''
    const latest = await rssLegend()
    t.match(latest, /\d+(\.\d+)? MiB/, `the RSS legend shows its latest value: ${latest}`)
    t.notMatch(await page.textContent('#chart-load .u-legend'), /—/, 'the load legend too')
    const data = JSON.parse((await page.textContent('#page-data'))!)
    t.same([data.clockLabel, data.clockFormat], ['time since the load started', 'm:ss'], 'the time axis says how its ticks read')

    // hovering the chart fills the legend with values
    const box = (await page.locator('#chart-memory .u-over').boundingBox())!
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2)
    t.match(await page.textContent('#chart-memory .u-legend'), /MiB/, 'legend shows values in MiB')
    t.not(await rssLegend(), latest, 'the value under the cursor')
    await page.mouse.move(box.x + box.width / 2, box.y - 40)
    t.equal(await rssLegend(), latest, 'the latest again once the cursor leaves')

    // The verdict's rate is over the analysed requests: the page says why it is not the transaction rate.
    const rate = leakVerdict.scale!.requests_per_hour / 3600
    const summary = JSON.parse(readFileSync(join(leakDir, 'summary.json'), 'utf8'))
    if (Math.abs(rate - summary.transaction_rate_per_s) > 0.005 * rate) {
      t.match(await page.textContent('#rate-note'), /^The verdict's [\d,.]+ requests\/s is the rate of the requests it analysed \(the warm-up left out\); the transaction rate above is the whole run's/)
    } else {
      t.equal(await page.locator('#rate-note').count(), 0, 'one rate: no note')
    }

    const shot = await page.screenshot({ fullPage: true })
    const stats = await pngStats(context, shot)
    t.ok(stats.distinct > 50, `screenshot has ${stats.distinct} colours`)
    t.ok(stats.notBackground > 0.05, `and ${(stats.notBackground * 100).toFixed(1)}% of it is not background`)
    await page.close()
  })

  t.test('report.html marks a restart of the target on both charts and lists it', async (t) => {
    const page = await context.newPage()
    const seen = watchPage(page)
    await page.goto(pathToFileURL(join(flatDir, 'report.html')).href)
    await page.waitForSelector('body[data-charts="2"]', { timeout: 30_000 })
    t.same(seen.errors, [], 'no page or console errors')
    t.match(await page.textContent('#events'), /target_restarted/)
    const memory = await canvasStats(page, '#chart-memory canvas', { event: '#b00020' })
    t.ok(memory.colors.event > 20, `event drawn in the memory chart (${memory.colors.event} pixels)`)
    const load = await canvasStats(page, '#chart-load canvas', { event: '#b00020' })
    t.ok(load.colors.event > 20, `event drawn in the load chart (${load.colors.event} pixels)`)
    await page.close()
  })

  t.test('memory.svg parses as SVG and renders', async (t) => {
    const page = await context.newPage()
    const seen = watchPage(page)
    const svg = readFileSync(join(leakDir, 'memory.svg'), 'utf8')
    await page.setContent('<html><body></body></html>')
    const parsed = await page.evaluate((text) => {
      const doc = new (globalThis as any).DOMParser().parseFromString(text, 'image/svg+xml')
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: doc.documentElement.nodeName,
        paths: doc.getElementsByTagName('path').length,
        circles: doc.getElementsByTagName('circle').length,
        title: doc.getElementsByTagName('title')[0]?.textContent
      }
    }, svg)
    t.equal(parsed.error, 0, 'no XML parse error')
    t.equal(parsed.root, 'svg')
    t.ok(parsed.paths >= 3, `${parsed.paths} paths`)
    t.ok(parsed.circles >= 3, `${parsed.circles} circles`)
    t.equal(parsed.title, `leak <b>&amp; "run": ${leakVerdict.verdict}${leakVerdict.attribution !== 'none' ? ` (${leakVerdict.attribution})` : ''}`)
    await page.goto(pathToFileURL(join(leakDir, 'memory.svg')).href)
    const stats = await pngStats(context, await page.screenshot())
    t.ok(stats.distinct > 20 && stats.notBackground > 0.01, `the SVG renders (${stats.distinct} colours, ${(stats.notBackground * 100).toFixed(1)}% not background)`)
    t.same(seen.errors, [])
    await page.close()
  })

  t.test('compare.html overlays the runs on requests', async (t) => {
    const dir = t.testdir({})
    const stdout: string[] = []
    const write = process.stdout.write
    process.stdout.write = ((chunk: string) => { stdout.push(String(chunk)); return true }) as typeof process.stdout.write
    let status: number
    try {
      status = await compareCommand({ dirs: [leakDir, flatDir], out: dir })
    } finally {
      process.stdout.write = write
    }
    t.equal(status, 0)
    const text = stdout.join('')
    t.match(text, /^RSS per request\s+\+/m)
    t.match(text, /RSS: B (grows|does not grow).*; the difference is (not )?significant/)
    t.match(text, /compare\.html/)

    const page = await context.newPage()
    const seen = watchPage(page)
    await page.goto(pathToFileURL(join(dir, 'compare.html')).href)
    await page.waitForSelector('body[data-charts]', { timeout: 30_000 })
    t.same(seen.errors, [])
    t.same(seen.requests, [])
    const charts = await page.locator('#charts .chart').count()
    t.ok(charts >= 2, `${charts} charts: RSS and the series that decide`)
    t.equal(await page.getAttribute('body', 'data-charts'), String(charts), 'every chart drawn')
    const rss = await canvasStats(page, '#chart-0 canvas', { a: RUN_COLORS[0], b: RUN_COLORS[1] })
    t.ok(rss.drawn > 3000, `RSS overlay drawn (${rss.drawn} pixels)`)
    t.ok(rss.colors.a > 20 && rss.colors.b > 20, `both runs drawn (${rss.colors.a}, ${rss.colors.b} pixels)`)
    t.match(await page.textContent('#sentences'), /RSS: B/)
    t.match(await page.textContent('#table'), 'leak <b>&amp; "run"')
    const stats = await pngStats(context, await page.screenshot({ fullPage: true }))
    t.ok(stats.distinct > 50 && stats.notBackground > 0.05, `screenshot not blank (${stats.distinct} colours)`)
    await page.close()
  })

  t.test('a folder that is not a results folder: exit status 2', async (t) => {
    const empty = t.testdir({ 'x.txt': 'x' })
    const err: string[] = []
    const write = process.stderr.write
    process.stderr.write = ((chunk: string) => { err.push(String(chunk)); return true }) as typeof process.stderr.write
    try {
      t.equal(await reportCommand({ dir: empty, log: () => {} }), 2)
      t.equal(await compareCommand({ dirs: [leakDir, empty] }), 2)
      t.equal(await compareCommand({ dirs: [leakDir] }), 2)
    } finally {
      process.stderr.write = write
    }
    t.match(err.join(''), /is not a results folder: no summary\.json/)
    t.match(err.join(''), /compare needs two results folders or more/)
  })
}
