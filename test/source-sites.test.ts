import t from 'tap'
import { grownSites, MAX_SITES } from '../src/source/diff-sites.js'
import { sourceSummary } from '../src/source/source-summary.js'
import { sourceText } from '../src/source/source-text.js'
import type { RunVerdict } from '../src/analysis/types.js'
import type { ProbeSite } from '../src/source/types.js'
import type { Scenario } from '../src/scenario/types.js'

const site = (stack: string[], bytes: number, count?: number): ProbeSite => ({ stack, bytes, ...(count !== undefined ? { count } : {}) })
const at = (requests: number) => ({ requests, seconds: requests / 100 })

t.test('diffed by stack, summed by allocating frame, ranked, cut at the noise floor', async (t) => {
  const first = [site(['keep a.js:1', 'handler a.js:9'], 1_000_000), site(['cache a.js:5'], 500_000), site(['gone a.js:7'], 400_000)]
  const last = [
    site(['keep a.js:1', 'handler a.js:9'], 3_000_000),
    site(['keep a.js:1', 'other a.js:20'], 1_000_000),
    site(['cache a.js:5'], 500_000),
    site(['small a.js:3'], 100_000),
  ]
  const grown = grownSites(first, last, 256 * 1024, 1000 / 2000)
  t.same(grown.map((g) => g.site), ['keep a.js:1'], 'the bounded cache, the freed site and the one under the floor are not named')
  t.equal(grown[0]!.bytes, 3_000_000)
  t.equal(grown[0]!.bytes_per_1000_requests, 1_500_000)
  t.same(grown[0]!.stacks, [['keep a.js:1', 'handler a.js:9'], ['keep a.js:1', 'other a.js:20']], 'largest growth first')
})

t.test('at most ten sites', async (t) => {
  const last = Array.from({ length: 15 }, (_, i) => site([`s${i} a.js:${i}`], 1_000_000 + i))
  const grown = grownSites([], last, 0, 1)
  t.equal(grown.length, MAX_SITES)
  t.equal(grown[0]!.site, 's14 a.js:14')
})

const leakVerdict = (unit: 'bytes' | 'objects', perRequest: number): RunVerdict => ({
  verdict: 'leak',
  metrics: [
    { metric: 'native_bytes', unit: 'bytes', verdict: 'flat', decides: true, per_request: { value: 2, low: 0, high: 4, level: 0.95 } },
    { metric: 'heap', unit, verdict: 'leak', decides: true, per_request: { value: perRequest, low: 1, high: 2 * perRequest, level: 0.95 } },
  ],
} as unknown as RunVerdict)

t.test('the share is of the leaking deciding metric, in its unit', async (t) => {
  const taken = { recording: at(1000), first: { at: at(3000), sites: [] }, last: { at: at(5000), sites: [site(['keep a.rb:1'], 2_000_000, 2000)] } }
  const bytes = sourceSummary(taken, 'ruby', leakVerdict('bytes', 2000))
  t.equal(bytes.sites[0]!.share, 0.5, '1,000 B a request kept of 2,000 B measured, never the flat metric')
  t.equal(sourceSummary(taken, 'ruby', leakVerdict('objects', 4)).sites[0]!.share, 0.25, 'one object a request of four')
  t.notOk('share' in sourceSummary(taken, 'ruby', undefined).sites[0]!, 'no verdict: no share')
  t.match(sourceText(bytes), /^Source:\t\tObjectSpace.*requests 3,000 → 5,000 compared\n +977 KiB\/1k req, 1000 objects +50% of the growth +keep a\.rb:1\n$/)
})

t.test('nothing above the floor, or no snapshots: said so, never a made-up site', async (t) => {
  const flat = sourceSummary({ recording: at(100), first: { at: at(300), sites: [site(['x a.py:1'], 10)] }, last: { at: at(500), sites: [site(['x a.py:1'], 20_000)] } }, 'python', undefined)
  t.same(flat.sites, [])
  t.equal(flat.note, 'no allocation site grew more than 64 KiB over the 200 requests between the snapshots')
  const short = sourceSummary('the run ended before the first snapshot', 'node', undefined)
  t.same(short.sites, [])
  t.match(sourceText(short), /\n {2}the run ended before the first snapshot\n$/)
})

t.test('the schedule: recording from the end of the warm-up, the first snapshot halfway through the rest', async (t) => {
  const { sourceSchedule } = await import('../src/source/schedule.js')
  const base = { concurrency: 2, urls: { entries: [{}, {}] } } as unknown as Scenario
  const byRequests = sourceSchedule({ ...base, stop: { kind: 'requests', count: 10_000 } }, undefined)
  t.notOk(byRequests.recordingStarts(at(1999)), 'auto: up to its 20% cap')
  t.ok(byRequests.recordingStarts(at(2000)))
  t.notOk(byRequests.firstSnapshotDue(at(2100), at(6000)))
  t.ok(byRequests.firstSnapshotDue(at(2100), at(6050)), 'halfway from where it started to the end')
  const bySeconds = sourceSchedule({ ...base, stop: { kind: 'duration', seconds: 100 } }, { kind: 'requests', value: 500 })
  t.ok(bySeconds.recordingStarts({ requests: 500, seconds: 1 }), 'a warm-up in requests on a timed run')
  t.ok(bySeconds.firstSnapshotDue({ requests: 500, seconds: 10 }, { requests: 9000, seconds: 55 }))
  const passes = sourceSchedule({ ...base, stop: { kind: 'passes', count: 5 } }, { kind: 'fraction', value: 0.5 })
  t.ok(passes.recordingStarts(at(10)) && !passes.recordingStarts(at(9)), '5 passes of 2 lines by 2 users: 20 requests')
  t.throws(() => sourceSchedule({ ...base, stop: { kind: 'forever' } }, undefined), /--find-source \(findSource\) needs a run with an end/)
})
