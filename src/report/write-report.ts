import { join } from 'node:path'
import { writeFileWhole } from '../recorder/write-whole.js'
import { memorySvg } from './memory-svg.js'
import { reportHtml, type ReportHtmlOptions } from './report-html.js'
import { loadAnalysedRun } from './verdict-source.js'

export interface WrittenReport {
  html: string
  svg: string
  /** Where the verdict shown came from. */
  verdictFrom: 'summary' | 'analysis' | 'none'
}

/** Writes report.html and memory.svg into the results folder `dir`; throws NotResultsFolderError. */
export async function writeReport (dir: string, live?: ReportHtmlOptions['live']): Promise<WrittenReport> {
  const { input, ...v } = await loadAnalysedRun(dir)
  const html = join(input.dir, 'report.html')
  const svg = join(input.dir, 'memory.svg')
  writeFileWhole(html, reportHtml(input, { verdictFrom: v.from, noVerdictReason: v.reason, ...(live ? { live } : {}) }))
  writeFileWhole(svg, memorySvg(input))
  return { html, svg, verdictFrom: v.from }
}
