// Medians, ratios and the plain-text tables.

export function median (values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return undefined
  const mid = Math.floor(v.length / 2)
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2
}

export function fmt (x, digits = 0) {
  if (x === undefined || x === null || !Number.isFinite(x)) return 'n/a'
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function ratio (a, b) {
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined
}

/** Left-aligned first `leftCols` columns, the rest right-aligned. */
export function table (header, rows, leftCols = 1) {
  const all = [header, ...rows].map((r) => r.map(String))
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  const line = (r) => r.map((cell, i) => (i < leftCols ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd()
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n')
}

/** Groups the runs by target/concurrency/tool and takes medians. */
export function summarize (runs, targets, concurrencies, tools) {
  const groups = []
  for (const target of targets) {
    for (const c of concurrencies) {
      for (const tool of tools) {
        const mine = runs.filter((r) => r.target === target && r.concurrency === c && r.tool === tool)
        const ok = mine.filter((r) => r.ok)
        groups.push({
          target,
          concurrency: c,
          tool,
          runs: mine.length,
          okRuns: ok.length,
          rpsRuns: mine.map((r) => (r.ok ? r.rps : undefined)),
          medianRps: median(ok.map((r) => r.rps)),
          medianPeakMiB: median(ok.map((r) => r.peakMiB)),
          // user+sys CPU of the whole generator process (start-up included) over the requests it made
          medianCpuUsPerRequest: median(ok.map((r) => (r.cpuS !== undefined && r.requests ? r.cpuS * 1e6 / r.requests : undefined))),
          medianGenCpuPct: median(ok.map((r) => r.genCpuPct)),
          medianTargetCpuPct: median(ok.map((r) => r.targetCpuPct)),
          medianOtherCpuPct: median(ok.map((r) => r.otherCpuPct)),
          errors: ok.reduce((a, r) => a + (r.errors ?? 0), 0),
          notes: [...new Set(mine.filter((r) => !r.ok).map((r) => r.note))]
        })
      }
    }
  }
  return groups
}

export function ratios (groups, targets, concurrencies, threshold) {
  const find = (t, c, tool) => groups.find((g) => g.target === t && g.concurrency === c && g.tool === tool)?.medianRps
  const out = []
  for (const target of targets) {
    for (const c of concurrencies) {
      const m = find(target, c, 'memsiege')
      const vsAutocannon = ratio(m, find(target, c, 'autocannon'))
      const vsWrk = ratio(m, find(target, c, 'wrk'))
      const vsUndici = ratio(m, find(target, c, 'undici'))
      const cpu = (tool) => groups.find((g) => g.target === target && g.concurrency === c && g.tool === tool)?.medianCpuUsPerRequest
      const cpuVsAutocannon = ratio(cpu('memsiege'), cpu('autocannon'))
      out.push({ target, concurrency: c, vsUndici, vsAutocannon, vsWrk, cpuVsAutocannon, met: vsAutocannon === undefined ? undefined : vsAutocannon >= threshold })
    }
  }
  return out
}
