/**
 * Headless Chromium (Debian's /usr/bin/chromium) through playwright-core, for the report tests:
 * a fresh profile, and the flags that keep it off the network (the machine has none).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

// The page's globals, for the code that runs inside page.evaluate (the tests compile without the DOM lib).
declare const document: any
declare const Image: any

export const CHROMIUM = process.env.MEMSIEGE_CHROMIUM ?? '/usr/bin/chromium'

export function chromiumMissing (): string | false {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (Debian package chromium)`
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage'
]

export async function launchBrowser (): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'memsiege-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
    timeout: 30_000
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

/** What went wrong on a page: uncaught errors, console errors, and any request not to file: or data:. */
export function watchPage (page: Page): { errors: string[]; requests: string[] } {
  const seen = { errors: [] as string[], requests: [] as string[] }
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(`console: ${m.text()}`) })
  page.on('request', (r) => { if (!/^(file|data|about):/.test(r.url())) seen.requests.push(r.url()) })
  return seen
}

/** Pixels of every canvas under `selector`: how many are drawn (not blank), and how many near each colour. */
export interface CanvasStats {
  canvases: number
  width: number
  height: number
  drawn: number
  colors: Record<string, number>
}

export async function canvasStats (page: Page, selector: string, colors: Record<string, string> = {}): Promise<CanvasStats> {
  // No function is named inside (no `const f = () => …`): the TypeScript loader (esbuild's
  // keepNames) would wrap it in a helper that the page does not have.
  return page.evaluate(([sel, wanted]) => {
    const targets = Object.entries(wanted).map(([name, h]) => [name, [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16))] as const)
    const out = { canvases: 0, width: 0, height: 0, drawn: 0, colors: Object.fromEntries(targets.map(([n]) => [n, 0])) as Record<string, number> }
    for (const canvas of Array.from(document.querySelectorAll(sel)) as any[]) {
      out.canvases++
      out.width = Math.max(out.width, canvas.width)
      out.height = Math.max(out.height, canvas.height)
      const ctx = canvas.getContext('2d')
      if (!ctx || canvas.width === 0 || canvas.height === 0) continue
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data
      for (let i = 0; i < px.length; i += 4) {
        if (px[i + 3] === 0) continue
        if (px[i] > 245 && px[i + 1] > 245 && px[i + 2] > 245) continue
        out.drawn++
        for (const [name, [r, g, b]] of targets) {
          if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 60 && px[i + 3] > 128) out.colors[name]++
        }
      }
    }
    return out
  }, [selector, colors] as const)
}

/**
 * A PNG (a screenshot) decoded by the browser itself in a second page: how many distinct colours
 * it has and what share of its pixels are not the most common colour.
 */
export async function pngStats (context: BrowserContext, png: Buffer): Promise<{ width: number; height: number; distinct: number; notBackground: number }> {
  const page = await context.newPage()
  try {
    await page.setContent('<canvas id="c"></canvas>')
    return await page.evaluate(async (b64) => {
      const img = new Image()
      img.src = `data:image/png;base64,${b64}`
      await img.decode()
      const canvas = document.getElementById('c')
      canvas.width = img.naturalWidth
      canvas.height = img.naturalHeight
      const ctx = canvas.getContext('2d')
      ctx.drawImage(img, 0, 0)
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data
      const counts = new Map<number, number>()
      for (let i = 0; i < px.length; i += 4) {
        const key = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2]
        counts.set(key, (counts.get(key) ?? 0) + 1)
      }
      const total = px.length / 4
      const top = Math.max(...counts.values())
      return { width: canvas.width, height: canvas.height, distinct: counts.size, notBackground: (total - top) / total }
    }, png.toString('base64'))
  } finally {
    await page.close()
  }
}
