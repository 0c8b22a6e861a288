#!/usr/bin/env bash
# What evmap prints never carries a file's control characters raw: label
# warnings, info, dist and routes tables and error messages show ESC, BEL,
# C1 controls and line breaks escaped (evm_text_escape), with the tables
# still aligned.
. "$(dirname "$0")/lib.sh"

no_raw_controls() { # FILE WHAT
  if LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"; then
    fail "$2: a raw control character reached the output"; od -c "$1" | head >&2
  else pass; fi
}

python3 - "$TMP/esc.csv" <<'PY'
import sys
with open(sys.argv[1], 'w', encoding='utf-8') as f:
    f.write('name,lat,lon,kind\n')
    for i in range(30):
        f.write(f'"Ev\x1b]0;pwned\x07\x1b[31m{i}\u009b2J long name",{37 + i * 0.01},{127 + i * 0.01},"k\x1b[2J"\n')
PY
# Labels that do not fit a small map are reported (one by one with
# --verbose); the report is escaped.
"$EVMAP" render "$TMP/esc.csv" -o "$TMP/esc.png" --size 300x200 --verbose 2>"$TMP/stderr"
grep -q 'omitted' "$TMP/stderr" && pass || fail "no label omitted on a crowded small map"
no_raw_controls "$TMP/stderr" "label warnings"
expect_stderr 'label "Ev\x1b]0;pwned\x07\x1b[31m0\u009b2J long name" omitted'

expect_exit 0 "info" -- "$EVMAP" info "$TMP/esc.csv"
no_raw_controls "$TMP/stdout" "info"
expect_stdout 'k\x1b[2J'

# Names within the table's 40 columns, of two lengths.
python3 - "$TMP/short.csv" <<'PY'
import sys
with open(sys.argv[1], 'w', encoding='utf-8') as f:
    f.write('name,lat,lon\n')
    for i in range(12):
        f.write(f'"E\x1b[31m{i}\u009b",{37 + i * 0.01},{127 + i * 0.01}\n')
PY
expect_exit 0 "dist table" -- "$EVMAP" dist "$TMP/short.csv" --from 37.5,127 --format table
no_raw_controls "$TMP/stdout" "dist table"
expect_stdout 'E\x1b[31m11\u009b'
# Aligned: every data row has the distance column end at the same place.
awk 'NR > 1 { print length($0) }' "$TMP/stdout" | sort -u | wc -l | grep -qx 1 \
  && pass || fail "dist table rows are not aligned"

printf 'route,from,to,mode\n"R\x1b[5m","37.5,127","38,128",road\n' >"$TMP/routes.csv"
expect_exit 0 "routes table" -- "$EVMAP" routes "$TMP/routes.csv" --format table
no_raw_controls "$TMP/stdout" "routes table"
expect_stdout 'R\x1b[5m'

# Error messages: a bad cell and a file name with an escape in it.
printf 'name,lat,lon\nA,"3\x1b[31m7",127\n' >"$TMP/bad.csv"
expect_exit 1 "bad cell" -- "$EVMAP" render "$TMP/bad.csv" -o "$TMP/x.png"
no_raw_controls "$TMP/stderr" "error for a bad cell"
expect_stderr '3\x1b[31m7'
cp "$TMP/bad.csv" "$TMP/$(printf 'n\x1b[1mame.csv')"
expect_exit 1 "escape in a file name" -- "$EVMAP" render "$TMP/$(printf 'n\x1b[1mame.csv')" -o "$TMP/x.png"
no_raw_controls "$TMP/stderr" "error naming a file"
expect_stderr 'n\x1b[1mame.csv'
expect_exit 2 "escape in an option" -- "$EVMAP" render "$TMP/bad.csv" -o "$TMP/x.png" --delimiter "$(printf '\x1b')"
no_raw_controls "$TMP/stderr" "usage error"
finish
