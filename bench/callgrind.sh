#!/usr/bin/env bash
# Where the instructions of one `evmap render` go, thread by thread:
# valgrind's callgrind counts instructions, which do not depend on what
# else the machine is doing, unlike timings. Prints each thread's total
# and the inclusive counts of the steps docs/performance.md tabulates.
#
#   bench/callgrind.sh [path/to/evmap] [png|pdf|svg]
set -euo pipefail
cd "$(dirname "$0")/.."
evmap=${1:-build/evmap}
fmt=${2:-png}
ex=examples/korea-russia-2023/events.csv
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if ! command -v valgrind >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq valgrind >/dev/null
fi

valgrind --tool=callgrind --separate-threads=yes \
  --callgrind-out-file="$out/cg.out" \
  "$evmap" render "$ex" -o "$out/map.$fmt" 2>&1 | grep -E 'Collected'

# Thread numbers are valgrind's: 1 is the main thread; a number is reused
# once its thread has ended, so one file may hold several threads' work.
steps='_dl_start |FcInit |FcFontSetSort |evm_map_layout |evm_layout_title |evm_layout_basemap |land_part_run |evm_render_to_file_with |run_band |evm_paint_scene_shared |compress_rows |libdeflate_zlib_compress '
for f in "$out"/cg.out-*; do
  echo "== thread ${f##*-}"
  callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
    grep -E "PROGRAM TOTALS|($steps)\[" | grep -v '^ *[0-9,]* *([^)]*) *=>' |
    sed -E 's/ \[[^]]*\]$//; s/^/  /' | sort -u -t: -k2,2 | sort -rn -t, -k1,1
done
