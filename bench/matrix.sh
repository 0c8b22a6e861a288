#!/usr/bin/env bash
# The distance matrix (docs/dist.md, docs/performance.md): `evmap dist
# --matrix` of N events (default 5,000: 25 M cells, 12.5 M distinct
# pairs) by an older evmap and by this build, against the floor, a bare
# loop over geod_inverse for the N (N - 1) / 2 pairs on as many threads
# as evmap uses (evmap-bench-geod-mt), in one hyperfine run; the outputs
# of the two builds compared byte for byte.
#
#   bench/matrix.sh OLD_EVMAP [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
build=${2:-build}
n=${3:-5000}
new=$build/evmap
loop=$build/evmap-bench-geod-mt
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
command -v hyperfine >/dev/null || { echo "bench/matrix.sh needs hyperfine" >&2; exit 1; }
[ -x "$loop" ] || { echo "build first: cmake --build $build --target evmap-bench-geod-mt" >&2; exit 1; }

awk -v n="$n" 'BEGIN { srand(2023); print "name,lat,lon";
  for (i = 0; i < n; i++)
    printf "event %d,%.6f,%.6f\n", i, -89 + 178 * rand(), -180 + 360 * rand() }' >"$out/events.csv"
cpus=$(nproc)
echo "== $n events, $cpus processors, load: $(uptime | sed 's/.*load average: //')"
hyperfine -N --warmup 0 --runs 2 \
  -n "bare geod_inverse loop over the $((n * (n - 1) / 2)) pairs, $cpus threads" "$loop $out/events.csv $cpus" \
  -n "old: dist --matrix" "$old dist $out/events.csv --matrix" \
  -n "new: dist --matrix" "$new dist $out/events.csv --matrix"
"$old" dist "$out/events.csv" --matrix | cmp - <("$new" dist "$out/events.csv" --matrix) &&
  echo "== the two matrices are the same bytes ($("$new" dist "$out/events.csv" --matrix | wc -c) bytes)"
/usr/bin/time -f "== new: peak memory %M kB" "$new" dist "$out/events.csv" --matrix >/dev/null
