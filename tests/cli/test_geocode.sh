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
grep -q "GeoNames" "$TMP/b.svg" 2>/dev/null || [ -s "$TMP/b.svg" ] && pass ||
  fail "batch --geocode wrote no map"

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
expect_exit 1 "render --center unknown without --geocode" -- "$EVMAP" render \
  "$kr" --center Busan -o "$TMP/c3.svg"
expect_stderr 'no event is named "Busan"'
expect_stderr 'place names need --geocode'
[ ! -e "$TMP/c3.svg" ] && pass || fail "a map was written"
expect_exit 2 "radius without center" -- "$EVMAP" render "$kr" \
  --radius-km 100 -o "$TMP/c3.svg"
finish
