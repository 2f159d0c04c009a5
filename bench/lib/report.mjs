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
          medianCpuUsPerRequest: median(ok.map(cpuUsPerRequest)),
          cpuS100k: median(ok.map((r) => (r.cpuS !== undefined && r.requests ? r.cpuS * 1e5 / r.requests : undefined))),
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

/** CPU µs per request of one run: user+sys of the whole process (start-up included) over its requests. */
export function cpuUsPerRequest (run) {
  return run.ok && run.cpuS !== undefined && run.requests ? run.cpuS * 1e6 / run.requests : undefined
}

/**
 * memsiege against `peer` within each round (the two runs minutes apart at most, under the same
 * load from the rest of the machine): the spread of these says more than the ratio of medians.
 */
function perRound (runs, target, c, peer, figure) {
  const rounds = [...new Set(runs.map((r) => r.round))].sort((a, b) => a - b)
  return rounds.map((round) => {
    const of = (tool) => runs.find((r) => r.round === round && r.target === target && r.concurrency === c && r.tool === tool)
    const m = of('memsiege')
    const p = of(peer)
    return m?.ok && p?.ok ? ratio(figure(m), figure(p)) : undefined
  }).filter((x) => x !== undefined)
}

export function ratios (groups, targets, concurrencies, threshold, runs = []) {
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
      out.push({
        target,
        concurrency: c,
        vsUndici,
        vsAutocannon,
        vsWrk,
        cpuVsAutocannon,
        cpuVsWrk: ratio(cpu('memsiege'), cpu('wrk')),
        rounds: {
          rpsVsAutocannon: perRound(runs, target, c, 'autocannon', (r) => r.rps),
          cpuVsAutocannon: perRound(runs, target, c, 'autocannon', cpuUsPerRequest)
        },
        met: vsAutocannon === undefined ? undefined : vsAutocannon >= threshold
      })
    }
  }
  return out
}
