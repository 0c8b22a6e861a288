#!/usr/bin/env bash
# Distance benchmarks (docs/dist.md):
#  1. `evmap dist` over every pair of 2,000 events (1,999,000 geodesics,
#     CSV to /dev/null) with --jobs 1 and --jobs 2, against a plain C loop
#     over geod_inverse on one core (evmap-bench-geod, the limit of the
#     method), as geodesics per second of whole-process time (hyperfine);
#  2. peak memory of the 2,000-event run (/usr/bin/time -v), which streams;
#  3. `evmap dist --to-border Ukraine` (1:10m) for every event of the
#     example, and for the 2,000 events.
#
#   bench/dist.sh [BUILD_DIR]        (default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
evmap=$build/evmap
loop=$build/evmap-bench-geod
ex=examples/korea-russia-2023/events.csv
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for tool in hyperfine jq /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/dist.sh needs $tool (apt-get install hyperfine jq time)" >&2; exit 1; }
done
[ -x "$evmap" ] && [ -x "$loop" ] || { echo "build first: cmake --build $build" >&2; exit 1; }

# 2,000 events spread over the globe, the same every run.
awk 'BEGIN { srand(2023); print "name,lat,lon";
  for (i = 0; i < 2000; i++)
    printf "event %d,%.6f,%.6f\n", i, -89 + 178 * rand(), -180 + 360 * rand() }' >"$out/events-2000.csv"
pairs=1999000

echo "== machine: $(nproc) processors, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo
echo "== in-process loop over geod_inverse (one core, nothing written)"
"$loop" "$out/events-2000.csv"

echo
echo "== whole process, 2,000 events, all pairs, CSV to /dev/null"
hyperfine --warmup 1 --runs 5 --export-json "$out/pairs.json" \
  -n "evmap-bench-geod (plain geod_inverse loop, 1 core)" "$loop $out/events-2000.csv >/dev/null" \
  -n "evmap dist --jobs 1" "$evmap dist $out/events-2000.csv --jobs 1 >/dev/null" \
  -n "evmap dist --jobs 2" "$evmap dist $out/events-2000.csv --jobs 2 >/dev/null" >/dev/null
jq -r --argjson n "$pairs" '.results[] |
  "  \(.command)\n      mean \(.mean * 1000 | floor) ms +- \(.stddev * 1000 | floor) ms (min \(.min * 1000 | floor) ms): \($n / .mean | floor) geodesics/s"' \
  "$out/pairs.json"

echo
echo "== peak memory, 2,000 events, --jobs 2 (output: $(($("$evmap" dist "$out/events-2000.csv" | wc -c) / 1000000)) MB)"
/usr/bin/time -v sh -c "$evmap dist $out/events-2000.csv --jobs 2 >/dev/null" 2>&1 |
  grep -E 'Maximum resident|Elapsed' | sed 's/^\s*/  /'

echo
echo "== --to-border Ukraine at 1:10m"
hyperfine --warmup 3 --runs 30 --export-json "$out/border.json" \
  -n "evmap dist $ex --to-border Ukraine" "$evmap dist $ex --to-border Ukraine >/dev/null" \
  -n "evmap dist $ex --to-border Ukraine --jobs 1" "$evmap dist $ex --to-border Ukraine --jobs 1 >/dev/null" \
  -n "evmap dist (2,000 events) --to-border Ukraine --jobs 1" "$evmap dist $out/events-2000.csv --to-border Ukraine --jobs 1 >/dev/null" \
  -n "evmap dist (2,000 events) --to-border Ukraine --jobs 2" "$evmap dist $out/events-2000.csv --to-border Ukraine --jobs 2 >/dev/null" \
  -n "evmap dist $ex --matrix" "$evmap dist $ex --matrix >/dev/null" >/dev/null
jq -r '.results[] | "  \(.command)\n      mean \(.mean * 1000 * 100 | floor / 100) ms +- \(.stddev * 1000 * 100 | floor / 100) ms (min \(.min * 1000 * 100 | floor / 100) ms)"' \
  "$out/border.json"
echo "  (the --matrix run of the 10 events is the cost of starting evmap and"
echo "   reading the file; the rest of --to-border is loading 1:10m and the search)"
