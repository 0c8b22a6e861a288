#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build (make fuzz) for SECONDS
# each, from its corpus (the directory tests/CMakeLists.txt names for it,
# written beside the binary as <binary>.corpus), with leak detection on. Fails on any crash, leak, timeout or sanitizer
# report, keeping the input that caused it in BUILD/fuzz-findings/. Prints
# each target's coverage: edges (libFuzzer's "cov") at the start, from
# the corpus alone, and at the end.
#   scripts/fuzz-run.sh BUILD SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${2:-25}
findings="$build/fuzz-findings"
mkdir -p "$findings"
status=0
printf '%-14s %10s %10s\n' target "edges@0" "edges@end"
for bin in "$build"/tests/fuzz_*_libfuzzer; do
  name=$(basename "$bin" _libfuzzer)
  name=${name#fuzz_}
  work="$build/fuzz-corpus/$name"
  mkdir -p "$work"
  log="$build/fuzz-$name.log"
  corpus=$(cat "$bin.corpus")
  if [ ! -d "$corpus" ]; then
    echo "FAIL: fuzz_$name: corpus directory $corpus does not exist" >&2
    status=1
    continue
  fi
  if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" \
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$findings/$name-" -print_final_stats=1 \
    "$work" "$corpus" >"$log" 2>&1; then
    echo "FAIL: fuzz_$name found a problem (input in $findings):" >&2
    # The log's own words when it has no sanitizer report (a libFuzzer
    # usage error, say).
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -20 >&2 ||
      tail -5 "$log" >&2
    status=1
  fi
  start=$(grep -m1 -oE 'INITED cov: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  end=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || echo 0)
  printf '%-14s %10s %10s\n' "$name" "$start" "$end"
done
exit $status
