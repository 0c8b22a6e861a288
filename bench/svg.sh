#!/usr/bin/env bash
# SVG benchmark: the native SVG writer against cairo's SVG surface
# (--svg-engine cairo), for the example map (10 events) and for 100,000
# generated events. Reports whole-process time (hyperfine), the time of
# painting and writing alone (`--timings`, "paint and write"), peak memory
# (/usr/bin/time -v) and file size.
#
#   bench/svg.sh [path/to/evmap]
set -euo pipefail
cd "$(dirname "$0")/.."
evmap=${1:-build/evmap}
ex=examples/korea-russia-2023/events.csv
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if ! command -v hyperfine >/dev/null || [ ! -x /usr/bin/time ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq hyperfine time >/dev/null
fi

# 100,000 events over Korea, China and the Russian Far East: a fixed
# linear congruential generator, so every run maps the same file.
big=$out/events-100k.csv
awk 'BEGIN {
  print "name,lat,lon,kind,date,notes"
  split("capital summit military port depot city", kinds, " ")
  s = 12345
  for (i = 1; i <= 100000; i++) {
    s = (s * 1103515245 + 12345) % 2147483648; lat = 30 + 25 * s / 2147483648
    s = (s * 1103515245 + 12345) % 2147483648; lon = 110 + 35 * s / 2147483648
    s = (s * 1103515245 + 12345) % 2147483648; k = kinds[1 + int(6 * s / 2147483648)]
    printf "Site %d,%.4f,%.4f,%s,2023-%02d-%02d,\"note <%d> & more\"\n", i, lat, lon, k, 1 + i % 12, 1 + i % 28, i
  }
}' >"$big"

# One run per engine: "paint and write" from --timings (the writer alone,
# after layout), wall time and peak memory of the whole process from
# /usr/bin/time -v, and the file's size plain and gzipped.
sizes() { # name csv
  local name=$1 csv=$2
  echo "== $name: one run each"
  for engine in native cairo; do
    local f=$out/$engine.svg log=$out/time.log t wall mem
    t=$(/usr/bin/time -v -o "$log" "$evmap" render "$csv" -o "$f" \
      --svg-engine "$engine" --timings 2>&1 >/dev/null |
      awk '/paint and write/ {print $4}')
    wall=$(awk -F': ' '/Elapsed/ {print $2}' "$log")
    mem=$(awk -F': ' '/Maximum resident/ {print $2}' "$log")
    printf '  %-7s paint and write %9s ms   whole %8s   file %11s B   gzip %10s B   peak RSS %8s KiB\n' \
      "$engine" "$t" "$wall" "$(stat -c %s "$f")" "$(gzip -c "$f" | wc -c)" "$mem"
  done
  echo
}

echo "== example map (10 events), 1600x1000: whole process (hyperfine)"
hyperfine --warmup 2 --runs 15 -N \
  -n native "$evmap render $ex -o $out/native.svg" \
  -n cairo "$evmap render $ex -o $out/cairo.svg --svg-engine cairo" |
  grep -E 'Benchmark|Time|±|faster' | sed 's/^/  /'
echo
sizes "example map (10 events), 1600x1000" "$ex"
# Layout (label placement for 100,000 events) takes minutes and is the
# same for both engines, so this case is run once per engine and the
# writer is timed by --timings.
sizes "100,000 events, 1600x1000" "$big"
