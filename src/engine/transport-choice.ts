import { ConfigError } from '../errors.js'
import type { Scenario } from '../scenario/types.js'

export type TransportName = 'fast' | 'undici'

/** Set to run a scenario that names no transport through undici alone (the wire tests run both ways). */
export const TRANSPORT_ENV = 'MEMSIEGE_TRANSPORT'

/** The scenario's `transport`, else the environment's, else the fast path (which leaves https: and odd headers to undici anyway). */
export function chosenTransport (scenario: Pick<Scenario, 'transport'>, env: NodeJS.ProcessEnv = process.env): TransportName {
  if (scenario.transport) return scenario.transport
  const fromEnv = env[TRANSPORT_ENV]
  if (fromEnv === undefined || fromEnv === '') return 'fast'
  if (fromEnv === 'fast' || fromEnv === 'undici') return fromEnv
  throw new ConfigError(`${TRANSPORT_ENV}=${fromEnv}: expected fast or undici`)
}
