#!/usr/bin/env bash
# The distance matrix (docs/dist.md, docs/performance.md): `evmap dist
# --matrix` of N events (default 5,000: 25 M cells, 12.5 M distinct
# pairs) by an older evmap and by this build, against the floor, a bare
# loop over geod_inverse for the N (N - 1) / 2 pairs on as many threads
# as evmap uses (evmap-bench-geod-mt), back to back (/usr/bin/time); the
# outputs of the two builds compared byte for byte.
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
[ -x /usr/bin/time ] || { echo "bench/matrix.sh needs GNU time (apt-get install time)" >&2; exit 1; }
[ -x "$loop" ] || { echo "build first: cmake --build $build --target evmap-bench-geod-mt" >&2; exit 1; }

awk -v n="$n" 'BEGIN { srand(2023); print "name,lat,lon";
  for (i = 0; i < n; i++)
    printf "event %d,%.6f,%.6f\n", i, -89 + 178 * rand(), -180 + 360 * rand() }' >"$out/events.csv"
cpus=$(nproc)
echo "== $n events, $cpus processors, load: $(uptime | sed 's/.*load average: //')"
# One run each, back to back: wall and CPU time, peak memory.
/usr/bin/time -f "bare loop, $cpus threads: %e s wall, %U s user, %M kB peak" \
  "$loop" "$out/events.csv" "$cpus"
for side in old new; do
  b=${!side}
  /usr/bin/time -f "$side dist --matrix: %e s wall, %U s user, %M kB peak" \
    "$b" dist "$out/events.csv" --matrix >"$out/$side.csv"
done
echo "   load after: $(uptime | sed 's/.*load average: //')"
cmp "$out/old.csv" "$out/new.csv" &&
  echo "== the two matrices are the same bytes ($(wc -c <"$out/new.csv") bytes)"
