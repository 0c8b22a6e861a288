#!/usr/bin/env bash
# Places by name: evmap geocode, render --geocode, dist and routes with
# names the gazetteer resolves, and the GeoNames credit.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/places-by-name/events.csv"

expect_exit 0 "geocode Springfield" -- "$EVMAP" geocode Springfield
expect_stderr 'warning: "Springfield" names'
expect_stderr "Springfield, US (Illinois)"
expect_stdout "query,name,lat,lon,country,admin1,source,alternatives"
[ "$(grep -c '^Springfield,' "$TMP/stdout")" -eq 1 ] && pass || fail "one row"

expect_exit 0 "geocode json" -- "$EVMAP" geocode --format json Rajin "Paris, US"
python3 - "$TMP/stdout" <<'PY' && pass || fail "geocode JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["country"] for r in d] == ["KP", "US"], d
assert d[0]["source"] == "geonames"
assert abs(d[0]["lat"] - 42.2556) < 0.05 and abs(d[0]["lon"] - 130.283) < 0.05
PY

expect_exit 1 "unknown name" -- "$EVMAP" geocode Vladivostk
expect_stderr "did you mean Vladivostok"

expect_exit 1 "names without --geocode" -- "$EVMAP" render "$ex" -o "$TMP/a.svg"
expect_stderr "no latitude column"
expect_exit 0 "render --geocode" -- "$EVMAP" render "$ex" --geocode \
  -o "$TMP/a.svg"
expect_stderr '"Moscow" names 2 places'
grep -q "GeoNames" "$TMP/a.svg" && pass || fail "GeoNames credited"
expect_exit 0 "geocode a file" -- "$EVMAP" geocode "$ex" --format json
python3 - "$TMP/stdout" <<'PY' && pass || fail "event positions"
import json, math, sys
ref = {"Pyongyang": (39.0214, 125.7527), "Seoul": (37.5683, 126.9978),
       "Vladivostok": (43.1300, 131.9100), "Rajin": (42.2556, 130.2831),
       "Khabarovsk": (48.4550, 135.1200), "Tikhoretsk": (45.8531, 40.1377),
       "Moscow": (55.7541, 37.6136), "Beijing": (39.9308, 116.3863)}
seen = set()
for r in json.load(open(sys.argv[1])):
    n = r["query"]
    if n in ref:
        lat, lon = r["lat"], r["lon"]
        la, lo = ref[n]
        d = 6371 * math.acos(min(1, math.sin(math.radians(lat)) * math.sin(math.radians(la)) +
            math.cos(math.radians(lat)) * math.cos(math.radians(la)) * math.cos(math.radians(lon - lo))))
        assert d < 10, (n, d)
        seen.add(n)
assert seen == set(ref), seen
PY

printf 'output\n%s\n' "$TMP/b.svg" >"$TMP/jobs.csv"
expect_exit 0 "batch --geocode" -- "$EVMAP" batch "$TMP/jobs.csv" --events "$ex" \
  --geocode --quiet
grep -q "Places: GeoNames (CC BY 4.0)" "$TMP/b.svg" && pass ||
  fail "batch --geocode does not credit GeoNames"

# A geocode column: two jobs over one names-only file (empty coordinate
# cells), one placing the rows by name and one not, on two threads. The
# one without reports every row, counted; each map credits GeoNames only
# when GeoNames placed one of its own events (Rajin, kind port).
{ echo "name,kind,lat,lon"; tail -n +2 "$ex" | cut -d, -f1,2 | sed 's/$/,,/'; } \
  >"$TMP/names.csv"
{
  echo "output,geocode,extent,where"
  echo "$TMP/g-on.svg,yes,,"
  echo "$TMP/g-off.svg,no,\"100,30,140,60\","
  echo "$TMP/g-capitals.svg,yes,,kind=capital"
  echo "$TMP/g-ports.svg,yes,,kind=port"
} >"$TMP/gj.csv"
expect_exit 0 "batch geocode column" -- "$EVMAP" batch "$TMP/gj.csv" \
  --events "$TMP/names.csv" --skip-invalid -j 2 --quiet
[ "$(grep -c 'names.csv:[0-9]*:[0-9]*: latitude is empty' "$TMP/stderr")" -eq 8 ] &&
  pass || fail "the 8 unplaced rows are not each reported"
expect_stderr "names.csv (read without geocode): 8 invalid rows left out of its maps"
expect_stderr '"Moscow" names 2 places'
for m in on ports; do
  grep -q "Places: GeoNames (CC BY 4.0)" "$TMP/g-$m.svg" && pass ||
    fail "g-$m.svg does not credit GeoNames"
done
for m in off capitals; do
  ! grep -q "GeoNames" "$TMP/g-$m.svg" && pass ||
    fail "g-$m.svg credits GeoNames, which placed none of its events"
done
! grep -q "data-event" "$TMP/g-off.svg" && pass || fail "g-off.svg drew events"
# Positions: render's GeoJSON of the same file (batch writes none; the
# parity below shows both draw the same map).
expect_exit 0 "render the names file" -- "$EVMAP" render "$TMP/names.csv" \
  --geocode --title names -o "$TMP/g.svg" --geojson "$TMP/g.geojson"
python3 - "$TMP/g.geojson" <<'PY' && pass || fail "positions of the names"
import json, math, sys
# Wikipedia's coordinates of each city.
ref = {"Pyongyang": (39.0194, 125.7381), "Seoul": (37.5667, 126.9783),
       "Vladivostok": (43.1167, 131.9000), "Rajin": (42.2500, 130.3000),
       "Khabarovsk": (48.4833, 135.0833), "Tikhoretsk": (45.8500, 40.1167),
       "Moscow": (55.7558, 37.6172), "Beijing": (39.9067, 116.3975)}
seen = set()
for f in json.load(open(sys.argv[1]))["features"]:
    n = f["properties"].get("name")
    if f["geometry"]["type"] != "Point" or n not in ref:
        continue
    lon, lat = f["geometry"]["coordinates"][:2]
    la, lo = ref[n]
    p1, p2 = math.radians(lat), math.radians(la)
    h = (math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) *
         math.sin(math.radians(lo - lon) / 2) ** 2)
    d = 2 * 6371 * math.asin(math.sqrt(h))
    assert d < 10, (n, d)
    seen.add(n)
assert seen == set(ref), seen
PY
printf 'output,geocode\n%s,yes\n' "$TMP/gb.svg" >"$TMP/gb.csv"
expect_exit 0 "batch one geocoded map" -- "$EVMAP" batch "$TMP/gb.csv" \
  --events "$TMP/names.csv" --quiet --title names
cmp -s "$TMP/g.svg" "$TMP/gb.svg" && pass || fail "render and batch differ"
# No job geocodes: a places file that cannot be read is never opened.
# When jobs geocode the default events file, the batch stops before any
# map, on the places file.
printf 'output,extent,geocode\n%s,"100,30,140,60",no\n' "$TMP/np.svg" \
  >"$TMP/np.csv"
expect_exit 0 "no job geocodes" -- "$EVMAP" batch "$TMP/np.csv" \
  --events "$TMP/names.csv" --places "$TMP/missing.csv" --skip-invalid --quiet
printf 'output,extent\n%s,"100,30,140,60"\n' "$TMP/np2.svg" >"$TMP/np2.csv"
expect_exit 1 "a job geocodes with a missing places file" -- "$EVMAP" batch \
  "$TMP/np2.csv" --events "$TMP/names.csv" --places "$TMP/missing.csv" \
  --skip-invalid --quiet
expect_stderr "missing.csv: cannot open"
[ ! -e "$TMP/np2.svg" ] && pass || fail "a map was written"

expect_exit 0 "dist by names" -- "$EVMAP" dist "$ex" --geocode Seoul Novorossiysk
expect_stdout "Novorossiysk"
printf 'from,to,mode,via\nSeoul,Vladivostok,sea,Busan\n' >"$TMP/r.csv"
expect_exit 0 "routes with a gazetteer via" -- "$EVMAP" routes "$TMP/r.csv" \
  --events "$ex" --geocode
expect_exit 1 "routes via without gazetteer" -- "$EVMAP" routes "$TMP/r.csv" \
  --events "$ex"
# --center by a gazetteer name (Busan is no event of the example):
# render and a batch center cell frame the same map; without --geocode
# the name is not known.
kr="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"
expect_exit 0 "render --center a place" -- "$EVMAP" render "$kr" --geocode \
  --center Busan --radius-km 150 -o "$TMP/c.svg"
printf 'output,center,radius-km\n%s,Busan,150\n' "$TMP/cb.svg" >"$TMP/cj.csv"
expect_exit 0 "batch center a place" -- "$EVMAP" batch "$TMP/cj.csv" \
  --events "$kr" --geocode --quiet
cmp -s "$TMP/c.svg" "$TMP/cb.svg" && pass || fail "render and batch centre differ"
# A name placed by GeoNames in a distance line (Kstovo is no event of the
# example, and only GeoNames has it): render and a batch job that
# geocodes credit it alike; a job that does not geocode cannot find it.
expect_exit 0 "render a GeoNames distance" -- "$EVMAP" render "$kr" --geocode \
  --distance "Moscow:Kstovo" -o "$TMP/k.svg"
grep -q "Places: GeoNames (CC BY 4.0)" "$TMP/k.svg" && pass ||
  fail "render does not credit GeoNames for a distance line's place"
{
  echo "output,distance,geocode"
  echo "$TMP/kb.svg,Moscow:Kstovo,yes"
  echo "$TMP/kn.svg,Moscow:Kstovo,no"
} >"$TMP/kj.csv"
expect_exit 4 "batch GeoNames distance" -- "$EVMAP" batch "$TMP/kj.csv" \
  --events "$kr" --quiet
cmp -s "$TMP/k.svg" "$TMP/kb.svg" && pass || fail "render and batch differ"
expect_stderr 'no event is named "Kstovo"'
[ ! -e "$TMP/kn.svg" ] && pass || fail "the job without geocode drew a map"
expect_exit 1 "render --center unknown without --geocode" -- "$EVMAP" render \
  "$kr" --center Busan -o "$TMP/c3.svg"
expect_stderr 'no event is named "Busan"'
expect_stderr 'place names need --geocode'
[ ! -e "$TMP/c3.svg" ] && pass || fail "a map was written"
expect_exit 2 "radius without center" -- "$EVMAP" render "$kr" \
  --radius-km 100 -o "$TMP/c3.svg"
finish
