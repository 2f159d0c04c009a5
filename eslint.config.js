// neostandard, as undici uses: standard's style for TypeScript, so one style holds across the tree.
import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'results/**', 'test/corpus/**', 'node_modules/**'] }),
]
