// memsiege's Node probe for an app you cannot change, ESM form: NODE_OPTIONS="--import /abs/path/memsiege-probe.mjs"
// with MEMSIEGE_PROBE_PORT set serves GC and heap figures at 127.0.0.1:PORT/__memsiege/gc.
import '../../dist/probe/inject.js'
