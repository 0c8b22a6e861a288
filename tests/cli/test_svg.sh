#!/usr/bin/env bash
# evmap render to SVG: the native writer by default, its options, and
# cairo's engine on request.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"

expect_exit 0 "native svg" -- "$EVMAP" render "$ex" -o "$TMP/n.svg"
grep -q '<text id="label-pyongyang"' "$TMP/n.svg" && pass || fail "no label text"
grep -q 'inkscape:groupmode="layer"' "$TMP/n.svg" && pass || fail "no layers"
if command -v xmllint >/dev/null; then
  xmllint --noout "$TMP/n.svg" && pass || fail "native SVG is not well-formed"
fi

expect_exit 0 "cairo svg" -- "$EVMAP" render "$ex" -o "$TMP/c.svg" --svg-engine cairo
grep -q '<text' "$TMP/c.svg" && fail "cairo SVG has <text>" || pass
grep -q '<symbol\|<use\|glyph' "$TMP/c.svg" && pass || fail "cairo SVG has no glyphs"

printf '.event { fill: #000 }\n' >"$TMP/user.css"
expect_exit 0 "--css" -- "$EVMAP" render "$ex" -o "$TMP/css.svg" --css "$TMP/user.css"
grep -qF '.event { fill: #000 }' "$TMP/css.svg" && pass || fail "--css not in the sheet"

expect_exit 0 "--precision 1" -- "$EVMAP" render "$ex" -o "$TMP/p1.svg" --precision 1
[ "$(stat -c %s "$TMP/p1.svg")" -lt "$(stat -c %s "$TMP/n.svg")" ] && pass || fail "--precision 1 is not smaller"

# Route legs: one path per leg with its classes and data, in the routes
# layer, and arrowheads that say which leg they belong to.
rt="$EVM_SOURCE_DIR/examples/korea-russia-2023/routes.csv"
expect_exit 0 "routes svg" -- "$EVMAP" render "$ex" --routes "$rt" \
  -o "$TMP/routes.svg"
python3 - "$TMP/routes.svg" <<'EOF' && pass || fail "route elements"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
layer = [g for g in root.iter("{http://www.w3.org/2000/svg}g")
         if "layer-routes" in (g.get("class") or "").split()]
assert len(layer) == 1, "one routes layer"
def having(cls):
    return [p for p in layer[0].iter() if cls in (p.get("class") or "").split()]
legs = having("route-leg")
assert [p.get("id") for p in legs] == ["route-0-leg-1", "route-0-leg-2"], legs
assert [p.get("data-mode") for p in legs] == ["sea", "rail"]
assert legs[0].get("class").split()[:2] == ["route-leg", "route-sea"]
assert legs[1].get("data-from") == "Dunai port"
assert abs(float(legs[1].get("data-distance-km")) - 7588.876234) < 1e-6
arrows = having("route-arrow")
assert len(arrows) >= 3 and all(a.get("data-leg") in ("1", "2") for a in arrows)
EOF
expect_exit 2 "bad engine" -- "$EVMAP" render "$ex" -o "$TMP/x.svg" --svg-engine skia
expect_stderr '--svg-engine "skia" is not valid: expected native or cairo'
expect_exit 2 "bad precision" -- "$EVMAP" render "$ex" -o "$TMP/x.svg" --precision 0
expect_exit 2 "missing css" -- "$EVMAP" render "$ex" -o "$TMP/x.svg" --css "$TMP/none.css"
expect_stderr "cannot read --css"
expect_no_file "$TMP/x.svg"
finish
