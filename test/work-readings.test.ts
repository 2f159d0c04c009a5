/**
 * On the CPU-time axis a lull piles readings up at one x; workedReadings keeps one each time the
 * target has done half its work per reading under traffic, so the lull weighs almost nothing.
 */
import t from 'tap'
import { workedReadings } from '../src/analysis/work-readings.js'

const readings = (x: number[]) => ({ x: Float64Array.from(x), t: Float64Array.from(x, (_, i) => i), y: Float64Array.from(x, (v) => 10 * v), major: Float64Array.from(x, (_, i) => i) })

t.test('a lull keeps a reading only once enough work has piled up', async (t) => {
  // 10 readings of work (1 CPU-second each), then 30 of a lull adding 0.01 each
  const x = [...Array.from({ length: 11 }, (_, i) => i), ...Array.from({ length: 30 }, (_, i) => 10 + 0.01 * (i + 1))]
  const kept = workedReadings(readings(x))
  // 1 CPU-second per reading under traffic: a kept reading needs 0.5 since the last one
  t.same([...kept.x].slice(0, 11), Array.from({ length: 11 }, (_, i) => i), 'every reading under traffic')
  t.equal(kept.x.length, 11, 'the lull\'s 30 readings, 0.3 CPU-seconds in all, add none')
  t.same([...kept.y], [...kept.x].map((v) => 10 * v), 'y kept with its x')
  t.equal(kept.major?.length, kept.x.length, 'the major-GC counter kept with them')
})

t.test('steady work keeps every reading; no work at all leaves them as they are', async (t) => {
  const steady = readings(Array.from({ length: 20 }, (_, i) => i * 0.5))
  t.equal(workedReadings(steady), steady)
  // uneven work: rows of 0.8 and 1.2 in turn, the busy mean 1.2: a row of 0.8 is more than half of it
  const uneven = readings(Array.from({ length: 21 }, (_, i) => Math.floor(i / 2) * 2 + (i % 2) * 0.8))
  t.equal(workedReadings(uneven), uneven, 'work that varies from row to row keeps every reading')
  const idle = readings(Array.from({ length: 20 }, () => 3))
  t.equal(workedReadings(idle), idle)
})
