import t from 'tap'
import { version } from '../src/index.js'
t.equal(typeof version, 'string')
