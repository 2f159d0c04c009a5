#!/bin/sh
# Draws the pictures of the verdict shapes in docs/verdict.md from the labelled corpus (test/corpus/), with
# memsiege's own chart (`memsiege report` writes memory.svg): each recording is copied, its
# stored verdict dropped so that the analysis of today judges it, and its chart kept here.
#
#   sh docs/verdict-shapes/make.sh
#
# A name with :ROWS keeps only the recording's first ROWS rows: the same run stopped early.
set -eu
cd "$(dirname "$0")/../.."
npx tsc -p .
OUT=docs/verdict-shapes
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

draw() { # picture recording[:rows]
  name=${2%%:*}
  rows=${2#"$name"}
  mkdir -p "$WORK/$1"
  if [ -n "$rows" ]; then head -n "$((${rows#:} + 1))" "test/corpus/$name/samples.csv"; else cat "test/corpus/$name/samples.csv"; fi > "$WORK/$1/samples.csv"
  # The stored verdict out; a run stopped early says how far it got (its last row).
  node -e 'const fs = require("fs"); const [from, to, csv, cut] = process.argv.slice(1)
    const s = JSON.parse(fs.readFileSync(from, "utf8")); delete s.verdict
    if (cut) {
      const lines = fs.readFileSync(csv, "utf8").trim().split("\n"); const head = lines[0].split(","); const last = lines.at(-1).split(",")
      s.transactions = Number(last[head.indexOf("requests")]); s.failed_transactions = 0; s.elapsed_s = Number(last[head.indexOf("elapsed_s")])
    }
    fs.writeFileSync(to, JSON.stringify(s))' "test/corpus/$name/summary.json" "$WORK/$1/summary.json" "$WORK/$1/samples.csv" "$rows"
  node dist/cli.js report "$WORK/$1" > /dev/null
  cp "$WORK/$1/memory.svg" "$OUT/$1.svg"
  echo "$OUT/$1.svg: $2, $(node dist/cli.js analyze "$WORK/$1" | head -1 | tr '\t' ' ')"
}

draw leak puma-native-leak
draw settling puma-cache
draw plateau puma-fresh
draw flat go-expvar-flat
draw inconclusive puma-search-get:16
# A limit, shown as it is: the cache's first 30 seconds alone still grow at the rate they began with.
draw limit-short-warmup puma-cache:30
