/**
 * A watch of two live processes or more side by side (the production case: two containers behind
 * one proxy, the old build and the new): one ordinary watch per target, each in its own sub-folder
 * of one results folder, on one clock from the same start, so that their series line up on time.
 * Without a request counter that clock is their x axis: each target's CPU time is its own, and
 * pairing needs one x for all.
 * A target whose watch can't start is reported and the others go on; interrupt() ends them all.
 */
import { join } from 'node:path'
import type { EventRecord } from '../recorder/events-csv.js'
import { createResultsDir } from '../recorder/results-dir.js'
import { writeSidesFile } from '../recorder/sides-folder.js'
import { sideScenario } from '../scenario/sides.js'
import type { Scenario } from '../scenario/types.js'
import { allSides, type SidesHandle } from '../run/side-by-side.js'
import type { AlertChange } from './alerts.js'
import { startWatch, type WatchOptions, type WatchResult } from './watch-run.js'

export interface WatchSidesOptions extends Omit<WatchOptions, 'onEvent' | 'onAlert' | 'warn'> {
  warn?: (target: string, message: string) => void
  onEvent?: (target: string, event: EventRecord) => void
  onAlert?: (target: string, change: AlertChange) => void
}

export function startWatchSides (scenario: Scenario, options: WatchSidesOptions): SidesHandle<WatchResult> {
  const { targets } = scenario.sides!
  const dir = createResultsDir(scenario.name, scenario.out)
  writeSidesFile(dir, { targets: targets.map((t) => t.name), mode: 'watch' })
  const handles = targets.map((side) => startWatch(sideScenario(scenario, side, join(dir, side.name)), {
    ...options,
    onClock: true,
    warn: (message) => options.warn?.(side.name, message),
    onEvent: (event) => options.onEvent?.(side.name, event),
    onAlert: (change) => options.onAlert?.(side.name, change)
  }))
  return allSides(dir, targets.map((t) => t.name), handles)
}
