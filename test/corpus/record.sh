#!/bin/sh
# Records the labelled corpus (test/corpus/*/samples.csv) with memsiege itself, from real runs of
# real targets on 127.0.0.1. Each run: 30,000 requests by 4 users with up to 5 ms of think time
# (about 1,300 requests/s, 20-35 s; node-sawtooth 10 ms, 45 s), a row every 100 ms, GC stats
# every 100 ms.
#
#   sh test/corpus/record.sh            # all
#   sh test/corpus/record.sh demo-leak  # one
#
# Needs ruby and puma (Debian: ruby puma ruby-rack). Re-recording changes the numbers, not the
# verdicts: expected.json must still hold (npx tap test/analysis-corpus.test.ts).
set -eu
cd "$(dirname "$0")/../.."
npx tsc -p .
CORPUS=test/corpus
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ONLY=${1:-}

scenario() { # name port command ready urls [delay]
  cat > "$WORK/$1.yml" <<YML
name: $1
target:
  url: http://127.0.0.1:$2
  command: $3
  cwd: $PWD
  env: { RACK_ENV: production }
  ready: $4
urls: $5
concurrency: 4
delay: ${6:-5ms}
requests: 30000
sample:
  interval: 100ms
  pssInterval: 5s
  gc: { url: /__memsiege/gc, interval: 100ms }
YML
}

keep() { # name results-dir
  mkdir -p "$CORPUS/$1"
  node "$CORPUS/trim.mjs" "$2/samples.csv" "$CORPUS/$1/samples.csv"
  rm -f "$CORPUS/$1/events.csv"
  if [ -f "$2/events.csv" ]; then cp "$2/events.csv" "$CORPUS/$1/events.csv"; fi
  echo "$1: $(wc -l < "$CORPUS/$1/samples.csv") lines, $(wc -c < "$CORPUS/$1/samples.csv") bytes"
}

record() { # name port command ready urls [delay]
  if [ -n "$ONLY" ] && [ "$ONLY" != "$1" ]; then return; fi
  scenario "$@"
  node dist/cli.js run "$WORK/$1.yml" --out "$WORK/out-$1" -q
  keep "$1" "$WORK/out-$1"
}

# The demo's cache fills as new keys arrive: 1000 keys, each asked 12 times in a row, so that
# the 4 users have seen every key after about 12,000 requests; then it holds 1000 entries.
i=0; while [ $i -lt 12000 ]; do echo "/cache?key=k$((i / 12))"; i=$((i + 1)); done > "$WORK/cache-urls.txt"

DEMO="node dist/demo/server.js --port"
NODEAPP="node test/fixtures/analysis-apps/node-app.mjs --port"
PUMA="puma -b tcp://127.0.0.1:"
record demo-flat 18801 "$DEMO 18801" /stats '[ /flat ]'
record demo-cache 18802 "$DEMO 18802" /stats "$WORK/cache-urls.txt"
record demo-leak 18803 "$DEMO 18803" /stats '[ /leak ]'
record puma-flat 18804 "${PUMA}18804 test/fixtures/analysis-apps/puma.ru" /flat '[ "/flat?q=memsiege&page=2" ]'
record puma-leak 18805 "${PUMA}18805 test/fixtures/analysis-apps/puma.ru" /flat '[ "/leak?q=memsiege&page=2" ]'
record puma-rare-gc 18806 "${PUMA}18806 test/fixtures/puma-app/config.ru" /flat '[ /flat ]'
# Slower (about 650 requests/s, 45 s): the saw's bottom is only seen right after a major GC,
# and a reading lands there more often when the heap refills more slowly.
record node-sawtooth 18807 "$NODEAPP 18807" /flat '[ /sawtooth ]' 10ms
record node-slowleak 18808 "$NODEAPP 18808" /flat '[ /slowleak ]'

# A target restart mid-run: memsiege samples whatever listens on the port (--port), the demo is
# killed after 10 s and started again on the same port; --keep-going, as the run then goes on.
if [ -z "$ONLY" ] || [ "$ONLY" = demo-leak-restart ]; then
  cat > "$WORK/restart.yml" <<YML
name: demo-leak-restart
target: { url: http://127.0.0.1:18809, port: 18809 }
urls: [ /leak ]
concurrency: 4
delay: 5ms
requests: 30000
sample:
  interval: 100ms
  pssInterval: 5s
  gc: { url: /__memsiege/gc, interval: 100ms }
YML
  $DEMO 18809 > /dev/null & DEMO_PID=$!
  sleep 1
  node dist/cli.js run "$WORK/restart.yml" --out "$WORK/out-restart" --keep-going -q & RUN_PID=$!
  sleep 10
  kill "$DEMO_PID"; wait "$DEMO_PID" || true
  sleep 0.5
  $DEMO 18809 > /dev/null & DEMO_PID=$!
  wait "$RUN_PID"
  kill "$DEMO_PID"; wait "$DEMO_PID" || true
  keep demo-leak-restart "$WORK/out-restart"
fi
