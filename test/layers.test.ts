/**
 * The layers of src/, and what each may import: a module imports only from its own layer or the
 * layers below it, so that the pipeline (scenario → load → target → output → analysis → report →
 * drivers → commands) reads from the folder names and nothing low depends on something high.
 * CONTRIBUTING.md shows the same table.
 */
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const src = fileURLToPath(new URL('../src/', import.meta.url))

const LAYERS: string[][] = [
  ['errors.ts', 'version.ts', 'long-timeout.ts', 'lazy-undici.ts', 'files', 'units', 'columns'],
  ['scenario', 'probe'],
  ['counters', 'engine'],
  ['target', 'sampler'],
  ['recorder'],
  ['analysis', 'source'],
  ['report'],
  ['run', 'bisect', 'urls', 'demo', 'watch', 'stub', 'fleet'],
  ['commands', 'cli.ts', 'index.ts'],
]

/** Pairs the ranks allow but the design does not: the report draws results, it does not drive load. */
const FORBIDDEN: Array<[string, string]> = [['report', 'engine'], ['report', 'counters']]

function part (file: string): string {
  return relative(src, file).split('/')[0]
}

function layerOf (file: string): number {
  const name = part(file)
  const rank = LAYERS.findIndex((layer) => layer.includes(name))
  if (rank < 0) throw new Error(`src/${relative(src, file)}: its folder "${name}" is in no layer; add it to test/layers.test.ts and CONTRIBUTING.md`)
  return rank
}

function sources (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : []
  })
}

const IMPORT = /(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g

function localImports (file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts')))
}

t.test('every import goes down the layers, never up', async (t) => {
  const wrong: string[] = []
  for (const file of sources(src)) {
    const from = layerOf(file)
    for (const target of localImports(file)) {
      const to = layerOf(target)
      const forbidden = FORBIDDEN.some(([a, b]) => part(file) === a && part(target) === b)
      if (to > from || forbidden) wrong.push(`src/${relative(src, file)} imports src/${relative(src, target)}`)
    }
  }
  t.same(wrong, [], wrong.length ? `${wrong.length} imports go up the layers` : 'layers hold')
})

t.test('the check sees an upward import', async (t) => {
  t.ok(layerOf(join(src, 'scenario/load.ts')) < layerOf(join(src, 'analysis/analyze-run.ts')))
  t.throws(() => layerOf(join(src, 'nowhere/x.ts')), /in no layer/)
})
