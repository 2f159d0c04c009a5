// neostandard, as undici uses: standard's style for TypeScript, so one style holds across the tree.
import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'results/**', 'test/corpus/**', 'node_modules/**'] }),
  {
    rules: {
      // `void promise` marks a promise deliberately not awaited (a fire-and-forget close).
      'no-void': 'off',
      // summary.json, bisect.json and GC.stat keys are snake_case on purpose: they are file formats.
      camelcase: 'off',
      // The URL-file, log and HAR readers look for control bytes on purpose.
      'no-control-regex': 'off',
      // siege's URL files have ${VAR} references: strings that hold them are data, not mistakes.
      'no-template-curly-in-string': 'off',
    },
  },
]
