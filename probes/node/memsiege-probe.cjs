// memsiege's Node probe for an app you cannot change: NODE_OPTIONS="--require /abs/path/memsiege-probe.cjs"
// with MEMSIEGE_PROBE_PORT set serves GC and heap figures at 127.0.0.1:PORT/__memsiege/gc.
// The probe itself is an ES module: Node 20.19+ requires it synchronously; older ones import it a tick later.
'use strict'
const path = require('node:path')
const probe = path.join(__dirname, '..', '..', 'dist', 'probe', 'inject.js')
try {
  require(probe)
} catch (err) {
  if (err.code !== 'ERR_REQUIRE_ESM') throw err
  import(require('node:url').pathToFileURL(probe).href).catch((e) => process.stderr.write(`memsiege probe: not started: ${e.message}\n`))
}
