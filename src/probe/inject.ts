/** Loaded by NODE_OPTIONS (probes/node/memsiege-probe.cjs or .mjs): starts the side probe in the app. */
import { startPreloadProbe } from './preload.js'

startPreloadProbe()
