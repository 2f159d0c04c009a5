/**
 * A fleet's verdict as plain text: one line for the fleet, then one row per instance, the
 * leaking ones first.
 *
 *   Fleet:  LEAK: 2 of 6 instances leak (pod-001, pod-004)
 *
 *     Instance  Verdict   Growth/hour  Growth/1,000 requests  Since                 Restarts
 *     pod-004   leak      +5.3 MiB     +256 KiB              2026-12-05 14:00 UTC  1
 */
import { formatSigned } from '../units/format.js'
import type { FleetVerdict, InstanceVerdict } from './judge-fleet.js'

export function fleetText (f: FleetVerdict): string {
  const leaking = f.instances.filter((v) => v.verdict === 'leak')
  const head = leaking.length
    ? `${leaking.length} of ${f.instances.length} instances leak (${leaking.map((v) => v.instance).join(', ')})`
    : `no instance of ${f.instances.length} leaks`
  const lines = [`Fleet:\t${f.verdict.toUpperCase()}: ${head}`, `Range:\t${when(f.range.start)} to ${when(f.range.end)}, every ${f.range.step_s} s; x axis: ${f.x_axis === 'requests' ? 'the request counter' : 'time (no --requests)'}`, '']
  const perRequests = f.x_axis === 'requests'
  const header = ['Instance', 'Verdict', 'Growth/hour', ...(perRequests ? ['Growth/1,000 requests'] : []), 'Since', 'Restarts']
  const rows = f.instances.map((v) => [
    v.instance,
    v.verdict,
    v.per_hour ? formatSigned(v.per_hour.value, 'bytes') : '-',
    ...(perRequests ? [v.per_1000_requests ? formatSigned(v.per_1000_requests.value, 'bytes') : '-'] : []),
    v.since ? when(v.since) : '-',
    restartsCell(v)
  ])
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)))
  const line = (cells: string[]) => '  ' + cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()
  lines.push(line(header), ...rows.map(line))
  for (const v of leaking) lines.push('', `${v.instance}: ${v.summary}`)
  return lines.join('\n') + '\n'
}

function restartsCell (v: InstanceVerdict): string {
  return v.gaps ? `${v.restarts} (+${v.gaps} gap${v.gaps > 1 ? 's' : ''})` : String(v.restarts)
}

/** 2026-12-05T14:00:00.000Z → 2026-12-05 14:00 UTC */
function when (iso: string): string {
  return iso.slice(0, 16).replace('T', ' ') + ' UTC'
}
