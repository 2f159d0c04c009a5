#!/bin/sh
# Records the labelled corpus (test/corpus/*/samples.csv) with memsiege itself, from real runs of
# real targets on 127.0.0.1. Each run: 30,000 requests by 4 users with up to 5 ms of think time
# (about 1,300 requests/s, 20-35 s; node-sawtooth 10 ms, 45 s), a row every 100 ms, GC stats
# every 100 ms.
#
#   sh test/corpus/record.sh                       # all
#   sh test/corpus/record.sh demo-leak puma-cache  # these
#
# Needs ruby and puma (Debian: ruby puma ruby-rack). Re-recording changes the numbers, not the
# verdicts: expected.json must still hold (npx tap test/analysis-corpus.test.ts).
set -eu
cd "$(dirname "$0")/../.."
npx tsc -p .
CORPUS=test/corpus
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ONLY=" $* "

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

keep() { # name results-dir [whole]
  mkdir -p "$CORPUS/$1"
  if [ "${3:-}" = whole ]; then
    cp "$2/samples.csv" "$CORPUS/$1/samples.csv"
    # What the run was and what memsiege said then; paths made relative to the repository.
    sed -e "s#$PWD/##g" -e "s#$WORK/##g" "$2/summary.json" > "$CORPUS/$1/summary.json"
  else
    node "$CORPUS/trim.mjs" "$2/samples.csv" "$CORPUS/$1/samples.csv"
  fi
  rm -f "$CORPUS/$1/events.csv"
  if [ -f "$2/events.csv" ]; then cp "$2/events.csv" "$CORPUS/$1/events.csv"; fi
  echo "$1: $(wc -l < "$CORPUS/$1/samples.csv") lines, $(wc -c < "$CORPUS/$1/samples.csv") bytes"
}

skip() { # name: not among those asked for
  [ "$ONLY" != "  " ] && case "$ONLY" in *" $1 "*) false ;; *) true ;; esac
}

record() { # name port command ready urls [delay]
  if skip "$1"; then return; fi
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
if ! skip demo-leak-restart; then
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

# Real servers as they are met in production, sampled every second (the default a user would
# pick), GC statistics from the endpoint people write by hand. Kept whole: at one row a second
# they are small, and every GC.stat / memstats key stays for the analysis to find.
ROW=1s
second() { # name gc-path yaml-line... (target, urls and load: all but name and sample); a row every $ROW
  if skip "$1"; then return; fi
  NAME=$1 GC=$2; shift 2
  { echo "name: $NAME"; printf '%s\n' "$@"
    printf 'sample:\n  interval: %s\n  pssInterval: 10s\n  gc: { url: %s, interval: %s }\n' "$ROW" "$GC" "$ROW"
  } > "$WORK/$NAME.yml"
  node dist/cli.js run "$WORK/$NAME.yml" --out "$WORK/out-$NAME" -q
  # Whole at a row a second; faster rows make files large enough to trim.
  keep "$NAME" "$WORK/out-$NAME" "$([ "$ROW" = 1s ] && echo whole)"
}

REAL=$PWD/test/fixtures/puma-real
real() { # name port "stop condition" urls-file [", ENV: value" ...] [extra yaml line]
  second "$1" /gc "target:" "  url: http://127.0.0.1:$2" \
    "  command: puma -b tcp://127.0.0.1:$2 -t 8:8 config.ru" "  cwd: $REAL" \
    "  env: { RACK_ENV: production${5:-} }" "  ready: /gc" \
    "urls: $REAL/urls/$4" "concurrency: 4" "$3" "${6:-}"
}

# A fresh puma (8 threads, glibc malloc) on ten endpoints that keep nothing, flat out for 150 s:
# the allocator warms up (glibc gives each thread its own arena), RSS climbs and bends flat.
real puma-fresh 18810 'duration: 150s' plain.txt
real puma-fresh-arena2 18811 'duration: 150s' plain.txt ', MALLOC_ARENA_MAX: "2"'
# The same while the other core is kept busy by a loop (the verdict must not depend on it).
if ! skip puma-fresh-busy; then
  taskset -c 1 sh -c 'while :; do :; done' & BUSY_PID=$!
  real puma-fresh-busy 18812 'duration: 150s' plain.txt
  kill "$BUSY_PID"; wait "$BUSY_PID" 2>/dev/null || true
fi
# The same fresh process over 30,000 requests only (the live tests' size): still bending.
real puma-fresh-short 18819 'requests: 30000' plain.txt
# And as the live test (test/analysis-live-puma-fresh.test.ts) runs it: 120,000 requests, a row every 250 ms.
ROW=250ms
real puma-fresh-live 18822 'requests: 120000' plain.txt
# Many threads, many arenas: 32 puma threads and 16 users, 120,000 requests, a row every 250 ms.
second puma-fresh-32-threads /gc "target:" "  url: http://127.0.0.1:18825" \
  "  command: puma -b tcp://127.0.0.1:18825 -t 32:32 config.ru" "  cwd: $REAL" \
  "  env: { RACK_ENV: production }" "  ready: /gc" \
  "urls: $REAL/urls/plain.txt" "concurrency: 16" "requests: 120000"
ROW=1s
# Leaks, one request in ten: /api/search keeps its results, but only when q is in a form body
# (the X-Method rewrite puts it there); /api/e3 mallocs 16 KiB and never frees it; /api/e9
# starts a thread that sleeps forever.
real puma-body-leak 18813 'requests: 60000' search.txt ', APP_BODY_LEAK: /api/search' 'methodOverride: true'
# The same URL list sent as plain GETs: q stays in the query string, nothing leaks.
real puma-search-get 18823 'requests: 60000' search.txt ', APP_BODY_LEAK: /api/search'
real puma-native-leak 18814 'requests: 60000' plain.txt ', APP_NATIVE_LEAK: /api/e3'
real puma-thread-leak 18815 'requests: 60000' plain.txt ', APP_THREAD_LEAK: /api/e9'
# A bounded cache, one request in four: 4,000 entries of 4 KiB fill over the first ~16,000
# requests, then each is replaced in place.
real puma-cache 18816 'requests: 60000' cache.txt ', APP_CACHE: /api/cache'
# The same as the live test runs it: 30,000 requests, a row every 250 ms (about 15 major GCs).
ROW=250ms
real puma-cache-live 18824 'requests: 30000' cache.txt ', APP_CACHE: /api/cache'
# The same on an idle machine (1,135 requests/s; `chrt -f 10 sh test/corpus/record.sh
# puma-cache-fast` keeps other work off the cores): 18 major GCs, 14 after the warm-up.
real puma-cache-fast 18826 'requests: 30000' cache.txt ', APP_CACHE: /api/cache'
ROW=1s

# Go with expvar (/debug/vars: memstats, goroutines), built from the standard library alone.
# Go answers ten times faster than puma: up to 10 ms of think time stretches 60,000 requests
# over about a minute and a half, so that rows a second are enough to see the shape.
GOAPP="$WORK/go-expvar"
go_expvar() { # name port path
  if skip "$1"; then return; fi
  [ -x "$GOAPP" ] || GOCACHE="$WORK/gocache" GOPATH="$WORK/gopath" GOPROXY=off go build -o "$GOAPP" test/fixtures/go-expvar/main.go
  second "$1" /debug/vars "target:" "  url: http://127.0.0.1:$2" "  command: $GOAPP -port $2" "  ready: /flat" \
    "urls: [ $3 ]" "concurrency: 4" "delay: 10ms" "requests: 60000"
}
go_expvar go-expvar-flat 18817 /flat
go_expvar go-expvar-leak 18818 /leak
# A goroutine per request that never ends: Go's thread leak (OS threads stay flat; goroutines don't).
go_expvar go-goroutine-leak 18820 /goroutine

# Node's heap saws (see node-sawtooth), here a row a second and 60,000 requests.
second node-sawtooth-1s /__memsiege/gc "target:" "  url: http://127.0.0.1:18821" \
  "  command: $NODEAPP 18821" "  cwd: $PWD" "  ready: /flat" \
  "urls: [ /sawtooth ]" "concurrency: 4" "delay: 10ms" "requests: 60000"
