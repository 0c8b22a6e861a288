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
# Labels that do not fit a small map are summed up in one line, and
# reported one by one with --verbose; the report is escaped.
"$EVMAP" render "$TMP/esc.csv" -o "$TMP/esc.png" --size 300x200 --no-clusters 2>"$TMP/stderr"
grep -q 'labels omitted for lack of room; --verbose lists them' "$TMP/stderr" && pass || fail "no summary of labels not drawn"
[ "$(grep -c 'not drawn' "$TMP/stderr")" -le 1 ] && pass || fail "labels listed without --verbose"
"$EVMAP" render "$TMP/esc.csv" -o "$TMP/esc.png" --size 300x200 --no-clusters --verbose 2>"$TMP/stderr"
grep -q 'not drawn' "$TMP/stderr" && pass || fail "no label reported on a crowded small map"
no_raw_controls "$TMP/stderr" "label warnings"
expect_stderr 'label "Ev\x1b]0;pwned\x07\x1b[31m0\u009b2J long name" not drawn'

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
# Events the map cannot show are reported, counted, and fail --strict.
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"
printf 'name,lat,lon\nNorth,90,0\nA,37,127\nSouth,-90,10\n' >"$TMP/pole.csv"
expect_exit 0 "poles in Mercator" -- "$EVMAP" render "$TMP/pole.csv" -o "$TMP/p.png" --proj EPSG:3857
expect_stderr 'pole.csv:2: warning: event "North" not drawn: cannot be projected'
expect_stderr 'pole.csv:4: warning: event "South" not drawn'
expect_stderr 'warning: 2 events or labels not drawn'
expect_exit 1 "poles in Mercator, --strict" -- "$EVMAP" render "$TMP/pole.csv" -o "$TMP/ps.png" --proj EPSG:3857 --strict
expect_stderr "2 events or labels not drawn; nothing written (--strict)"
expect_no_file "$TMP/ps.png"
expect_exit 0 "the far side of a globe" -- "$EVMAP" render "$ex" -o "$TMP/o.png" --proj "+proj=ortho +lon_0=-60 +lat_0=0"
expect_stderr 'warning: event "Vladivostok" not drawn: cannot be projected'
expect_exit 0 "a chosen extent" -- "$EVMAP" render "$ex" -o "$TMP/e.png" --extent 125,35,130,40 --strict
expect_stderr "events outside the extent not shown"
# A distance line or route leg with no part on the map is named and
# counted, and fails --strict like an event.
expect_exit 0 "a line off the map" -- "$EVMAP" render "$ex" -o "$TMP/l.png" --extent 125,35,130,40 --distance "Moscow:Tikhoretsk ammunition depot"
expect_stderr 'warning: line "Moscow–Tikhoretsk ammunition depot 1,115 km" not drawn: no part of it is on the map'
expect_stderr 'warning: 1 distance line or route leg not drawn'
expect_exit 1 "a line off the map, --strict" -- "$EVMAP" render "$ex" -o "$TMP/ls.png" --extent 125,35,130,40 --distance "Moscow:Tikhoretsk ammunition depot" --strict
expect_no_file "$TMP/ls.png"
# A batch counts them in its summary; --strict makes that exit 1.
printf 'output,proj\nm.png,EPSG:3857\n' >"$TMP/jobs.csv"
expect_exit 1 "batch --strict" -- "$EVMAP" batch "$TMP/jobs.csv" --events "$TMP/pole.csv" --out-dir "$TMP/bj" --strict --size 320x200
expect_stderr "1 map written, 0 up to date, 0 failed, 2 events or labels not drawn"
[ -s "$TMP/bj/m.png" ] && pass || fail "batch --strict should still write its maps"

# No usable font: an error naming the fonts, not a map without text.
printf '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n' >"$TMP/fonts.conf"
expect_exit 1 "no font" -- env FONTCONFIG_FILE="$TMP/fonts.conf" "$EVMAP" render "$ex" -o "$TMP/nf.png"
expect_stderr 'no usable font: none of "Noto Sans,DejaVu Sans,sans-serif" is installed'
expect_no_file "$TMP/nf.png"
expect_exit 4 "no font in a batch" -- env FONTCONFIG_FILE="$TMP/fonts.conf" "$EVMAP" batch "$TMP/jobs.csv" --events "$ex" --out-dir "$TMP/nfb" --quiet
expect_stderr 'no usable font'
finish
