#!/usr/bin/env bash
# --preset: each preset draws the page size, dpi and type scale
# docs/cli.md gives it; --size and --dpi given alongside win over the
# preset in either order; an unknown preset is refused.
source "$(dirname "$0")/lib.sh"
events="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"

# svg_size FILE: "WxH" from the root element's width and height.
svg_size() {
  grep -o '<svg [^>]*>' "$1" | head -1 |
    sed -n 's/.* width="\([0-9.]*\)px" height="\([0-9.]*\)px".*/\1x\2/p'
}
# title_px FILE: the title's font size in px, from its class's rule.
title_px() {
  local c
  c=$(grep -o 'class="title [^"]*"' "$1" | head -1 | grep -o 'evm-s[0-9]*')
  grep -o "\.$c{[^}]*}" "$1" | head -1 | sed -n 's/.*font-size:\([0-9.]*\)px.*/\1/p'
}
expect_eq() { # WHAT GOT WANT
  if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', expected '$3'"; fi
}
render() { "$EVMAP" render "$events" --title T --quiet "$@" 2>"$TMP/stderr"; }

for p in web:1600x1000 column:800x600 print:2400x1600 social:1200x675; do
  name=${p%%:*} want=${p#*:}
  render --preset "$name" -o "$TMP/$name.svg" || fail "preset $name failed"
  expect_eq "preset $name page" "$(svg_size "$TMP/$name.svg")" "$want"
done

# Explicit size wins, before or after the preset.
render --preset social --size 900x500 -o "$TMP/a.svg"
expect_eq "size after preset" "$(svg_size "$TMP/a.svg")" 900x500
render --size 900x500 --preset social -o "$TMP/b.svg"
expect_eq "size before preset" "$(svg_size "$TMP/b.svg")" 900x500
cmp -s "$TMP/a.svg" "$TMP/b.svg" && pass || fail "option order changed the map"

# Type scale: the 15 pt title is 20 px at 96 dpi; column draws it 1.3x
# (26 px), social 1.4x (28 px), also when --size overrides the page.
render --size 800x600 -o "$TMP/plain.svg"
expect_eq "plain title px" "$(title_px "$TMP/plain.svg")" 20
expect_eq "column title px" "$(title_px "$TMP/column.svg")" 26
expect_eq "social title px" "$(title_px "$TMP/a.svg")" 28
# print: 300 dpi, so 15 pt is 62.5 px; an explicit --dpi wins.
expect_eq "print title px" "$(title_px "$TMP/print.svg")" 62.5
render --dpi 150 --preset print -o "$TMP/p150.svg"
expect_eq "dpi before preset" "$(title_px "$TMP/p150.svg")" 31.25
expect_eq "dpi keeps preset page" "$(svg_size "$TMP/p150.svg")" 2400x1600

# The PNG records the preset's dpi (pHYs, pixels per metre).
render --preset print -o "$TMP/print.png"
ppm=$(python3 -c "
import struct,sys
d=open(sys.argv[1],'rb').read(); i=d.find(b'pHYs')
print(struct.unpack('>I', d[i+4:i+8])[0])" "$TMP/print.png")
expect_eq "print PNG dpi" "$ppm" 11811

expect_exit 2 "unknown preset" -- "$EVMAP" render "$events" --preset poster \
  -o "$TMP/x.svg"
expect_stderr "expected web, column, print or social"
expect_no_file "$TMP/x.svg"

finish
