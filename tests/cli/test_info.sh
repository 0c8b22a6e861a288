#!/usr/bin/env bash
# evmap info: the summary of the example and of a file with bad rows.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"

expect_exit 0 "info example" -- "$EVMAP" info "$ex"
expect_stdout "rows read:     10"
expect_stdout "rows rejected: 0"
expect_stdout "capital                  4"
expect_stdout "port                     2"
expect_stdout "bounding box:  W 37.617300, S 36.716600, E 132.355000, N 55.755800"
expect_stdout "dates:         2023-09-01 .. 2023-10-19 (7 of 10 events dated)"
expect_stdout "notes                    (attribute)"

printf 'Title;Latitude;Longitude;Category\nA;37.5;127;x\nB;abc;127;y\n' >"$TMP/semi.csv"
expect_exit 0 "info with a bad row" -- "$EVMAP" info "$TMP/semi.csv"
expect_stdout "rows read:     2"
expect_stdout "rows rejected: 1"
expect_stdout "delimiter:     ;"
expect_stdout "Title                    name"
expect_stderr "semi.csv:3:3:"
finish
