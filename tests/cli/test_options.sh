#!/usr/bin/env bash
# One definition of every option: render and batch read map and output
# options through the same library setters, so a value means the same on
# the command line and in a jobs-file cell; the help comes from the same
# table as the parser.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-peninsula/events.csv"

# A value the command line refuses is refused in a cell too, with the
# same words; one accepted is accepted in both.
check_both() { # check_both KEY VALUE EXIT(render) MESSAGE
  local key=$1 value=$2 want=$3 msg=$4
  expect_exit "$want" "render --$key $value" -- "$EVMAP" render "$ex" \
    "--$key=$value" -o "$TMP/r.svg"
  [ -n "$msg" ] && expect_stderr "$msg"
  printf 'output,%s\n%s,"%s"\n' "$key" "$TMP/b.svg" "$value" >"$TMP/jobs.csv"
  local bwant=0
  [ "$want" -ne 0 ] && bwant=4
  expect_exit "$bwant" "batch cell $key=$value" -- "$EVMAP" batch \
    "$TMP/jobs.csv" --events "$ex" --quiet
  [ -n "$msg" ] && expect_stderr "$msg"
  # ... and as batch's own default.
  expect_exit "$( [ "$want" -ne 0 ] && echo 2 || echo 0)" \
    "batch --$key $value" -- "$EVMAP" batch "$TMP/jobs0.csv" --events "$ex" \
    "--$key=$value" --quiet
  [ -n "$msg" ] && expect_stderr "$msg"
}
printf 'output\n%s\n' "$TMP/b0.svg" >"$TMP/jobs0.csv"

# The two drifts of issue 16: hex extents and fractional sizes.
check_both extent 0x78,30,135,45 2 'extent "0x78,30,135,45" is not valid'
check_both extent 120,30,135,45 0 ''
check_both size 800.0x600 2 'size "800.0x600" is not valid: expected WxH'
check_both size 8e2x600 2 'size "8e2x600" is not valid'
check_both size 800x600 0 ''
check_both dpi 0x60 2 'dpi "0x60" is not valid'
check_both precision 0x1 2 'precision "0x1" is not valid'
check_both precision 0.5 0 ''
check_both units m 0 ''
check_both units furlong 2 'units "furlong" is not valid: expected km, mi, nmi or m'

# One row filter: info, render and a batch cell keep the same rows
# (issue 16: info kept none of "kind= capital", a batch job four).
kr="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"
expect_exit 0 "info --where" -- "$EVMAP" info "$kr" --where "kind= capital"
expect_stdout "events:        4"
expect_stdout "rows filtered: "
expect_exit 0 "render --where" -- "$EVMAP" render "$kr" --where "kind= capital" \
  --title T -o "$TMP/where-render.svg"
printf 'output,where,title\n%s,kind= capital,T\n' "$TMP/where-batch.svg" \
  >"$TMP/where.csv"
expect_exit 0 "batch where cell" -- "$EVMAP" batch "$TMP/where.csv" \
  --events "$kr" --quiet
cmp -s "$TMP/where-render.svg" "$TMP/where-batch.svg" && pass ||
  fail "render --where and a batch where cell draw different maps"
[ "$(grep -o 'class="event ' "$TMP/where-batch.svg" | wc -l)" -eq 4 ] && pass ||
  fail "the batch map does not show the 4 capitals"

# The help lists what the parser takes.
"$EVMAP" render --help >"$TMP/help.txt"
tr -s ' \n' ' ' <"$TMP/help.txt" | grep -q 'km, m, mi or nmi' && pass || fail "render --help lacks unit m"
for cmd in render batch dist routes info help; do
  expect_exit 0 "$cmd --help" -- "$EVMAP" "$cmd" --help
  expect_stdout "usage: evmap $cmd"
done
expect_exit 2 "unknown option" -- "$EVMAP" render "$ex" --no-such-thing
expect_stderr "unknown option '--no-such-thing'"
expect_exit 2 "flag with a value" -- "$EVMAP" render "$ex" --no-legend=yes \
  -o "$TMP/x.svg"
expect_stderr "option --no-legend takes no value"
expect_exit 2 "given twice" -- "$EVMAP" render "$ex" --size 800x600 \
  --size 900x600 -o "$TMP/x.svg"
expect_stderr "--size given twice"
finish
