#!/usr/bin/env bash
# evmap dist: pairs, one pair, --from, --matrix, --to-border, --to-line;
# CSV, JSON and table output; the same bytes for any --jobs; streaming in
# constant memory; errors. Reference values from GeographicLib's GeodSolve
# (tests/data/geodesic/GeodSolve-inverse.out), not from evmap.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"

# Every pair once: 10 events, 45 rows.
expect_exit 0 "all pairs" -- "$EVMAP" dist "$ex"
[ "$(head -1 "$TMP/stdout")" = "from,to,distance_km,initial_bearing_deg,final_bearing_deg" ] && pass || fail "header: $(head -1 "$TMP/stdout")"
[ "$(wc -l <"$TMP/stdout")" -eq 46 ] && pass || fail "pairs: $(wc -l <"$TMP/stdout") lines"
# Pairs run in file order (Cheongju comes before Seoul). GeodSolve -i -f
# -p 10: Seoul to Cheongju is 105071.6373402327 m, Moscow to Vostochny
# 5550890.5174384676 m.
expect_stdout "Cheongju International Airport,Seoul,105.071637340,"
expect_stdout "Vostochny Cosmodrome,Moscow,5550.890517438,"

# One pair, names matched ignoring case; metres. Azimuths from GeodSolve:
# 153.698291433769839 and 154.012934497925471.
expect_exit 0 "one pair" -- "$EVMAP" dist "$ex" seoul "CHEONGJU INTERNATIONAL AIRPORT" --units m
[ "$(cat "$TMP/stdout")" = "from,to,distance_m,initial_bearing_deg,final_bearing_deg
Seoul,Cheongju International Airport,105071.637340,153.698291434,154.012934498" ] && pass || fail "one pair: $(cat "$TMP/stdout")"
# Inline coordinates; GeodSolve: 0 0 to 0.5 179.5 is 19936288.5789653137 m.
expect_exit 0 "inline" -- "$EVMAP" dist "$ex" 0,0 0.5,179.5 --units m
expect_stdout '"0,0","0.5,179.5",19936288.578965,'

# --from: one place to all others, in file order.
expect_exit 0 "--from" -- "$EVMAP" dist "$ex" --from Moscow --format table
[ "$(wc -l <"$TMP/stdout")" -eq 10 ] && pass || fail "--from rows"
expect_stdout "Vostochny Cosmodrome"
expect_stdout "5,550.9"
expect_stdout "distance (km)"

# --matrix: square and symmetric.
expect_exit 0 "--matrix" -- "$EVMAP" dist "$ex" --matrix
[ "$(wc -l <"$TMP/stdout")" -eq 11 ] && pass || fail "matrix rows"
awk -F, 'NR>1 { for (j = 2; j <= NF; j++) m[NR-1, j-1] = $j; n = NF - 1 }
  END { for (i = 1; i <= n; i++) for (j = 1; j <= n; j++)
          if (m[i, j] != m[j, i] || (i == j && m[i, j] != "0.000000000")) exit 1 }' \
  "$TMP/stdout" && pass || fail "matrix is not symmetric"

# JSON is valid and holds the same numbers.
expect_exit 0 "json" -- "$EVMAP" dist "$ex" --format json --units nmi
if command -v jq >/dev/null; then
  [ "$(jq length "$TMP/stdout")" = 45 ] && pass || fail "json rows"
  [ "$(jq -r '.[] | select(.from == "Cheongju International Airport" and .to == "Seoul") | .distance_nmi' "$TMP/stdout")" = 56.734145432 ] && pass || fail "json value"
fi
expect_exit 0 "json matrix" -- "$EVMAP" dist "$ex" --format json --matrix
if command -v jq >/dev/null; then
  [ "$(jq '.distances | length' "$TMP/stdout")" = 10 ] && pass || fail "json matrix"
fi

# The same bytes for any --jobs, on a file large enough for many chunks.
awk 'BEGIN { srand(7); print "name,lat,lon";
  for (i = 0; i < 400; i++) printf "p%d,%.6f,%.6f\n", i, -89 + 178 * rand(), -180 + 360 * rand() }' >"$TMP/many.csv"
"$EVMAP" dist "$TMP/many.csv" --jobs 1 >"$TMP/j1.csv" && pass || fail "jobs 1"
"$EVMAP" dist "$TMP/many.csv" --jobs 2 >"$TMP/j2.csv" && pass || fail "jobs 2"
"$EVMAP" dist "$TMP/many.csv" --jobs 5 >"$TMP/j5.csv" && pass || fail "jobs 5"
cmp -s "$TMP/j1.csv" "$TMP/j2.csv" && cmp -s "$TMP/j1.csv" "$TMP/j5.csv" && pass || fail "output differs with --jobs"
[ "$(wc -l <"$TMP/j1.csv")" -eq 79801 ] && pass || fail "400 events: $(wc -l <"$TMP/j1.csv") lines"

# Streaming: 2,000 events (2 million rows, 150 MB of CSV) take about the
# memory of 500 (125,000 rows).
if [ -x /usr/bin/time ]; then
  awk 'BEGIN { srand(11); print "name,lat,lon";
    for (i = 0; i < 2000; i++) printf "e%d,%.6f,%.6f\n", i, -89 + 178 * rand(), -180 + 360 * rand() }' >"$TMP/big.csv"
  head -501 "$TMP/big.csv" >"$TMP/mid.csv"
  /usr/bin/time -f %M -o "$TMP/rss-mid" "$EVMAP" dist "$TMP/mid.csv" --jobs 2 >/dev/null
  /usr/bin/time -f %M -o "$TMP/rss-big" "$EVMAP" dist "$TMP/big.csv" --jobs 2 | wc -l >"$TMP/n"
  small=$(tail -1 "$TMP/rss-mid"); large=$(tail -1 "$TMP/rss-big")
  [ "$large" -lt $((small + 16384)) ] && pass || fail "memory grows with the output: $small kB for 500 events, $large kB for 2000"
  [ "$(cat "$TMP/n")" -eq 1999001 ] && pass || fail "2000 events: $(cat "$TMP/n") lines"
fi

# --to-border: by name, alpha-3 and numeric code, the same result.
expect_exit 0 "to-border" -- "$EVMAP" dist "$ex" --to-border Ukraine
[ "$(head -1 "$TMP/stdout")" = "event,country,distance_km,nearest_lat,nearest_lon,inside,worldview" ] && pass || fail "to-border header"
expect_stdout ",false,international"
[ "$(wc -l <"$TMP/stdout")" -eq 11 ] && pass || fail "to-border rows"
expect_stdout "Tikhoretsk ammunition depot,Ukraine,201.3657"
expect_stdout ",false"
cp "$TMP/stdout" "$TMP/byname.csv"
expect_exit 0 "to-border UKR" -- "$EVMAP" dist "$ex" --to-border ukr --jobs 1
cmp -s "$TMP/stdout" "$TMP/byname.csv" && pass || fail "UKR differs from Ukraine"
expect_exit 0 "to-border 804" -- "$EVMAP" dist "$ex" --to-border 804
cmp -s "$TMP/stdout" "$TMP/byname.csv" && pass || fail "804 differs from Ukraine"
expect_exit 0 "land border" -- "$EVMAP" dist "$ex" --to-border Ukraine --land-border-only --format json
if command -v jq >/dev/null; then
  d=$(jq '.[] | select(.event == "Tikhoretsk ammunition depot") | .distance_km' "$TMP/stdout")
  awk -v d="$d" 'BEGIN { exit !(d > 201.5 && d < 202.5) }' && pass || fail "land border distance $d"
  [ "$(jq '[.[] | select(.inside)] | length' "$TMP/stdout")" = 0 ] && pass || fail "inside"
fi
printf 'name,lat,lon\nKyiv,50.4501,30.5234\n' >"$TMP/kyiv.csv"
expect_exit 0 "inside" -- "$EVMAP" dist "$TMP/kyiv.csv" --to-border Ukraine --format table --basemap 50m
expect_stdout "yes"
# Crimea by worldview: inside Ukraine's outline in the default
# (international) view, inside Russia's in Natural Earth's de facto one,
# at every resolution; the output says which view it measured in.
printf 'name,lat,lon\nSevastopol,44.6,33.5333\nSimferopol,44.9521,34.1024\n' >"$TMP/crimea.csv"
for res in 10m 50m 110m; do
  expect_exit 0 "Crimea $res" -- "$EVMAP" dist "$TMP/crimea.csv" --to-border Ukraine --basemap $res
  [ "$(grep -c ',true,international$' "$TMP/stdout")" = 2 ] && pass || fail "Crimea not in Ukraine at $res: $(cat "$TMP/stdout")"
  expect_exit 0 "Crimea $res de facto" -- "$EVMAP" dist "$TMP/crimea.csv" --to-border Ukraine --basemap $res --worldview de-facto
  [ "$(grep -c ',false,de-facto$' "$TMP/stdout")" = 2 ] && pass || fail "Crimea in Ukraine de facto at $res: $(cat "$TMP/stdout")"
  expect_exit 0 "Crimea $res Russia" -- "$EVMAP" dist "$TMP/crimea.csv" --to-border Russia --basemap $res
  [ "$(grep -c ',false,international$' "$TMP/stdout")" = 2 ] && pass || fail "Crimea in Russia at $res: $(cat "$TMP/stdout")"
  expect_exit 0 "Crimea $res Russia de facto" -- "$EVMAP" dist "$TMP/crimea.csv" --to-border Russia --basemap $res --worldview de-facto
  [ "$(grep -c ',true,de-facto$' "$TMP/stdout")" = 2 ] && pass || fail "Crimea not in Russia de facto at $res: $(cat "$TMP/stdout")"
done
# Simferopol's nearest point of Ukraine is the Crimean coast, not the old
# line of control at Perekop (about 120 km north): that line is no
# boundary of Ukraine's in the international view.
expect_exit 0 "Simferopol" -- "$EVMAP" dist "$TMP/crimea.csv" --to-border Ukraine --format json
if command -v jq >/dev/null; then
  d=$(jq '.[] | select(.event == "Simferopol") | .distance_km' "$TMP/stdout")
  awk -v d="$d" 'BEGIN { exit !(d > 30 && d < 45) }' && pass || fail "Simferopol to Ukraine's boundary: $d km"
  [ "$(jq -r '.[0].worldview' "$TMP/stdout")" = international ] && pass || fail "json worldview"
fi
expect_exit 2 "bad worldview" -- "$EVMAP" dist "$TMP/crimea.csv" --to-border Ukraine --worldview de-jure
expect_stderr "--worldview must be international or de-facto"
expect_exit 2 "worldview alone" -- "$EVMAP" dist "$TMP/crimea.csv" --worldview de-facto
expect_exit 0 "island" -- "$EVMAP" dist "$TMP/kyiv.csv" --to-border Iceland --land-border-only
expect_stderr "no land border"

# --to-line: GeoJSON along the equator; GeodSolve: 1 15 to 0 15 is
# 110574.3885577988 m.
cat >"$TMP/line.geojson" <<'EOF'
{"type": "Feature", "properties": {"name": "equator"},
 "geometry": {"type": "LineString", "coordinates": [[10, 0], [20, 0]]}}
EOF
printf 'name,lat,lon\nnorth,1,15\n' >"$TMP/north.csv"
expect_exit 0 "to-line" -- "$EVMAP" dist "$TMP/north.csv" --to-line "$TMP/line.geojson" --units m
[ "$(cat "$TMP/stdout")" = "event,line,distance_m,nearest_lat,nearest_lon
north,line.geojson,110574.388558,0.000000000,15.000000000" ] && pass || fail "to-line: $(cat "$TMP/stdout")"

# Errors.
expect_exit 1 "unknown name" -- "$EVMAP" dist "$ex" Seul Moscow
expect_stderr 'no event is named "Seul"; did you mean "Seoul"?'
expect_exit 1 "bad inline" -- "$EVMAP" dist "$ex" Seoul 95,10
expect_stderr 'the latitude "95" is outside [-90, 90]'
expect_exit 1 "unknown country" -- "$EVMAP" dist "$ex" --to-border Ukrane
expect_stderr 'did you mean "Ukraine"?'
printf '{"type": "Point", "coordinates": [1, 2]}' >"$TMP/point.geojson"
expect_exit 1 "not a line" -- "$EVMAP" dist "$ex" --to-line "$TMP/point.geojson"
expect_stderr "point.geojson:1:1: a Point is not a line"
expect_exit 2 "two modes" -- "$EVMAP" dist "$ex" --matrix --from Seoul
expect_exit 2 "bad format" -- "$EVMAP" dist "$ex" --format xml
expect_exit 2 "bad units" -- "$EVMAP" dist "$ex" --units ft
expect_exit 2 "bad jobs" -- "$EVMAP" dist "$ex" --jobs 0
expect_exit 2 "FROM without TO" -- "$EVMAP" dist "$ex" Seoul
expect_exit 2 "land only alone" -- "$EVMAP" dist "$ex" --land-border-only
expect_exit 0 "help" -- "$EVMAP" dist --help
expect_stdout "usage: evmap dist"
# Distance lines on a map: --distance, --border-distance, --links.
expect_exit 0 "render with distances" -- "$EVMAP" render "$ex" -o "$TMP/d.svg" \
  --distance "Pyongyang:Vostochny Cosmodrome" --distance "seoul:37.77,-122.42" \
  --border-distance "Tikhoretsk ammunition depot:UKR"
for want in 'id="distance-0"' 'id="distance-1"' 'id="border-distance-0"' \
    'id="border-highlight-0"' '1,441 km' '201 km to Ukraine' \
    'Pyongyang–Vostochny Cosmodrome: 1,441 km' 'id="legend-swatch-distance-2"' \
    'data-distance-km="1441.435103"'; do
  grep -qF "$want" "$TMP/d.svg" && pass || fail "map lacks $want"
done
expect_exit 0 "render land border" -- "$EVMAP" render "$ex" -o "$TMP/lb.svg" \
  --border-distance "Tikhoretsk ammunition depot:Ukraine" --land-border-only
# One line: one legend row for its look.
grep -qF 'Geodesic distance' "$TMP/lb.svg" && pass || fail "one line's legend row"
grep -qF '202 km to Ukraine' "$TMP/lb.svg" && pass || fail "land border label"
printf 'from,to,label\nPyongyang,Vostochny Cosmodrome,\nRajin port,Dunai port,by sea\n' >"$TMP/links.csv"
expect_exit 0 "render --links" -- "$EVMAP" render "$ex" -o "$TMP/l.svg" --links "$TMP/links.csv" --units mi
grep -qF '896 mi' "$TMP/l.svg" && pass || fail "links: no 896 mi"
grep -qF 'by sea' "$TMP/l.svg" && pass || fail "links: no label"
printf 'from,to\nPyongyang,Seoul\nSeoul,Vladivostock\n' >"$TMP/bad-links.csv"
expect_exit 1 "links: unknown name" -- "$EVMAP" render "$ex" -o "$TMP/x.png" --links "$TMP/bad-links.csv"
expect_stderr 'bad-links.csv:3:7:'
expect_stderr 'did you mean "Vladivostok"?'
expect_no_file "$TMP/x.png"
printf 'to,label\nSeoul,x\n' >"$TMP/no-from.csv"
expect_exit 1 "links: no from column" -- "$EVMAP" render "$ex" -o "$TMP/x.png" --links "$TMP/no-from.csv"
expect_stderr 'no "from" column'
expect_exit 1 "render: unknown country" -- "$EVMAP" render "$ex" -o "$TMP/x.png" --border-distance Seoul:Narnia
expect_stderr 'no country is named or coded "Narnia"'
expect_exit 2 "render: bad --distance" -- "$EVMAP" render "$ex" -o "$TMP/x.png" --distance Seoul
expect_exit 1 "render: unknown place" -- "$EVMAP" render "$ex" -o "$TMP/x.png" --distance Seoul:Busan
expect_stderr 'no event is named "Busan"'

if [ -w /dev/full ]; then
  "$EVMAP" dist "$ex" >/dev/full 2>"$TMP/stderr"; [ $? -eq 3 ] && pass || fail "write error exit"
fi
finish
