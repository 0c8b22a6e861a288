#!/usr/bin/env bash
# Sea legs stay at sea, checked as the issue states it: along the GeoJSON
# that `render --geojson` writes, no stretch longer than 3 km lies on the
# 1:10m land farther than 10 km from the ports. The land is read here
# straight from geodata/countries-10m.json (TopoJSON decoded in Python,
# crossing-number test, every 500 m along the great circle between
# consecutive GeoJSON vertices), independently of the router's grid.
# Odesa -> Novorossiysk must also be under 760 km and pass south of
# Crimea's cape. Ports are Natural Earth's (geodata/gazetteer.csv).
. "$(dirname "$0")/lib.sh"

printf 'name,lat,lon,kind\nVladivostok,43.09444,131.88775,port\nPetropavlovsk-Kamchatsky,53.05,158.65,port\nOdesa,46.50111,30.73704,port\nNovorossiysk,44.715,37.80442,port\n' >"$TMP/ports.csv"
printf 'route,from,to,mode\nNorth Pacific,Vladivostok,Petropavlovsk-Kamchatsky,sea\nBlack Sea,Odesa,Novorossiysk,sea\n' >"$TMP/legs.csv"
expect_exit 0 "render --geojson" -- "$EVMAP" render "$TMP/ports.csv" \
  --routes "$TMP/legs.csv" -o "$TMP/m.svg" --geojson "$TMP/m.geojson"
python3 - "$EVM_SOURCE_DIR/geodata/countries-10m.json" "$TMP/m.geojson" <<'PY' && pass || fail "sea legs over land"
import json, math, sys
topo = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
legs = [f for f in doc["features"] if f["properties"].get("kind") == "route-leg"]
assert len(legs) == 2, legs
# Only the rings near the legs: their box widened by a degree.
lons = [c[0] for f in legs for c in f["geometry"]["coordinates"]]
lats = [c[1] for f in legs for c in f["geometry"]["coordinates"]]
W, E, S, N = min(lons) - 1, max(lons) + 1, min(lats) - 1, max(lats) + 1
sc, tr = topo["transform"]["scale"], topo["transform"]["translate"]
arcs = []
for a in topo["arcs"]:
    x = y = 0
    pts = []
    for dx, dy in a:
        x += dx
        y += dy
        pts.append((x * sc[0] + tr[0], y * sc[1] + tr[1]))
    arcs.append(pts)
rings = []
for g in topo["objects"]["countries"]["geometries"]:
    polys = {"Polygon": [g.get("arcs")], "MultiPolygon": g.get("arcs")}.get(g["type"], [])
    for poly in polys:
        for r in poly:
            pts = []
            for i in r:
                p = arcs[i] if i >= 0 else arcs[~i][::-1]
                pts.extend(p if not pts else p[1:])
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            box = (min(xs), min(ys), max(xs), max(ys))
            if box[2] >= W and box[0] <= E and box[3] >= S and box[1] <= N:
                rings.append((box, pts))
def on_land(lon, lat):
    inside = False
    for (w, s, e, n), pts in rings:
        if lon < w or lon > e or lat < s or lat > n:
            continue
        j = len(pts) - 1
        for i in range(len(pts)):
            (xi, yi), (xj, yj) = pts[i], pts[j]
            if (yi > lat) != (yj > lat) and lon < xj + (lat - yj) * (xi - xj) / (yi - yj):
                inside = not inside
            j = i
    return inside
R = 6371008.8
def vec(p):
    lo, la = map(math.radians, p)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))
def dist(a, b):
    d = sum(x * y for x, y in zip(vec(a), vec(b)))
    return R * math.acos(max(-1.0, min(1.0, d)))
def along(a, b, t):
    va, vb = vec(a), vec(b)
    d = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(va, vb)))))
    if d < 1e-12:
        return a
    f1, f2 = math.sin((1 - t) * d) / math.sin(d), math.sin(t * d) / math.sin(d)
    v = [f1 * x + f2 * y for x, y in zip(va, vb)]
    return (math.degrees(math.atan2(v[1], v[0])), math.degrees(math.atan2(v[2], math.hypot(v[0], v[1]))))
for f in legs:
    c = f["geometry"]["coordinates"]
    assert f["properties"]["routing"] == "sea", f["properties"]
    ends = (c[0], c[-1])
    worst = run = 0.0
    for i in range(1, len(c)):
        L = dist(c[i - 1], c[i])
        n = max(1, int(L / 500))
        for k in range(n + 1):
            p = along(c[i - 1], c[i], k / n)
            near = min(dist(p, e) for e in ends) < 10000
            run = run + L / n if not near and on_land(*p) else 0.0
            worst = max(worst, run)
    name = f["properties"]["route"]
    assert worst <= 3000, "%s: %.1f km on land" % (name, worst / 1000)
    if name == "Black Sea":
        km = f["properties"]["distance_km"]
        assert km < 760, km
        # Round Crimea: south of its cape (44.39 N) where it crosses 34 E.
        south = any((a[0] - 34) * (b[0] - 34) <= 0 and
                    a[1] + (b[1] - a[1]) * (34 - a[0]) / ((b[0] - a[0]) or 1) < 44.39
                    for a, b in zip(c, c[1:]))
        assert south, "not round Crimea"
PY
finish
