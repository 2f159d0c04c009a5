/**
 * Side by side, the ports of the targets memsiege starts are checked before any starts: a port
 * taken (by another process, or by two of the targets) found after target a is up costs its
 * start-up, leaves a results folder of a run that never was, and was a failure (exit 1) where it
 * is the user's to fix.
 */
import { ConfigError } from '../errors.js'
import { ensurePortFree, localPort } from '../target/port-check.js'
import type { Scenario } from '../scenario/types.js'

export async function checkSidePorts (scenario: Scenario): Promise<void> {
  const owners = new Map<number, string>()
  for (const { name, target } of scenario.sides?.targets ?? []) {
    if (!target.command || !target.url) continue
    const address = target.ready ? { url: new URL(target.ready, target.url).href, key: 'target.ready' } : { url: target.url, key: 'target.url' }
    const port = localPort(address.url)
    if (port === undefined) continue
    const other = owners.get(port)
    if (other !== undefined) throw new ConfigError(`${name}: ${address.key} ${address.url}: port ${port} is target ${other}'s too; each target needs a port of its own`)
    owners.set(port, name)
    try {
      await ensurePortFree(address)
    } catch (err) {
      throw new ConfigError(`${name}: ${(err as Error).message}`)
    }
  }
}
