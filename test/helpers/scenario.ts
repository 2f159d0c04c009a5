import type { Scenario, UrlEntry } from '../../src/scenario/types.js'

/** A scenario built in code, for engine tests that don't go through a file. */
export function testScenario (lines: Array<string | Partial<UrlEntry> & { url: string }>, overrides: Partial<Scenario> = {}): Scenario {
  const entries: UrlEntry[] = lines.map((line, i) => typeof line === 'string'
    ? { source: '<test>', line: i + 1, method: 'GET', url: line }
    : { source: '<test>', line: i + 1, method: 'GET', ...line })
  return {
    name: 'test',
    target: { insecure: false, readyTimeout: 30, tree: true },
    urls: { text: entries.map((e) => e.url).join('\n'), entries },
    concurrency: 1,
    stop: { kind: 'passes', count: 1 },
    delay: 0,
    order: 'sequential',
    headers: [],
    timeout: 5,
    follow: true,
    cookies: true,
    sample: { interval: 1, pssInterval: 30 },
    ...overrides
  }
}
