#!/usr/bin/env bash
# evmap render --geojson: the lines a map draws and its events as
# GeoJSON, parsed back
# with Python's json module; the split at the antimeridian against
# GeographicLib's figure (tests/data/geojson/antimeridian-crossings.txt);
# stdout; failures and what they leave behind.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"
ref="$EVM_SOURCE_DIR/tests/data/geojson/antimeridian-crossings.txt"
umask 022

# check_geojson FILE PYTHON: parses FILE as JSON (NaN refused), checks
# what every export must hold, then runs PYTHON with `d` the document.
check_geojson() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
def no_constant(name):
    raise ValueError("not JSON: " + name)
with open(sys.argv[1], encoding="utf-8") as f:
    d = json.load(f, parse_constant=no_constant)
assert d["type"] == "FeatureCollection", d.get("type")
# The lines, then the events (Points).
kinds = [f["geometry"]["type"] == "Point" for f in d["features"]]
assert kinds == sorted(kinds), "an event before a line"
lines = [f for f in d["features"] if f["geometry"]["type"] != "Point"]
events = [f for f in d["features"] if f["geometry"]["type"] == "Point"]
for f in events:
    assert f["type"] == "Feature", f
    assert f.get("id", "event-").startswith("event-"), f["id"]
    lon, lat = f["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90, (lon, lat)
    assert all(isinstance(v, str) for v in f["properties"].values())
# check_events CSV_PATH: the events are the CSV's rows, in order, with
# every cell under its header's name and the position of its lat/lon.
def check_events(path, keep=lambda row: True):
    import csv
    with open(path, encoding="utf-8", newline="") as c:
        rows = [r for r in csv.DictReader(c) if keep(r)]
    assert len(events) == len(rows), (len(events), len(rows))
    for f, r in zip(events, rows):
        assert list(f["properties"].items()) == list(r.items()), (f, r)
        lon, lat = f["geometry"]["coordinates"]
        assert abs(lat - float(r["lat"])) < 1e-9, (lat, r)
        assert abs(lon - float(r["lon"])) < 1e-9, (lon, r)
    assert len(set(f["id"] for f in events)) == len(events), "ids repeat"
for f in lines:
    assert f["type"] == "Feature" and isinstance(f["id"], str)
    assert isinstance(f["properties"]["kind"], str)
    g = f["geometry"]
    parts = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
    assert g["type"] == ("MultiLineString" if len(parts) > 1 else "LineString")
    for part in parts:
        assert len(part) >= 2
        for lon, lat in part:
            assert -180 <= lon <= 180 and -90 <= lat <= 90, (lon, lat)
    for a, b in zip(parts, parts[1:]):
        assert abs(a[-1][0]) == 180 and b[0][0] == -a[-1][0], (a[-1], b[0])
        assert a[-1][1] == b[0][1]
exec(sys.argv[2])
EOF
}

# Two distance lines and a border distance, beside an SVG map.
expect_exit 0 "render --geojson" -- "$EVMAP" render "$ex" -o "$TMP/map.svg" \
  --distance "Moscow:Vostochny Cosmodrome" \
  --distance "Seoul:Cheongju International Airport" \
  --border-distance "Tikhoretsk ammunition depot:UKR" \
  --geojson "$TMP/lines.geojson"
[ -s "$TMP/map.svg" ] && pass || fail "no map beside the GeoJSON"
[ "$(stat -c %a "$TMP/lines.geojson")" = 644 ] && pass || fail "mode $(stat -c %a "$TMP/lines.geojson")"
# The SVG's data-distance-km of each line, to compare with the export.
svg_km=$(grep -o 'id="[a-z-]*-0" [^>]*data-distance-km="[0-9.]*"' "$TMP/map.svg" |
  sed 's/id="\([a-z0-9-]*\)".*data-distance-km="\([0-9.]*\)"/\1=\2/' | tr '\n' ' ')
check_geojson "$TMP/lines.geojson" "
f = lines
assert [x['id'] for x in f] == ['distance-0', 'distance-1', 'border-distance-0'], [x['id'] for x in f]
assert [x['properties']['kind'] for x in f] == ['distance', 'distance', 'border-distance']
p = f[0]['properties']
assert list(p) == ['kind', 'from', 'to', 'label', 'distance_km'], list(p)
# GeodSolve -i: Moscow to Vostochny is 5550890.5174384676 m (test_dist.sh).
assert abs(p['distance_km'] - 5550.8905174384676) < 1e-6, p['distance_km']
assert p['label'] == '5,551 km', p['label']
q = f[2]['properties']
assert list(q) == ['kind', 'country', 'label', 'distance_km'], list(q)
assert q['country'] == 'Ukraine' and q['label'].endswith(' to Ukraine'), q
svg = dict(kv.split('=') for kv in '$svg_km'.split())
for x in f:
    if x['id'] in svg:
        assert abs(float(svg[x['id']]) - x['properties']['distance_km']) < 1e-9, x['id']
assert 'distance-0' in svg and 'border-distance-0' in svg, svg
check_events('$ex')
# Each event's id is the id of its marker in the SVG.
import re
svg_ids = set(re.findall(r'id=.(event-[a-z0-9-]+)', open('$TMP/map.svg').read()))
assert set(x['id'] for x in events) <= svg_ids, set(x['id'] for x in events) - svg_ids
" && pass || fail "GeoJSON content"

# Across the antimeridian: two parts meeting at GeographicLib's latitude.
want=$(awk '$1 == "53.0167" && $2 == "158.65" { print $5 }' "$ref")
[ -n "$want" ] && pass || fail "reference row missing"
expect_exit 0 "crossing" -- "$EVMAP" render "$ex" -o "$TMP/c.svg" \
  --distance "53.0167,158.65:61.2181,-149.9003" --geojson "$TMP/c.geojson"
check_geojson "$TMP/c.geojson" "
g = d['features'][0]['geometry']
assert g['type'] == 'MultiLineString' and len(g['coordinates']) == 2, g['type']
end = g['coordinates'][0][-1]
assert end[0] == 180 and abs(end[1] - $want) <= 1e-7, (end, $want)
assert g['coordinates'][0][0] == [158.65, 53.0167]
assert g['coordinates'][1][-1] == [-149.9003, 61.2181]
" && pass || fail "antimeridian split"

# No lines: the events alone. To stdout with '-'.
expect_exit 0 "no lines" -- "$EVMAP" render "$ex" -o "$TMP/e.png" --geojson -
cp "$TMP/stdout" "$TMP/e.geojson"
check_geojson "$TMP/e.geojson" "assert lines == []; check_events('$ex')" &&
  pass || fail "events without lines"
# Events outside a chosen extent are not drawn but still exported; the
# filter's rows are not on the map and not in the export.
expect_exit 0 "extent" -- "$EVMAP" render "$ex" -o "$TMP/x.svg" \
  --extent 124,37,131,43 --geojson "$TMP/x.geojson"
check_geojson "$TMP/x.geojson" "check_events('$ex')" && pass ||
  fail "events outside the extent left out"
expect_exit 0 "filtered" -- "$EVMAP" render "$ex" -o "$TMP/w.svg" \
  --where kind=capital --geojson "$TMP/w.geojson"
check_geojson "$TMP/w.geojson" "check_events('$ex', lambda r: r['kind'] == 'capital')" &&
  pass || fail "filtered events"
# A clustered map: every event is still exported with its cells, those
# inside a bubble naming it ("evmap:cluster", the bubble's SVG id).
python3 -c "
import random
random.seed(3)
print('name,lat,lon,kind')
for i in range(2000):
    print('p%d,%.5f,%.5f,%s' % (i, random.gauss(37.5, 0.3), random.gauss(127, 0.3), random.choice('abc')))
" >"$TMP/dense.csv"
expect_exit 0 "clustered" -- "$EVMAP" render "$TMP/dense.csv" -o "$TMP/dense.svg" \
  --cluster on --geojson "$TMP/dense.geojson"
check_geojson "$TMP/dense.geojson" "
import csv, re
rows = list(csv.DictReader(open('$TMP/dense.csv')))
assert len(events) == 2000 == len(rows), len(events)
for f, r in zip(events, rows):
    p = dict(f['properties'])
    p.pop('evmap:cluster', None)
    assert p == r, (p, r)
bubbles = set(re.findall(r'id=.(cluster-[0-9]+).', open('$TMP/dense.svg').read()))
named = [f['properties']['evmap:cluster'] for f in events if 'evmap:cluster' in f['properties']]
assert bubbles and set(named) == bubbles, (len(bubbles), len(set(named)))
assert len(named) >= 1000, len(named)
" && pass || fail "clustered export"

# A header-only input (with an extent, which draws an empty map): an
# empty collection.
head -1 "$ex" >"$TMP/none.csv"
expect_exit 0 "empty" -- "$EVMAP" render "$TMP/none.csv" -o "$TMP/none.png" \
  --extent 124,37,131,43 --geojson "$TMP/none.geojson"
check_geojson "$TMP/none.geojson" "assert d['features'] == []" && pass ||
  fail "empty collection"
expect_exit 2 "both on stdout" -- "$EVMAP" render "$ex" -o - --format svg --geojson -
expect_stderr "stdout"
expect_exit 2 "no value" -- "$EVMAP" render "$ex" -o "$TMP/n.png" --geojson

# A GeoJSON that cannot be written: exit 3, the map (written first)
# stays, and no temporary file is left.
mkdir "$TMP/fail" "$TMP/fail/in-the-way.geojson"
expect_exit 3 "no such directory" -- "$EVMAP" render "$ex" -o "$TMP/fail/m.svg" \
  --distance "Moscow:Seoul" --geojson "$TMP/fail/none/x.geojson"
expect_stderr "$TMP/fail/none/x.geojson"
[ -s "$TMP/fail/m.svg" ] && pass || fail "the map should stay"
expect_exit 3 "directory in the way" -- "$EVMAP" render "$ex" -o "$TMP/fail/m2.svg" \
  --distance "Moscow:Seoul" --geojson "$TMP/fail/in-the-way.geojson"
expect_stderr "cannot replace"
[ "$(ls -A "$TMP/fail" | sort | tr '\n' ' ')" = "in-the-way.geojson m.svg m2.svg " ] && pass ||
  fail "left behind: $(ls -A "$TMP/fail")"

finish
