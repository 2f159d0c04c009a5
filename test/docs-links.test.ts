import t from 'tap'
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './fixtures/sampler-helpers.js'
import { brokenLinks, markdownFiles, slug } from './helpers/markdown-links.js'

const PAGES = [
  join(repoRoot, 'README.md'),
  join(repoRoot, 'CONTRIBUTING.md'),
  join(repoRoot, 'bench', 'README.md'),
  ...markdownFiles(join(repoRoot, 'docs')),
]

t.test('every relative link and anchor of the README, CONTRIBUTING, bench and docs/ pages exists', async (t) => {
  const broken = brokenLinks(PAGES, repoRoot)
  t.same(broken.map((b) => `${b.file}:${b.line}: ${b.target}: ${b.why}`), [])
})

t.test('anchors are GitHub\'s heading slugs', async (t) => {
  t.equal(slug('URL lists: siege\'s format'), 'url-lists-sieges-format')
  t.equal(slug('Does it leak? The verdict'), 'does-it-leak-the-verdict')
  t.equal(slug('`memsiege stub` and [its rules](stub.md)'), 'memsiege-stub-and-its-rules')
  t.equal(slug('snake_case — and more'), 'snake_case--and-more')
})

t.test('the check finds a missing file, a missing anchor here and on another page, and ignores code', async (t) => {
  const dir = t.testdir()
  mkdirSync(join(dir, 'docs'))
  writeFileSync(join(dir, 'docs', 'other.md'), '# Other page\n\n## A section\n\n## A section\n')
  const page = join(dir, 'README.md')
  writeFileSync(page, [
    '# Front',
    '',
    'Good: [other](docs/other.md), [section](docs/other.md#a-section), [repeat](docs/other.md#a-section-1), [here](#front), [web](https://example.org/x#y).',
    'Broken: [gone](docs/gone.md) and [no anchor](docs/other.md#no-such-section).',
    '![missing picture](docs/shape.svg)',
    '[no such heading here](#nowhere)',
    '`[in a code span](docs/gone-too.md)`',
    '```sh',
    '# a comment in code, not a heading; [in a code block](docs/gone-too.md)',
    '```',
    '[see the definition]: docs/also-gone.md',
  ].join('\n'))
  const broken = brokenLinks([page], dir).map((b) => `${b.line}: ${b.target}: ${b.why}`)
  t.same(broken, [
    '4: docs/gone.md: no file docs/gone.md',
    '4: docs/other.md#no-such-section: no heading #no-such-section in docs/other.md',
    '5: docs/shape.svg: no file docs/shape.svg',
    '6: #nowhere: no heading #nowhere in README.md',
    '11: docs/also-gone.md: no file docs/also-gone.md',
  ])
})
