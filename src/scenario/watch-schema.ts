import { scenarioSchema, type MapSpec } from './schema.js'

/** The scenario as `memsiege watch` reads it: the same keys, but `urls` may be left out, as a watch sends no load. */
export const watchScenarioSchema: MapSpec = {
  ...scenarioSchema,
  keys: { ...scenarioSchema.keys, urls: { ...scenarioSchema.keys.urls, required: false } },
}
