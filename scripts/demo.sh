#!/usr/bin/env bash
# Renders the bundled examples into an output folder: `make demo`.
set -euo pipefail
evmap=${1:-build/evmap}
out=${2:-out}
mkdir -p "$out"
for fmt in png svg pdf; do
  "$evmap" render examples/korea-russia-2023/events.csv \
    --title "North Korea and Russia, September–October 2023" \
    -o "$out/korea-russia-2023.$fmt"
  "$evmap" render examples/korea-peninsula/events.csv \
    --title "The Korean peninsula, October 2023" \
    -o "$out/korea-peninsula.$fmt"
done
echo "evmap: maps written to $out/:"
ls -1 "$out"
