#!/usr/bin/env bash
# Batch benchmark: the same maps drawn by `evmap batch` (1 and 2 threads)
# and by a plain loop of single `evmap render` calls. Map i is centred on
# event i mod 10 of the Korea–Russia example, a 15° x 10° box around it,
# 1600x1000 PNG with base map, markers and labels. Reports maps per
# second (hyperfine, whole process) and peak RSS for 50 and 500 maps
# (/usr/bin/time -v).
#
#   bench/batch.sh [path/to/evmap]
set -euo pipefail
cd "$(dirname "$0")/.."
evmap=$(realpath "${1:-build/evmap}")
ex=$(realpath examples/korea-russia-2023/events.csv)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v hyperfine >/dev/null || [ ! -x /usr/bin/time ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq hyperfine time >/dev/null
fi

# jobs-N.csv and render-N.sh: the same N maps both ways.
make_jobs() {
  local n=$1
  awk -F, -v n="$n" -v dir="$work/out" -v ex="$ex" '
    BEGIN { k = 0 }  # numeric from the start: the first event is lat[0]
    NR > 1 { lat[k] = $2; lon[k] = $3; k++ }
    END {
      print "output,extent" > (dir "-jobs-" n ".csv")
      print "set -e" > (dir "-render-" n ".sh")
      for (i = 0; i < n; i++) {
        j = i % k
        w = lon[j] - 7.5; e = lon[j] + 7.5; s = lat[j] - 5; no = lat[j] + 5
        if (w < -180) w += 360
        if (e > 180) e -= 360
        ext = sprintf("%.4f,%.4f,%.4f,%.4f", w, s, e, no)
        printf "%s/m%03d.png,\"%s\"\n", dir, i, ext >> (dir "-jobs-" n ".csv")
        printf "\"$EVMAP\" render %s --extent %s -o %s/m%03d.png\n", ex, ext,
               dir, i >> (dir "-render-" n ".sh")
      }
    }' "$ex"
}
mkdir -p "$work/out"
make_jobs 50
make_jobs 500
export EVMAP="$evmap"

echo "== 50 maps, 1600x1000 PNG, $(nproc) cores ($(uname -m))"
hyperfine --warmup 1 --runs 5 -N \
  -n "render loop (50 processes)" "bash $work/out-render-50.sh" \
  -n "batch --jobs 1" "$evmap batch $work/out-jobs-50.csv --events $ex -q --jobs 1" \
  -n "batch --jobs 2" "$evmap batch $work/out-jobs-50.csv --events $ex -q --jobs 2" \
  --export-json "$work/h.json" | grep -vE '^\s*$'
echo
echo "== maps per second (50 / mean seconds)"
python3 - "$work/h.json" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"  {r['command']:<28} {50 / r['mean']:6.1f} maps/s  "
          f"({r['mean']:.2f} s ± {r['stddev']:.2f})")
EOF

echo
echo "== peak RSS (/usr/bin/time -v)"
for n in 50 500; do
  for j in 1 2; do
    /usr/bin/time -v "$evmap" batch "$work/out-jobs-$n.csv" --events "$ex" \
      -q --jobs "$j" 2>"$work/time.log"
    rss=$(awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}' "$work/time.log")
    el=$(awk '/Elapsed/ {print $NF}' "$work/time.log")
    printf "  batch %3d maps --jobs %d: %7d kB peak RSS, %s elapsed\n" \
      "$n" "$j" "$rss" "$el"
  done
done
/usr/bin/time -v "$evmap" render "$ex" -o "$work/one.png" 2>"$work/time.log"
printf "  one render:                %7d kB peak RSS\n" \
  "$(awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}' "$work/time.log")"
