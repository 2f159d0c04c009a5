import t from 'tap'
import { parseDuration } from '../src/units/duration.js'

t.test('units', async (t) => {
  const cases: Array<[string | number, number]> = [
    ['30s', 30],
    ['10m', 600],
    ['8h', 28800],
    ['1.5m', 90],
    ['500ms', 0.5],
    ['0.1h', 360],
    ['.5s', 0.5],
    ['30S', 30],
    ['10M', 600],
    ['1H', 3600],
    ['500MS', 0.5],
    ['1h30m', 5400],
    ['1h 30m 15s', 5415],
    ['10min', 600],
    ['30sec', 30],
    ['2hours', 7200],
    [' 10 m ', 600],
    ['0s', 0],
  ]
  for (const [text, seconds] of cases) t.equal(parseDuration(text), seconds, JSON.stringify(text))
})

t.test('a bare number is seconds, or minutes for siege -t', async (t) => {
  t.equal(parseDuration(30), 30)
  t.equal(parseDuration('30'), 30)
  t.equal(parseDuration(0.5), 0.5)
  t.equal(parseDuration(0), 0)
  t.equal(parseDuration(30, { bareUnit: 's' }), 30)
  t.equal(parseDuration(10, { bareUnit: 'm' }), 600)
  t.equal(parseDuration('10', { bareUnit: 'm' }), 600)
  t.equal(parseDuration('1.5', { bareUnit: 'm' }), 90)
  t.equal(parseDuration('10s', { bareUnit: 'm' }), 10, 'a unit wins over bareUnit')
  t.equal(parseDuration('10M', { bareUnit: 'm' }), 600)
})

t.test('bad input: a plain Error with a short reason', async (t) => {
  const cases: Array<[string | number, string]> = [
    ['10x', 'bad duration "10x": unknown unit "x" (use ms, s, m, h or d)'],
    ['', 'bad duration "": empty'],
    ['   ', 'bad duration "": empty'],
    ['-5s', 'bad duration "-5s": negative'],
    [-5, 'bad duration -5: negative'],
    [Number.NaN, 'bad duration NaN: not a finite number'],
    [Number.POSITIVE_INFINITY, 'bad duration Infinity: not a finite number'],
    ['abc', 'bad duration "abc": expected a number and a unit such as 30s, 10m, 8h or 500ms'],
    ['10s x', 'bad duration "10s x": expected a number and a unit such as 30s, 10m, 8h or 500ms'],
    ['1h30', 'bad duration "1h30": missing unit after 30 (use ms, s, m, h or d)'],
    ['1e3', 'bad duration "1e3": unknown unit "e" (use ms, s, m, h or d)'],
  ]
  for (const [text, message] of cases) {
    let error: unknown
    try {
      parseDuration(text)
    } catch (e) {
      error = e
    }
    t.type(error, Error, String(text))
    t.equal((error as Error).constructor, Error, 'plain Error, not ConfigError')
    t.equal((error as Error).message, message)
  }
  t.throws(() => parseDuration(null as unknown as string), /expected a string or a number/)
})
