#!/usr/bin/env bash
# Reading the files people have: "-" as standard input for every command,
# coordinates that start with '-' as arguments, GeoJSON, KML and GPX
# points found by content, and the messages for inputs with nothing to map.
. "$(dirname "$0")/lib.sh"
geo="$EVM_SOURCE_DIR/tests/data/events_geo"
ex="$EVM_SOURCE_DIR/examples/korea-peninsula/events.csv"

# Standard input: info, dist, render and batch read "-".
printf 'name,lat,lon\nSydney,-33.87,151.21\nQuito,-0.18,-78.47\n' >"$TMP/s.csv"
expect_exit 0 "info -" -- bash -c "\"$EVMAP\" info - <\"$TMP/s.csv\""
expect_stdout "events:        2"
expect_stdout "<stdin>"
expect_exit 0 "dist - with negative places" -- bash -c \
  "\"$EVMAP\" dist - -33.87,151.21 -0.18,-78.47 <\"$TMP/s.csv\""
# The geodesic Sydney-Quito, from the same points given as event names.
expect_exit 0 "dist by name" -- "$EVMAP" dist "$TMP/s.csv" Sydney Quito
want=$(cut -d, -f3 "$TMP/stdout" | tail -1)
bash -c "\"$EVMAP\" dist - -33.87,151.21 -0.18,-78.47 <\"$TMP/s.csv\"" >"$TMP/neg"
got=$(tail -1 "$TMP/neg" | awk -F'"' '{print $5}' | cut -d, -f2)
[ -n "$want" ] && [ "$want" = "$got" ] && pass || fail "negative places: '$got' vs '$want'"
expect_exit 0 "render -" -- bash -c "\"$EVMAP\" render - -o \"$TMP/s.png\" <\"$TMP/s.csv\""
[ -s "$TMP/s.png" ] && pass || fail "render - wrote nothing"
# batch: the events of --events, --each-event and of a jobs cell from
# standard input, read once and shared; the jobs themselves from "-".
mkdir "$TMP/b"
printf 'output,size\nb/one.svg,320x200\nb/two.svg,300x200\n' >"$TMP/jobs.csv"
expect_exit 0 "batch --events -" -- bash -c \
  "cd \"$TMP\" && \"$EVMAP\" batch jobs.csv --events - -q -j 1 <\"$TMP/s.csv\""
grep -c 'class="event' "$TMP/b/one.svg" "$TMP/b/two.svg" | grep -c ':2$' |
  grep -qx 2 && pass || fail "batch --events -: both maps show the 2 events"
printf 'output,events,size\nb/cell.svg,-,320x200\n' >"$TMP/cell.csv"
expect_exit 0 "jobs cell -" -- bash -c \
  "cd \"$TMP\" && \"$EVMAP\" batch cell.csv -q <\"$TMP/s.csv\""
[ -s "$TMP/b/cell.svg" ] && pass || fail "jobs cell - wrote nothing"
expect_exit 0 "batch --each-event -" -- bash -c \
  "cd \"$TMP\" && \"$EVMAP\" batch --each-event - -o 'b/each-{name}.svg' \
  --size 320x200 -q <\"$TMP/s.csv\""
[ -s "$TMP/b/each-Sydney.svg" ] && [ -s "$TMP/b/each-Quito.svg" ] && pass ||
  fail "--each-event - did not write a map per event"
printf 'output,size\nb/stdin-jobs.svg,320x200\n' >"$TMP/jobs-in.csv"
expect_exit 0 "batch - (jobs on stdin)" -- bash -c \
  "cd \"$TMP\" && \"$EVMAP\" batch - --events s.csv -q <\"$TMP/jobs-in.csv\""
[ -s "$TMP/b/stdin-jobs.svg" ] && pass || fail "jobs from stdin wrote nothing"
expect_exit 2 "jobs and events both on stdin" -- \
  "$EVMAP" batch - --events - </dev/null
expect_stderr "the events cannot"

# A KML on standard input is still KML.
expect_exit 0 "KML on stdin" -- bash -c "\"$EVMAP\" info - <\"$geo/places.kml\""
expect_stdout "events:        3"

# Formats by content: a GPX file named .csv, GeoJSON and KML rendered.
cp "$geo/waypoints.gpx" "$TMP/waypoints.csv"
expect_exit 0 "GPX by content" -- "$EVMAP" info "$TMP/waypoints.csv"
expect_stdout "events:        2"
expect_stderr "waypoints.csv:13: track \"Morning run\" (2 points) is a line"
expect_exit 1 "a skipped track fails without --skip-invalid" -- \
  "$EVMAP" render "$geo/waypoints.gpx" -o "$TMP/w.svg"
expect_exit 0 "GPX rendered" -- "$EVMAP" render "$geo/waypoints.gpx" \
  -o "$TMP/w.svg" --skip-invalid
grep -q 'Opera House' "$TMP/w.svg" && pass || fail "waypoint not drawn"
expect_exit 0 "GeoJSON rendered" -- "$EVMAP" render "$geo/points.geojson" \
  -o "$TMP/p.svg" --skip-invalid
grep -q 'Pyongyang' "$TMP/p.svg" && pass || fail "GeoJSON point not drawn"
expect_exit 1 "hostile KML" -- "$EVMAP" info "$geo/external_entity.gpx"
expect_stderr "external_entity.gpx:3: the document declares XML entities"
grep -q 'root:' "$TMP/stderr" "$TMP/stdout" && fail "entity resolved" || pass

# GeoJSON features named by line and column (the column counts
# characters: "Ž" is one), in rejections, in bad values and in syntax
# errors deep in the file.
printf '%s\n' '{"type":"FeatureCollection","features":[' \
  ' {"type":"Feature","geometry":{"type":"Point","coordinates":[125.75,39.03]},"properties":{"name":"Ž"}},  {"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{}},' \
  '   {"type":"Feature","geometry":{"type":"Point","coordinates":[125.75,99.5]},"properties":{"name":"Bad"}},' \
  ' {"type":"Feature","geometry":{"type":"Point","coordinates":[126.9,37.5]},"properties":{"name":"Seoul"}}' \
  ']}' >"$TMP/pos.geojson"
expect_exit 0 "GeoJSON positions" -- "$EVMAP" info "$TMP/pos.geojson" --skip-invalid
expect_stderr "pos.geojson:2:106: feature 2 is a LineString, not a point"
expect_stderr "pos.geojson:3:4: latitude"
expect_stdout "events:        2"
# A syntax error on line 4 of a long list, and Python's figure for it.
printf '%s\n' '{"features":[' '{"type":"Feature","geometry":null},' \
  '{"type":"Feature","geometry":null},' '{"type":"Feature","geometry":{"type":"Point","coordinates":[1,]}}' \
  ']}' >"$TMP/syntax.geojson"
expect_exit 1 "GeoJSON syntax error" -- "$EVMAP" info "$TMP/syntax.geojson"
want=$(python3 -c '
import json, sys
try: json.load(open(sys.argv[1]))
except json.JSONDecodeError as e: print("%d:%d" % (e.lineno, e.colno))' "$TMP/syntax.geojson")
expect_stderr "syntax.geojson:$want:"
# The lines of --to-line are named the same way: the feature's line and
# column, then the JSON path of the bad value.
printf '%s\n' '{"type":"FeatureCollection",' ' "features":[' \
  '  {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,0]]}},' \
  '  {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,95]]}}' \
  ']}' >"$TMP/lines.geojson"
expect_exit 1 "--to-line position" -- "$EVMAP" dist "$TMP/s.csv" --to-line "$TMP/lines.geojson"
expect_stderr "lines.geojson:4:3: features[1].geometry.coordinates[1]: latitude 95 is outside"
# A byte order mark before GeoJSON, as Windows tools write it.
printf '\xef\xbb\xbf{"type":"Point","coordinates":[2.35,48.85]}' >"$TMP/bom.geojson"
expect_exit 0 "GeoJSON after a BOM" -- "$EVMAP" info "$TMP/bom.geojson"
expect_stdout "events:        1"

# Nothing to map: the file named and what happened.
printf 'name,lat,lon\n' >"$TMP/header.csv"
expect_exit 1 "header only" -- "$EVMAP" render "$TMP/header.csv" -o "$TMP/h.png"
expect_stderr "header.csv: no data rows, only the header: nothing to map"
expect_no_file "$TMP/h.png"
expect_exit 1 "filtered to nothing" -- "$EVMAP" render "$ex" --where kind=nosuch -o "$TMP/f.png"
expect_stderr "events.csv: the filter kept 0 of 4 rows"
expect_exit 0 "empty map with an extent" -- "$EVMAP" render "$TMP/header.csv" \
  --extent 120,30,130,40 -o "$TMP/e.png"

# Date and encoding options reach the loader.
printf 'name;lat;lon;Date\nK\xf6ln;50,94;6,96;05/03/2024\n' >"$TMP/de.csv"
expect_exit 0 "ambiguous date (info reports it)" -- "$EVMAP" info "$TMP/de.csv" --encoding CP1252
expect_stderr "de.csv:2:17: date \"05/03/2024\" is ambiguous"
expect_exit 0 "date format and encoding" -- "$EVMAP" info "$TMP/de.csv" \
  --encoding CP1252 --date-format %d/%m/%Y
expect_stdout "2024-03-05"
expect_exit 0 "--date-col none" -- "$EVMAP" info "$TMP/de.csv" \
  --encoding CP1252 --date-col none
expect_exit 2 "unknown encoding" -- "$EVMAP" info "$TMP/de.csv" --encoding NOPE
expect_stderr "unknown encoding \"NOPE\""

# convert: KML to CSV and back through GeoJSON, parsed and compared with
# the coordinates written in the KML.
expect_exit 0 "convert KML to CSV" -- "$EVMAP" convert "$geo/places.kml" \
  "$TMP/places.csv" --skip-invalid
head -1 "$TMP/places.csv" | grep -q '^latitude,longitude,name,description,timestamp,kind,source$' \
  && pass || fail "convert CSV header: $(head -1 "$TMP/places.csv")"
expect_exit 0 "convert CSV to GeoJSON" -- "$EVMAP" convert "$TMP/places.csv" \
  "$TMP/places.geojson"
python3 - "$TMP/places.geojson" <<'PY' && pass || fail "convert GeoJSON"
import json, sys
fc = json.load(open(sys.argv[1]))
got = [(f["geometry"]["coordinates"], f["properties"]["name"]) for f in fc["features"]]
want = [([125.755, 39.796], "Yongbyon"), ([126.98, 37.57], "Two sites"),
        ([-0.13, 51.5], "Two sites")]
assert got == want, got
assert fc["features"][0]["properties"]["description"] == "Nuclear <b>site</b>"
PY
expect_exit 2 "convert to -" -- "$EVMAP" convert "$TMP/places.csv" -
expect_stderr "give --format csv or geojson"
expect_exit 0 "convert stdin to stdout" -- bash -c \
  "\"$EVMAP\" convert - - --format csv <\"$TMP/places.csv\""
cmp -s "$TMP/stdout" "$TMP/places.csv" && pass || fail "CSV round trip differs"
finish
