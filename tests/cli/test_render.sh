#!/usr/bin/env bash
# evmap render: the example in every format, read back.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"

expect_exit 0 "render png" -- "$EVMAP" render "$ex" -o "$TMP/map.png"
[ "$(head -c 8 "$TMP/map.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && pass || fail "not a PNG"
# No --size: the page keeps 1600x1000's area and takes the data's shape,
# here 2:1 landscape.
size=$(png_size "$TMP/map.png")
w=${size%x*} h=${size#*x}
[ $((w * h)) -ge 1590000 ] && [ $((w * h)) -le 1610000 ] && [ $((w)) -ge $((2 * h - 2)) ] && pass || fail "PNG size $size"
expect_exit 0 "render png --size" -- "$EVMAP" render "$ex" --size 1600x1000 -o "$TMP/map2.png"
[ "$(png_size "$TMP/map2.png")" = 1600x1000 ] && pass || fail "PNG size $(png_size "$TMP/map2.png")"

expect_exit 0 "render png --size" -- "$EVMAP" render "$ex" -o "$TMP/small.png" --size 800x500
[ "$(png_size "$TMP/small.png")" = 800x500 ] && pass || fail "--size ignored"

expect_exit 0 "render svg" -- "$EVMAP" render "$ex" -o "$TMP/map.svg"
if command -v xmllint >/dev/null; then
  xmllint --noout "$TMP/map.svg" && pass || fail "SVG is not well-formed"
fi

expect_exit 0 "render pdf" -- "$EVMAP" render "$ex" -o "$TMP/map.pdf" --title "Korea and Russia"
[ "$(head -c 5 "$TMP/map.pdf")" = "%PDF-" ] && pass || fail "not a PDF"
if command -v pdftotext >/dev/null; then
  pdftotext "$TMP/map.pdf" "$TMP/map.txt"
  for word in "Korea and Russia" Pyongyang "Vostochny Cosmodrome" "Natural Earth" km; do
    grep -qF "$word" "$TMP/map.txt" && pass || fail "PDF text lacks '$word'"
  done
fi

# -o - writes to stdout and needs --format.
"$EVMAP" render "$ex" -o - --format svg >"$TMP/stdout.svg" 2>"$TMP/stderr" && pass || fail "render to stdout"
head -c 200 "$TMP/stdout.svg" | grep -q "<svg" && pass || fail "stdout is not SVG"
expect_exit 2 "-o - without --format" -- "$EVMAP" render "$ex" -o -

# The zoomed example with Korean names renders every label.
expect_exit 0 "peninsula" -- "$EVMAP" render "$EVM_SOURCE_DIR/examples/korea-peninsula/events.csv" -o "$TMP/p.png"
grep -q "omitted" "$TMP/stderr" && fail "labels omitted: $(cat "$TMP/stderr")" || pass

# Options: projection, extent, basemap, units, filters.
expect_exit 0 "proj+extent" -- "$EVMAP" render "$ex" -o "$TMP/m.png" --proj EPSG:3857 --extent 100,30,140,55 --basemap 110m --units mi
expect_exit 0 "where" -- "$EVMAP" render "$ex" -o "$TMP/w.png" --where kind=port
expect_exit 0 "since/until" -- "$EVMAP" render "$ex" -o "$TMP/d.png" --since 2023-09-01 --until 2023-09-30
# --layer: the user's GeoJSON drawn as the SVG layer user-layers; a bad
# file names file:line:column and writes nothing.
lay="$EVM_SOURCE_DIR/tests/data/layers"
expect_exit 0 "layer" -- "$EVMAP" render "$lay/seoul-events.csv" -o "$TMP/layer.svg" \
  --layer "$lay/seoul.geojson" --layer "$lay/han-river.geojson:color=#4a7fb0,width=1.5"
expect_stderr "1 point feature of --layer files not drawn"
grep -q '<g id="user-layers"' "$TMP/layer.svg" && grep -q 'id="layer-2"' "$TMP/layer.svg" &&
  pass || fail "the SVG lacks the user layers"
expect_exit 1 "bad layer" -- "$EVMAP" render "$lay/seoul-events.csv" -o "$TMP/bad-layer.svg" \
  --layer "$lay/bad-coord.geojson"
expect_stderr "bad-coord.geojson:6:5: feature 2"
expect_no_file "$TMP/bad-layer.svg"
expect_exit 2 "bad layer style" -- "$EVMAP" render "$lay/seoul-events.csv" -o "$TMP/bad-layer.svg" \
  --layer "$lay/seoul.geojson:fill=red"
expect_stderr 'fill "red" is not'
expect_exit 0 "help" -- "$EVMAP" render --help
expect_stdout "usage: evmap render"
finish
