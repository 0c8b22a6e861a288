#!/usr/bin/env bash
# evmap routes: the example shipment as CSV, JSON and a table, lengths
# against GeographicLib's GeodSolve (tests/data/routes/PROVENANCE.md);
# errors with file:line:column and exit codes; -o written atomically and
# never left behind on failure.
. "$(dirname "$0")/lib.sh"
dir="$EVM_SOURCE_DIR/examples/korea-russia-2023"
ref="$EVM_SOURCE_DIR/tests/data/routes/GeodSolve-segments.out"
ev="$dir/events.csv"
routes="$dir/routes.csv"

# Reference lengths in km: the sea leg is segment 1, the rail leg 2-9.
sea_km=$(awk 'NR == 1 { printf "%.9f", $3 / 1000 }' "$ref")
rail_km=$(awk 'NR >= 2 && NR <= 9 { s += $3 } END { printf "%.9f", s / 1000 }' "$ref")
total_km=$(awk 'NR <= 9 { s += $3 } END { printf "%.9f", s / 1000 }' "$ref")
# |a - b| <= 1e-6 km (1 mm).
close_km() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d <= 1e-6 && d >= -1e-6) }'; }

expect_exit 0 "csv" -- "$EVMAP" routes "$routes" --events "$ev"
[ "$(head -1 "$TMP/stdout")" = "route,leg,from,to,mode,distance_km,geodesic_km,routing" ] && pass || fail "header: $(head -1 "$TMP/stdout")"
[ "$(wc -l <"$TMP/stdout")" -eq 4 ] && pass || fail "rows: $(wc -l <"$TMP/stdout")"
expect_stdout "Rajin–Tikhoretsk shipment,1,Rajin port,Dunai port,sea,"
expect_stdout "Rajin–Tikhoretsk shipment,2,Dunai port,Tikhoretsk ammunition depot,rail,"
expect_stdout "Rajin–Tikhoretsk shipment,total,Rajin port,Tikhoretsk ammunition depot,sea+rail,"
# The geodesic column against GeodSolve; the sea leg routed at sea, longer
# than its geodesic but not by a detour; the rail leg and the total.
got=$(awk -F, 'NR == 2 { print $7 }' "$TMP/stdout")
close_km "$got" "$sea_km" && pass || fail "sea leg geodesic $got km, GeodSolve $sea_km"
[ "$(awk -F, 'NR == 2 { print $8 }' "$TMP/stdout")" = sea ] && pass || fail "sea leg not routed"
awk -F, -v g="$sea_km" 'NR == 2 { exit !($6 > g && $6 < 1.3 * g) }' "$TMP/stdout" && pass ||
  fail "sea leg routed length $(awk -F, 'NR == 2 { print $6 }' "$TMP/stdout") km"
got=$(awk -F, 'NR == 3 { print $6 }' "$TMP/stdout")
close_km "$got" "$rail_km" && pass || fail "rail leg $got km, GeodSolve $rail_km"
[ "$(awk -F, 'NR == 3 { print $8 }' "$TMP/stdout")" = geodesic ] && pass || fail "rail leg routing"
got=$(awk -F, 'NR == 4 { printf "%.9f", $6 - $7 }' "$TMP/stdout")
want=$(awk -F, 'NR == 2 { printf "%.9f", $6 - $7 }' "$TMP/stdout")
close_km "$got" "$want" && pass || fail "the total's detour is not the sea leg's"
got=$(awk -F, 'NR == 4 { print $7 }' "$TMP/stdout")
close_km "$got" "$total_km" && pass || fail "route geodesic $got km, GeodSolve $total_km"
cp "$TMP/stdout" "$TMP/expected.csv"

# --sea-routing off: every leg along its geodesics, as GeodSolve gives.
expect_exit 0 "sea routing off" -- "$EVMAP" routes "$routes" --events "$ev" --sea-routing off
got=$(awk -F, 'NR == 2 { print $6 }' "$TMP/stdout")
close_km "$got" "$sea_km" && pass || fail "sea leg $got km, GeodSolve $sea_km"
got=$(awk -F, 'NR == 4 { print $6 }' "$TMP/stdout")
close_km "$got" "$total_km" && pass || fail "route $got km, GeodSolve $total_km"
[ "$(awk -F, 'NR == 2 { print $8 }' "$TMP/stdout")" = geodesic ] && pass || fail "routing off"
expect_exit 2 "bad --sea-routing" -- "$EVMAP" routes "$routes" --events "$ev" --sea-routing maybe
expect_stderr "--sea-routing takes on or off"

# A sea leg from an inland place: a warning naming the route and leg, the
# leg measured along its geodesic.
printf 'route,from,to,mode\nR,55.7558 37.6173,43.1155 131.8855,sea\n' >"$TMP/inland.csv"
expect_exit 0 "inland sea leg" -- "$EVMAP" routes "$TMP/inland.csv"
expect_stderr 'inland.csv:2: route "R" leg 1 (sea, 55.7558 37.6173 to 43.1155 131.8855): 55.7558 37.6173 is more than 60 km from the sea; drawn as a geodesic'
[ "$(awk -F, 'NR == 2 { print $8 }' "$TMP/stdout")" = geodesic ] && pass || fail "inland leg routing"
# A rail leg straight over the Black Sea is reported.
printf 'route,from,to,mode\nR,46.50 30.74,44.72 37.80,rail\n' >"$TMP/rail.csv"
expect_exit 0 "rail over sea" -- "$EVMAP" routes "$TMP/rail.csv"
expect_stderr 'route "R" leg 1 (rail, 46.50 30.74 to 44.72 37.80) crosses'
expect_stderr 'km of open sea between 46.50 30.74 and 44.72 37.80'

expect_exit 0 "units m" -- "$EVMAP" routes "$routes" --events "$ev" --units m
[ "$(head -1 "$TMP/stdout")" = "route,leg,from,to,mode,distance_m,geodesic_m,routing" ] && pass || fail "header m"
got=$(awk -F, 'NR == 4 { printf "%.9f", $7 / 1000 }' "$TMP/stdout")
close_km "$got" "$total_km" && pass || fail "route in m"

expect_exit 0 "json" -- "$EVMAP" routes "$routes" --events "$ev" --format json --units nmi
if command -v jq >/dev/null; then
  [ "$(jq length "$TMP/stdout")" = 1 ] && pass || fail "json routes"
  [ "$(jq -r '.[0].legs | length' "$TMP/stdout")" = 2 ] && pass || fail "json legs"
  [ "$(jq -r '.[0].legs[1].via | length' "$TMP/stdout")" = 7 ] && pass || fail "json via"
  [ "$(jq -r '.[0].modes' "$TMP/stdout")" = "sea+rail" ] && pass || fail "json modes"
  got=$(jq -r '.[0].geodesic_nmi * 1.852' "$TMP/stdout")
  close_km "$got" "$total_km" && pass || fail "json total $got km"
else
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/stdout" && pass || fail "json does not parse"
fi

expect_exit 0 "table" -- "$EVMAP" routes "$routes" --events "$ev" --format table
expect_stdout "distance (km)  geodesic (km)  detour"
expect_stdout " 7,588.9"
expect_stdout " 7,773.1"
grep -qE ' 184\.3 +\+[0-9]+\.[0-9]%$' "$TMP/stdout" && pass || fail "no detour for the sea leg"

# -o: the same bytes as standard output, nothing on standard output.
expect_exit 0 "-o" -- "$EVMAP" routes "$routes" --events "$ev" -o "$TMP/out.csv"
[ ! -s "$TMP/stdout" ] && pass || fail "-o wrote to stdout"
cmp -s "$TMP/out.csv" "$TMP/expected.csv" && pass || fail "-o differs from stdout"
[ -z "$(find "$TMP" -name '.out.csv.*')" ] && pass || fail "temporary file left"

# Without events only coordinates name places.
expect_exit 1 "no events" -- "$EVMAP" routes "$routes"
expect_stderr "evmap: $routes:2:27: no event is named \"Rajin port\""
# Events CSV options apply: filtering out the depot leaves the name unknown.
expect_exit 1 "--where" -- "$EVMAP" routes "$routes" --events "$ev" --where kind=port
expect_stderr "$routes:3:38: no event is named \"Tikhoretsk ammunition depot\""

# Bad data: message with file:line:column, exit 1, no output file, and
# an existing output file left as it was.
printf 'route,from,to,mode\nR,Rajin port,Dunai port,ship\n' >"$TMP/mode.csv"
expect_exit 1 "bad mode" -- "$EVMAP" routes "$TMP/mode.csv" --events "$ev" -o "$TMP/bad.csv"
expect_stderr "evmap: $TMP/mode.csv:2:25: unknown mode \"ship\": expected sea, rail, road, air, river or other"
expect_no_file "$TMP/bad.csv"
echo keep >"$TMP/keep.csv"
expect_exit 1 "bad mode, existing -o" -- "$EVMAP" routes "$TMP/mode.csv" --events "$ev" -o "$TMP/keep.csv"
[ "$(cat "$TMP/keep.csv")" = keep ] && pass || fail "existing file changed"

printf 'from,to,via\nRajin port,Dunai port,"48.48 135.08;;52.03 113.50"\n' >"$TMP/via.csv"
expect_exit 1 "empty via" -- "$EVMAP" routes "$TMP/via.csv" --events "$ev"
expect_stderr "$TMP/via.csv:2:23: via entry 2 of"
printf 'from,to\n91 135,Dunai port\n' >"$TMP/lat.csv"
expect_exit 1 "latitude" -- "$EVMAP" routes "$TMP/lat.csv" --events "$ev"
expect_stderr "$TMP/lat.csv:2:1: coordinates \"91 135\": the latitude \"91\" is outside [-90, 90]"
printf 'from,to\nRajin port,Dunay port\n' >"$TMP/name.csv"
expect_exit 1 "unknown name" -- "$EVMAP" routes "$TMP/name.csv" --events "$ev"
expect_stderr "$TMP/name.csv:2:12: no event is named \"Dunay port\"; did you mean \"Dunai port\"?"
printf 'route,from,to\n' >"$TMP/empty.csv"
expect_exit 1 "no legs" -- "$EVMAP" routes "$TMP/empty.csv"
expect_stderr "no legs"
expect_exit 1 "missing file" -- "$EVMAP" routes "$TMP/none.csv"
expect_stderr "$TMP/none.csv: cannot open"

# Output that cannot be written: exit 3, nothing left behind.
expect_exit 3 "-o in a missing folder" -- "$EVMAP" routes "$routes" --events "$ev" -o "$TMP/no/dir/out.csv"
expect_no_file "$TMP/no"
mkdir "$TMP/adir"
expect_exit 3 "-o onto a folder" -- "$EVMAP" routes "$routes" --events "$ev" -o "$TMP/adir"
[ -z "$(find "$TMP" -name '.adir.*')" ] && pass || fail "temporary file left"

# Usage errors: exit 2.
expect_exit 2 "no file" -- "$EVMAP" routes
expect_stderr "missing the routes file"
expect_exit 2 "two files" -- "$EVMAP" routes "$routes" "$routes"
expect_exit 2 "bad format" -- "$EVMAP" routes "$routes" --format xml
expect_stderr "--format must be csv, json or table"
expect_exit 2 "bad units" -- "$EVMAP" routes "$routes" --units furlong
expect_stderr "--units must be km, m, mi or nmi"
expect_exit 2 "unknown option" -- "$EVMAP" routes "$routes" --frobnicate
expect_exit 0 "help" -- "$EVMAP" routes --help
expect_stdout "usage: evmap routes ROUTES.csv"
expect_exit 0 "command list" -- "$EVMAP" --help
expect_stdout "routes "

# ---- render --routes ------------------------------------------------------
expect_exit 0 "render --routes" -- "$EVMAP" render "$ev" --routes "$routes" \
  -o "$TMP/route.svg" --geojson "$TMP/route.geojson" --route-dates labels
grep -qF 'data-mode="sea"' "$TMP/route.svg" && pass || fail "no sea leg in the SVG"
grep -qF 'rail · 7,589 km' "$TMP/route.svg" && pass || fail "no default rail label"
grep -qE 'sea · 1[89][0-9] km · 2023-09' "$TMP/route.svg" && pass ||
  fail "--route-dates labels: no date in the sea label"
python3 - "$TMP/route.geojson" "$sea_km" "$rail_km" <<'EOF' && pass || fail "route GeoJSON"
import json, sys
doc = json.load(open(sys.argv[1]))
legs = [f for f in doc["features"] if f["properties"]["kind"] == "route-leg"]
assert [f["properties"]["mode"] for f in legs] == ["sea", "rail"], legs
assert [f["properties"]["leg"] for f in legs] == [1, 2]
for f, ref in zip(legs, sys.argv[2:]):
    assert abs(f["properties"]["geodesic_km"] - float(ref)) < 1e-6
    assert f["properties"]["route"] == "Rajin–Tikhoretsk shipment"
# The sea leg routed at sea, the rail leg along its points.
assert legs[0]["properties"]["routing"] == "sea"
assert legs[0]["properties"]["distance_km"] > float(sys.argv[2])
assert len(legs[0]["geometry"]["coordinates"]) > 2
assert legs[1]["properties"]["routing"] == "geodesic"
assert abs(legs[1]["properties"]["distance_km"] - float(sys.argv[3])) < 1e-6
# The legs join: the sea leg ends where the rail leg starts.
assert legs[0]["geometry"]["coordinates"][-1] == legs[1]["geometry"]["coordinates"][0]
EOF

# --sea-routing off draws the sea leg as its geodesic.
expect_exit 0 "render --sea-routing off" -- "$EVMAP" render "$ev" --routes "$routes" \
  -o "$TMP/route-off.svg" --route-dates labels --sea-routing off
grep -qF 'sea · 184 km · 2023-09' "$TMP/route-off.svg" && pass ||
  fail "--sea-routing off: the sea leg is not its geodesic"
grep -qF 'data-routing="geodesic"' "$TMP/route-off.svg" && pass || fail "no routing data"
! grep -qF 'data-routing="sea"' "$TMP/route-off.svg" && pass || fail "routed with routing off"

# A malformed routes file fails with its position and leaves no map.
bad_route() { # name, file contents, expected message
  printf '%b' "$2" >"$TMP/bad-routes.csv"
  expect_exit 1 "render: $1" -- "$EVMAP" render "$ev" --routes \
    "$TMP/bad-routes.csv" -o "$TMP/bad.png" --geojson "$TMP/bad.geojson"
  expect_stderr "$3"
  expect_no_file "$TMP/bad.png"
  expect_no_file "$TMP/bad.geojson"
}
bad_route "unknown mode" 'from,to,mode\nRajin port,Dunai port,ship\n' \
  'bad-routes.csv:2:23: unknown mode "ship"'
bad_route "no to column" 'from,mode\nRajin port,sea\n' 'no "to" column'
bad_route "empty to" 'from,to\nRajin port,\n' 'bad-routes.csv:2:12: empty "to" cell'
bad_route "empty via entry" 'from,to,via\nRajin port,Dunai port,48.48 135.08;;52.03 113.50\n' \
  'bad-routes.csv:2:23: via entry 2'
bad_route "latitude out of range" 'from,to\n91 135,Dunai port\n' \
  'bad-routes.csv:2:1: coordinates "91 135": the latitude "91" is outside [-90, 90]'
bad_route "unknown name" 'from,to\nRajin port,Dunay port\n' \
  'bad-routes.csv:2:12: no event is named "Dunay port"; did you mean "Dunai port"?'

# Styles: a bad override is a usage error; a bad style file line is bad
# data at its line; neither leaves a map.
expect_exit 2 "bad --route-style" -- "$EVMAP" render "$ev" --routes "$routes" \
  --route-style "ship: color=#fff" -o "$TMP/bad.png"
expect_stderr 'is not a mode'
expect_no_file "$TMP/bad.png"
printf 'sea: color=#00f\nrail: width=wide\n' >"$TMP/styles.txt"
expect_exit 1 "bad --route-styles line" -- "$EVMAP" render "$ev" --routes "$routes" \
  --route-styles "$TMP/styles.txt" -o "$TMP/bad.png"
expect_stderr 'styles.txt:2: route style: width "wide"'
expect_no_file "$TMP/bad.png"
expect_exit 2 "bad --route-dates" -- "$EVMAP" render "$ev" --routes "$routes" \
  --route-dates sometimes -o "$TMP/bad.png"
expect_stderr 'expected legend, labels, both or none'
printf 'sea: color=#ff0000\n' >"$TMP/styles.txt"
expect_exit 0 "--route-styles" -- "$EVMAP" render "$ev" --routes "$routes" \
  --route-styles "$TMP/styles.txt" --route-style "route=Rajin–Tikhoretsk shipment: width=3" \
  -o "$TMP/styled.svg"
grep -qiF '#ff0000' "$TMP/styled.svg" && pass || fail "the style file's colour is not used"


# GPX and KML lines as routes (found by content): the same shipment as a
# GPX route (the sea leg, typed "sea") and a two-segment track (the rail
# leg, split at Chita), and as KML LineStrings; lengths against GeodSolve.
cat >"$TMP/shipment.gpx" <<'GPX'
<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="42.2460" lon="130.2830"><name>Rajin port</name></wpt>
  <rte><name>By sea</name><type>sea</type>
    <rtept lat="42.2460" lon="130.2830"><time>2023-09-01T08:00:00.5Z</time></rtept>
    <rtept lat="42.8830" lon="132.3550"/>
  </rte>
  <trk><name>By rail</name><type>rail</type>
    <trkseg>
      <trkpt lat="42.8830" lon="132.3550"><time>2023-10-01T06:00:00Z</time></trkpt>
      <trkpt lat="48.48" lon="135.08"/><trkpt lat="52.03" lon="113.50"/>
    </trkseg>
    <trkseg></trkseg>
    <trkseg>
      <trkpt lat="52.03" lon="113.50"/><trkpt lat="52.29" lon="104.28"/>
      <trkpt lat="55.03" lon="82.92"/><trkpt lat="56.84" lon="60.60"/>
      <trkpt lat="53.20" lon="50.15"/><trkpt lat="48.71" lon="44.51"/>
      <trkpt lat="45.8547" lon="40.1256"/>
    </trkseg>
  </trk>
  <trk><trkseg><trkpt lat="0" lon="0"/><trkpt lat="0.5" lon="179.5"/></trkseg></trk>
</gpx>
GPX
rail1_km=$(awk 'NR >= 2 && NR <= 3 { s += $3 } END { printf "%.9f", s / 1000 }' "$ref")
rail2_km=$(awk 'NR >= 4 && NR <= 9 { s += $3 } END { printf "%.9f", s / 1000 }' "$ref")
cp "$TMP/shipment.gpx" "$TMP/shipment.txt"
expect_exit 0 "GPX routes" -- "$EVMAP" routes "$TMP/shipment.txt"
expect_stdout "By sea,1,42.2460 130.2830,42.8830 132.3550,sea,"
expect_stdout "By rail,1,42.8830 132.3550,52.03 113.50,rail,"
expect_stdout "By rail,2,52.03 113.50,45.8547 40.1256,rail,"
expect_stdout "track 3,1,0 0,0.5 179.5,other,"
[ "$(wc -l <"$TMP/stdout")" -eq 8 ] && pass || fail "GPX rows: $(wc -l <"$TMP/stdout")"
got=$(awk -F, '$1 == "By sea" && $2 == 1 { print $7 }' "$TMP/stdout")
close_km "$got" "$sea_km" && pass || fail "GPX sea leg $got km, GeodSolve $sea_km"
got=$(awk -F, '$1 == "By rail" && $2 == 1 { print $6 }' "$TMP/stdout")
close_km "$got" "$rail1_km" && pass || fail "GPX rail segment 1 $got km, GeodSolve $rail1_km"
got=$(awk -F, '$1 == "By rail" && $2 == 2 { print $6 }' "$TMP/stdout")
close_km "$got" "$rail2_km" && pass || fail "GPX rail segment 2 $got km, GeodSolve $rail2_km"
got=$(awk -F, '$1 == "By rail" && $2 == "total" { print $6 }' "$TMP/stdout")
close_km "$got" "$rail_km" && pass || fail "GPX rail track $got km, GeodSolve $rail_km"
# GeodSolve: 0 0 to 0.5 179.5 is 19936288.5789653137 m (test_dist.sh).
got=$(awk -F, '$1 == "track 3" && $2 == 1 { print $6 }' "$TMP/stdout")
close_km "$got" 19936.2885789653137 && pass || fail "unnamed track $got km"
expect_exit 0 "GPX route dates" -- "$EVMAP" routes "$TMP/shipment.gpx" --format json
python3 - "$TMP/stdout" <<'PY' && pass || fail "GPX dates"
import json, sys
d = {r["name"]: r for r in json.load(open(sys.argv[1]))}
# The time of a leg's first point; fractions of a second kept as written.
assert d["By sea"]["first_date"] == "2023-09-01T08:00:00.5Z", d["By sea"]
assert d["By rail"]["legs"][0]["date"] == "2023-10-01T06:00:00Z", d["By rail"]
assert d["By rail"]["legs"][1]["date"] == "", d["By rail"]
PY
# The GPX route drawn on a map, with --geojson: its legs as lines.
expect_exit 0 "GPX routes drawn" -- "$EVMAP" render "$ev" --routes "$TMP/shipment.gpx" \
  -o "$TMP/gpx.svg" --size 600x400 --geojson "$TMP/gpx.geojson"
python3 - "$TMP/gpx.geojson" <<'PY' && pass || fail "GPX legs in the GeoJSON"
import json, sys
d = json.load(open(sys.argv[1]))
legs = [f for f in d["features"] if f["properties"].get("kind") == "route-leg"]
assert len(legs) == 4, len(legs)
assert sorted(set(f["properties"]["route"] for f in legs)) == ["By rail", "By sea", "track 3"]
PY
# KML: a Placemark per line, MultiGeometry giving two legs; points left
# to the events.
cat >"$TMP/lines.kml" <<'KML'
<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
  <Placemark><name>Rajin port</name><Point><coordinates>130.2830,42.2460</coordinates></Point></Placemark>
  <Placemark><name>Shipment</name><TimeStamp><when>2023-09-01</when></TimeStamp>
    <MultiGeometry>
      <LineString><coordinates>130.2830,42.2460,0 132.3550,42.8830,0</coordinates></LineString>
      <LineString><coordinates>
        132.3550,42.8830 135.08,48.48 113.50,52.03 104.28,52.29 82.92,55.03
        60.60,56.84 50.15,53.20 44.51,48.71 40.1256,45.8547
      </coordinates></LineString>
    </MultiGeometry>
  </Placemark>
</Document></kml>
KML
expect_exit 0 "KML routes" -- "$EVMAP" routes "$TMP/lines.kml"
got=$(awk -F, '$1 == "Shipment" && $2 == 1 { print $6 }' "$TMP/stdout")
close_km "$got" "$sea_km" && pass || fail "KML leg 1 $got km, GeodSolve $sea_km"
got=$(awk -F, '$1 == "Shipment" && $2 == "total" { print $6 }' "$TMP/stdout")
close_km "$got" "$total_km" && pass || fail "KML route $got km, GeodSolve $total_km"
# Bad lines: named at their line.
printf '<gpx version="1.1">\n<trk><name>T</name>\n<trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>\n' >"$TMP/short.gpx"
expect_exit 1 "one-point segment" -- "$EVMAP" routes "$TMP/short.gpx"
expect_stderr "short.gpx:3: segment 1 of track \"T\" has 1 point: a leg needs two or more"
printf '<gpx version="1.1">\n<rte>\n<rtept lat="1"/><rtept lat="1" lon="2"/></rte></gpx>\n' >"$TMP/nolon.gpx"
expect_exit 1 "point without lon" -- "$EVMAP" routes "$TMP/nolon.gpx"
expect_stderr "nolon.gpx:3: <rtept> without lat and lon attributes"
printf '<gpx version="1.1"><wpt lat="1" lon="2"/></gpx>\n' >"$TMP/nolines.gpx"
expect_exit 1 "no lines" -- "$EVMAP" routes "$TMP/nolines.gpx"
expect_stderr "nolines.gpx: no route or track with points"
printf '<gpx version="1.1"><rte><rtept lat="91" lon="2"/><rtept lat="1" lon="2"/></rte></gpx>\n' >"$TMP/badlat.gpx"
expect_exit 1 "latitude out of range" -- "$EVMAP" routes "$TMP/badlat.gpx"
expect_stderr "badlat.gpx:1"
# Hostile XML stays refused.
expect_exit 1 "GPX with entities" -- "$EVMAP" routes "$EVM_SOURCE_DIR/tests/data/events_geo/external_entity.gpx"
expect_stderr "declares XML entities"
finish
