import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { scenarioSchema, type Spec } from '../src/scenario/schema.js'
import { repoRoot } from './fixtures/sampler-helpers.js'

/** Every fixed key of the schema, as a dotted path (list items as []), in the order written. */
function keyPaths (spec: Spec, prefix = ''): string[] {
  switch (spec.type) {
    case 'map':
      return Object.entries(spec.keys).flatMap(([key, inner]) => [`${prefix}${key}`, ...keyPaths(inner, `${prefix}${key}.`)])
    case 'list':
      return keyPaths(spec.of, prefix.replace(/\.$/, '[].'))
    case 'one-of':
      return spec.options.flatMap((option) => keyPaths(option, prefix))
    default:
      return []
  }
}

t.test('docs/scenario.md\'s block of every key names every key of the scenario schema', async (t) => {
  const page = readFileSync(join(repoRoot, 'docs', 'scenario.md'), 'utf8')
  const block = /^Every key, with its default:\n\n```yaml\n([\s\S]*?)```/m.exec(page)
  t.ok(block, 'the block is there')
  const missing = keyPaths(scenarioSchema).filter((path) => !new RegExp(`(^|[\\s{#,])${path.split('.').at(-1)!.replace(/\[\]$/, '')}:`, 'm').test(block![1]!))
  t.same(missing, [], 'keys to add to docs/scenario.md, "Every key, with its default"')
})
