#!/usr/bin/env bash
# Batch memory (docs/performance.md): 100 maps over 100 different
# 20,000-row events files (one file per map), by an older evmap and by
# this build, back to back: peak memory and time (/usr/bin/time). Then
# the cost of syncing each map (the default) against --no-fsync, for the
# 50 maps of bench/batch.sh, both builds in one hyperfine run.
#
#   bench/batch_files.sh OLD_EVMAP [BUILD_DIR] [SIZE]   (SIZE default 800x500)
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
build=${2:-build}
size=${3:-800x500}
new=$(realpath "$build/evmap")
ex=$(realpath examples/korea-russia-2023/events.csv)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 0 99); do
  awk -v seed="$i" 'BEGIN { srand(seed); print "name,lat,lon,kind,date"
    for (k = 0; k < 20000; k++)
      printf "Site %d-%d,%.5f,%.5f,city,2023-%02d-%02d\n", seed, k,
        30 + 25 * rand(), 110 + 35 * rand(), 1 + k % 12, 1 + k % 28 }' >"$work/ev$i.csv"
done
{ echo "output,events,extent"
  for i in $(seq 0 99); do echo "$work/out/m$i.png,$work/ev$i.csv,\"110,30,145,55\""; done
} >"$work/jobs.csv"
echo "== 100 maps ($size) over 100 files of 20,000 rows, load: $(uptime | sed 's/.*load average: //')"
for side in old new; do
  b=${!side}
  /usr/bin/time -f "$side: %e s wall, %U s user, %M kB peak" \
    "$b" batch --quiet --size "$size" "$work/jobs.csv"
done

awk -F, -v n=50 -v dir="$work/f" 'BEGIN{k=0} NR > 1 { lat[k] = $2; lon[k] = $3; k++ }
  END { print "output,extent"; for (i = 0; i < n; i++) { j = i % k;
  printf "%s/m%03d.png,\"%.4f,%.4f,%.4f,%.4f\"\n", dir, i, lon[j] - 7.5,
  lat[j] - 5, lon[j] + 7.5, lat[j] + 5 } }' "$ex" >"$work/jobs50.csv"
echo "== 50 maps, synced (default) and --no-fsync, load: $(uptime | sed 's/.*load average: //')"
hyperfine -N --warmup 1 --runs "${RUNS:-8}" \
  -n "old, synced" "$old batch --quiet $work/jobs50.csv --events $ex" \
  -n "old, --no-fsync" "$old batch --quiet --no-fsync $work/jobs50.csv --events $ex" \
  -n "new, synced" "$new batch --quiet $work/jobs50.csv --events $ex" \
  -n "new, --no-fsync" "$new batch --quiet --no-fsync $work/jobs50.csv --events $ex"
echo "   load after: $(uptime | sed 's/.*load average: //')"
