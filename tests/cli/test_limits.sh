#!/usr/bin/env bash
# Size limits (docs/limits.md): every input read whole, the header's
# column count and any single record fail with a message naming the limit
# and the option that raises it; /dev/zero and endless input stop early
# with bounded memory; NUL bytes in route styles are named by position.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"
out="$TMP/m.png"

# Peak memory of a command in MiB (its exit status in $TMP/rc).
peak_mb() {
  python3 - "$TMP/rc" "$@" <<'PY'
import resource, subprocess, sys
p = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL,
                   stderr=open(sys.argv[1] + '.err', 'w'))
open(sys.argv[1], 'w').write(str(p.returncode))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
}
# Sanitizer builds need far more memory for their shadow: skip the bound.
asan=0
ldd "$EVMAP" 2>/dev/null | grep -q 'libasan' && asan=1

bounded() { # LIMIT_MB WHAT CMD...
  local limit=$1 what=$2; shift 2
  local mb
  mb=$(peak_mb "$@")
  cp "$TMP/rc.err" "$TMP/stderr"
  [ "$(cat "$TMP/rc")" -ne 0 ] && pass || fail "$what: exit 0"
  if [ "$asan" -eq 0 ]; then
    [ "$mb" -lt "$limit" ] && pass || fail "$what: peak $mb MiB, limit $limit"
  fi
}

# /dev/zero as each input read whole, and as every CSV input.
bounded 100 "--to-line /dev/zero" "$EVMAP" dist "$ex" --to-line /dev/zero
expect_stderr "/dev/zero:1:1: NUL byte"
bounded 100 "--route-styles /dev/zero" "$EVMAP" render "$ex" -o "$out" --route-styles /dev/zero
expect_stderr "/dev/zero:1:1: NUL byte"
bounded 100 "--css /dev/zero" "$EVMAP" render "$ex" -o "$TMP/m.svg" --css /dev/zero
expect_stderr "larger than 1 MiB, the limit (raise it with --max-input-mb)"
bounded 100 "jobs /dev/zero" "$EVMAP" batch /dev/zero
expect_stderr "/dev/zero:1:1: NUL byte"
bounded 100 "events /dev/zero" "$EVMAP" info /dev/zero
expect_stderr "/dev/zero:1:1: NUL byte"
bounded 100 "--links /dev/zero" "$EVMAP" render "$ex" -o "$out" --links /dev/zero
bounded 100 "--routes /dev/zero" "$EVMAP" render "$ex" -o "$out" --routes /dev/zero
bounded 100 "routes /dev/zero" "$EVMAP" routes /dev/zero
expect_no_file "$out"

# Endless text without NUL: the size limit, named with its option.
bounded 100 "endless route styles" bash -c \
  '"$0" render "$1" -o "$2" --route-styles <(yes "# comment") --max-input-mb 2' \
  "$EVMAP" "$ex" "$out"
expect_stderr "larger than 2 MiB, the limit for this input (raise it with --max-input-mb)"
bounded 100 "endless lines" bash -c \
  '"$0" dist "$1" --to-line <(yes "[1,2],") --max-input-mb 2' "$EVMAP" "$ex"
expect_stderr "larger than 2 MiB"
yes '# c' | head -c 3000000 >"$TMP/styles.txt"
expect_exit 0 "a 3 MB style file under --max-input-mb 4" -- \
  "$EVMAP" render "$ex" -o "$out" --size 320x200 --route-styles "$TMP/styles.txt" --max-input-mb 4
rm -f "$out"
# Batch honours the limit as render does: from the command line and as
# a jobs-file column.
printf 'output,route-styles\n%s,%s\n' "$out" "$TMP/styles.txt" >"$TMP/jobs-limit.csv"
expect_exit 4 "batch: a 3 MB style file over --max-input-mb 2" -- \
  "$EVMAP" batch "$TMP/jobs-limit.csv" --events "$ex" --size 320x200 --max-input-mb 2 --quiet
expect_stderr "larger than 2 MiB, the limit for this input (raise it with --max-input-mb)"
expect_no_file "$out"
printf 'output,route-styles,max-input-mb\n%s,%s,2\n' "$out" "$TMP/styles.txt" >"$TMP/jobs-limit.csv"
expect_exit 4 "batch: max-input-mb as a cell" -- \
  "$EVMAP" batch "$TMP/jobs-limit.csv" --events "$ex" --size 320x200 --quiet
expect_stderr "larger than 2 MiB, the limit for this input"
printf 'output,route-styles\n%s,%s\n' "$out" "$TMP/styles.txt" >"$TMP/jobs-limit.csv"
expect_exit 0 "batch: the same file under --max-input-mb 4" -- \
  "$EVMAP" batch "$TMP/jobs-limit.csv" --events "$ex" --size 320x200 --max-input-mb 4 --quiet
rm -f "$out"

# A header of 10^8 columns (200 MB, streamed): stopped at the limit's
# first excess column with little memory.
bounded 200 "10^8 columns" bash -c \
  '"$0" info <(head -c 200000000 /dev/zero | tr "\0" ",")' "$EVMAP"
expect_stderr ":1:16385: header has more than 16384 columns, the limit (raise it with --max-columns)"
printf 'name,lat,lon,a,b\nA,1,2,3,4\n' >"$TMP/wide.csv"
expect_exit 1 "--max-columns 4" -- "$EVMAP" info "$TMP/wide.csv" --max-columns 4
expect_stderr "wide.csv:1:16: header has more than 4 columns"
expect_exit 0 "--max-columns 5" -- "$EVMAP" info "$TMP/wide.csv" --max-columns 5
expect_exit 2 "--max-columns 0" -- "$EVMAP" info "$TMP/wide.csv" --max-columns 0

# One record: a field and a whole record.
python3 -c "
print('name,lat,lon,note,more')
print('A,1,2,' + 'x' * 700000 + ',' + 'y' * 700000)" >"$TMP/long.csv"
expect_exit 1 "record over --max-record-mb 1" -- "$EVMAP" info "$TMP/long.csv" --max-record-mb 1
expect_stderr "long.csv:2:1: record is longer than 1048576 bytes, the limit (raise it with --max-record-mb)"
expect_exit 1 "field over --max-field-kb 512" -- "$EVMAP" info "$TMP/long.csv" --max-field-kb 512
expect_stderr "long.csv:2:7: field is longer than 524288 bytes, the limit (raise it with --max-field-kb)"
expect_exit 0 "within the defaults" -- "$EVMAP" info "$TMP/long.csv"

# A NUL byte in a route style file is named by line and column.
printf 'all: width=2\nair: co\0lor=#ff0000\n' >"$TMP/nul.txt"
expect_exit 1 "NUL in route styles" -- "$EVMAP" render "$ex" -o "$out" --route-styles "$TMP/nul.txt"
expect_stderr "nul.txt:2:8: NUL byte"
expect_no_file "$out"
finish
