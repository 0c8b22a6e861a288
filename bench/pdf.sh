#!/usr/bin/env bash
# PDF benchmark: the native PDF writer against cairo's PDF surface
# (--pdf-engine cairo), for the example map (Latin labels) and the Korean
# peninsula example (Hangul labels, a CJK font subset). Reports the
# whole-process median (hyperfine), the time of painting and writing
# alone (median of 21 runs of `--timings`, "paint and write") and the
# file size.
#
#   bench/pdf.sh [path/to/evmap]
set -euo pipefail
cd "$(dirname "$0")/.."
evmap=${1:-build/evmap}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if ! command -v hyperfine >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq hyperfine >/dev/null
fi

# The median of "paint and write" over 21 runs, ms.
writer_ms() { # csv pdf engine
  for _ in $(seq 21); do
    "$evmap" render "$1" -o "$2" --pdf-engine "$3" --timings 2>&1 >/dev/null |
      awk '/paint and write/ { print $4 }'
  done | sort -n | awk '{ v[NR] = $1 } END { print v[(NR + 1) / 2] }'
}

for ex in korea-russia-2023 korea-peninsula; do
  csv=examples/$ex/events.csv
  echo "== $ex"
  hyperfine --warmup 3 --runs 30 -N --export-json "$out/$ex.json" \
    "$evmap render $csv -o $out/native.pdf --pdf-engine native" \
    "$evmap render $csv -o $out/cairo.pdf --pdf-engine cairo" >/dev/null
  python3 - "$out/$ex.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    engine = r["command"].split()[-1]
    print(f"  {engine:7} whole process: median {r['median'] * 1e3:6.1f} ms, "
          f"min {r['min'] * 1e3:6.1f} ms, mean {r['mean'] * 1e3:6.1f} "
          f"± {r['stddev'] * 1e3:.1f} ms")
PY
  for engine in native cairo; do
    ms=$(writer_ms "$csv" "$out/$engine.pdf" "$engine")
    printf '  %-7s paint and write: median %6.1f ms, file %7d bytes\n' \
      "$engine" "$ms" "$(stat -c %s "$out/$engine.pdf")"
  done
done
