#!/usr/bin/env bash
# Render benchmarks: whole-process time of `evmap render` for the example
# map (PNG, PDF, SVG), measured with hyperfine, plus peak memory from
# /usr/bin/time -v and where the time goes (`--timings`).
#
#   bench/run.sh [path/to/evmap]        (make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
evmap=${1:-build/evmap}
ex=examples/korea-russia-2023/events.csv
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if ! command -v hyperfine >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq hyperfine time >/dev/null
fi

echo "== the fixed cost: process start with every shared library loaded"
hyperfine --warmup 3 --runs 30 -N "$evmap --version"

echo
echo "== evmap render, example map (10 events), 1600x1000"
hyperfine --warmup 3 --runs 30 -N \
  "$evmap render $ex -o $out/map.png" \
  "$evmap render $ex -o $out/map.pdf" \
  "$evmap render $ex -o $out/map.svg"

echo
echo "== where the time goes (PNG, one run after warm-up)"
"$evmap" render "$ex" -o "$out/map.png" --timings 2>&1 >/dev/null | sed 's/^/  /'

echo
echo "== peak memory (PNG)"
/usr/bin/time -v "$evmap" render "$ex" -o "$out/map.png" 2>&1 |
  grep -E 'Maximum resident|Elapsed' | sed 's/^\s*/  /'
