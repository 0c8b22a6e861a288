#!/usr/bin/env bash
# Dense maps (docs/performance.md, "Dense maps"): the inputs are made at
# bench time by bench/gen_dense.py (never committed), then
#  1. one hyperfine run of the build under test: `evmap info` of the
#     1,000,000 events, their map to PNG and to SVG, the 10-event example
#     and the 100,000 world cities, so that the ratios come from one run;
#  2. peak memory (GNU time) and the SVG's size;
#  3. with OLD given, the same maps by the old build and the new one side
#     by side in one hyperfine run (the old 1,000,000-event maps once
#     each: they take minutes).
#
#   bench/dense.sh [NEW_EVMAP] [OLD_EVMAP]
set -euo pipefail
cd "$(dirname "$0")/.."
new=${1:-build/evmap}
old=${2:-}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ex=examples/korea-russia-2023/events.csv
python3 bench/gen_dense.py cities "$dir/cities.csv"
python3 bench/gen_dense.py events "$dir/ev1m.csv"
cities="render $dir/cities.csv --label-priority population -o $dir/c.png"

echo "== load: $(uptime)"
echo
echo "== 1. the build under test, one run"
hyperfine -N --warmup 1 --runs 3 \
  -n info "$new info $dir/ev1m.csv" \
  -n png-1m "$new render $dir/ev1m.csv -o $dir/m.png" \
  -n svg-1m "$new render $dir/ev1m.csv -o $dir/m.svg" \
  -n example "$new render $ex -o $dir/ex.png" \
  -n cities-100k "$new $cities"

echo
echo "== 2. peak memory, SVG size"
for what in "info $dir/ev1m.csv" "render $dir/ev1m.csv -o $dir/m.png" \
  "render $dir/ev1m.csv -o $dir/m.svg" "$cities"; do
  kb=$(/usr/bin/time -f %M "$new" $what 2>&1 >/dev/null | tail -1)
  echo "  $what: ${kb} kB peak"
done
echo "  SVG of 1,000,000 events: $(stat -c %s "$dir/m.svg") bytes"

if [ -n "$old" ]; then
  echo
  echo "== 3. old build against new, one run"
  hyperfine -N --warmup 1 --runs 3 \
    -n old-example "$old render $ex -o $dir/ex.png" \
    -n new-example "$new render $ex -o $dir/ex.png" \
    -n old-cities-100k "$old $cities" \
    -n new-cities-100k "$new $cities"
  hyperfine -N --runs 1 \
    -n old-png-1m "$old render $dir/ev1m.csv -o $dir/m.png" \
    -n new-png-1m "$new render $dir/ev1m.csv -o $dir/m.png"
fi
echo
echo "== load: $(uptime)"
