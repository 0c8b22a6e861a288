#!/usr/bin/env bash
# Bad input: documented messages and exit codes, and never an output file.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"

printf 'name,lat,lon\nA,37.5,127\nB,91.2,127\nC,,127\n' >"$TMP/bad.csv"
expect_exit 1 "invalid rows" -- "$EVMAP" render "$TMP/bad.csv" -o "$TMP/bad.png"
expect_stderr "bad.csv:3:3:"
expect_stderr "bad.csv:4:3:"
expect_no_file "$TMP/bad.png"

expect_exit 0 "--skip-invalid" -- "$EVMAP" render "$TMP/bad.csv" -o "$TMP/skip.png" --skip-invalid
expect_stderr "bad.csv:3:3:"
[ -s "$TMP/skip.png" ] && pass || fail "--skip-invalid wrote nothing"

printf 'name,foo,bar\nA,1,2\n' >"$TMP/nocoords.csv"
expect_exit 1 "no coordinate columns" -- "$EVMAP" render "$TMP/nocoords.csv" -o "$TMP/n.png"
expect_stderr "nocoords.csv:1"
expect_no_file "$TMP/n.png"

expect_exit 1 "missing file" -- "$EVMAP" render "$TMP/nope.csv" -o "$TMP/n.png"
expect_stderr "nope.csv"
expect_exit 2 "unknown option" -- "$EVMAP" render "$ex" -o "$TMP/x.png" --bogus
expect_exit 2 "unknown format" -- "$EVMAP" render "$ex" -o "$TMP/x.gif"
expect_exit 2 "bad extent" -- "$EVMAP" render "$ex" -o "$TMP/x.png" --extent 1,2,3
expect_exit 2 "bad size" -- "$EVMAP" render "$ex" -o "$TMP/x.png" --size 10x10
expect_exit 2 "bad projection" -- "$EVMAP" render "$ex" -o "$TMP/x.png" --proj "+proj=nonsense"
expect_no_file "$TMP/x.png"
expect_exit 2 "unknown command" -- "$EVMAP" frobnicate
expect_exit 3 "unwritable output" -- "$EVMAP" render "$ex" -o "$TMP/no/such/dir/x.png"
expect_no_file "$TMP/no/such/dir/x.png"

# A failed render leaves an existing map untouched and no temporary file.
echo keep >"$TMP/keep.png"
expect_exit 2 "failure keeps old output" -- "$EVMAP" render "$ex" -o "$TMP/keep.png" --proj "+proj=nonsense"
[ "$(cat "$TMP/keep.png")" = keep ] && pass || fail "old output clobbered"
[ -z "$(find "$TMP" -name '.keep.png.*')" ] && pass || fail "temporary file left behind"

# A damaged layer of place or sea names is an error naming the file, not
# a crash (its labels' preparation was ended before it had begun).
for layer in places marine; do
  rm -rf "$TMP/gd" && mkdir "$TMP/gd"
  for f in "$EVM_BUILD_DIR"/geodata/*; do ln -s "$f" "$TMP/gd/"; done
  for f in "$TMP/gd/$layer"-*; do rm "$f" && echo garbage >"$f"; done
  expect_exit 1 "damaged $layer layer" -- "$EVMAP" render "$ex" --geodata "$TMP/gd" -o "$TMP/gd.png"
  expect_stderr "$layer-"
  expect_no_file "$TMP/gd.png"
done

# A GeoNames-style TSV with a stray quote loads; --strict refuses it with
# the RFC 4180 message at the quote.
geo="$EVM_SOURCE_DIR/tests/data/csv/events/geonames.tsv"
expect_exit 0 "stray quote in TSV" -- "$EVMAP" info "$geo"
expect_stdout "events:        2"
expect_exit 1 "--strict" -- "$EVMAP" info "$geo" --strict
expect_stderr "geonames.tsv:2:16: '\"' inside an unquoted field; quote the field and double the '\"'"
finish
