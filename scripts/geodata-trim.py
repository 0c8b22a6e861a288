#!/usr/bin/env python3
"""Trims Natural Earth GeoJSON layers into the compact files of geodata/ne/.

Run by hand when the source changes, not by the build (the build packs
the trimmed files with evmap-geopack):

    scripts/geodata-trim.py /path/to/naturalearth geodata/ne

For each layer it keeps the properties evmap reads, rounds coordinates to
a precision finer than the scale shows, drops repeated vertices and
simplifies lines (Douglas-Peucker) by a tolerance per resolution. Names
keep Natural Earth's spelling; a carriage return inside a name (a line
break hint in ne_110m_lakes) becomes a space. Output is gzip with no
timestamp, so the same input always gives the same bytes.
"""
import gzip
import json
import os
import sys

# (output name, source name, properties kept, decimals, tolerance in degrees)
LAYERS = []
for res, dec, tol in (("110m", 2, 0.01), ("50m", 3, 0.004), ("10m", 3, 0.001)):
    rivers = ("ne_110m_rivers_lake_centerlines" if res == "110m"
              else "ne_%s_rivers_lake_centerlines_scale_rank" % res)
    LAYERS += [
        ("lakes-%s" % res, "ne_%s_lakes" % res,
         ("name", "scalerank", "min_label"), dec, tol),
        ("rivers-%s" % res, rivers, ("name", "scalerank", "featurecla"), dec, tol),
        ("places-%s" % res, "ne_%s_populated_places_simple" % res,
         ("name", "scalerank", "labelrank", "featurecla", "adm0cap",
          "pop_max", "adm0_a3"), 4, 0),
        ("marine-%s" % res, "ne_%s_geography_marine_polys" % res,
         ("name", "featurecla", "scalerank", "min_label", "max_label"), 2, 0.05),
    ]
LAYERS += [
    ("disputed-areas-10m", "ne_10m_admin_0_disputed_areas",
     ("NAME", "BRK_NAME", "TYPE", "SOVEREIGNT", "ADM0_A3", "NOTE_BRK"), 3, 0.001),
    ("disputed-lines-50m", "ne_50m_admin_0_boundary_lines_disputed_areas",
     ("featurecla", "name", "scalerank"), 3, 0.004),
    ("disputed-lines-10m", "ne_10m_admin_0_boundary_lines_disputed_areas",
     ("featurecla", "name", "scalerank"), 3, 0.001),
]


def seg_dist2(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return (p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) /
                     (dx * dx + dy * dy)))
    x, y = a[0] + t * dx, a[1] + t * dy
    return (p[0] - x) ** 2 + (p[1] - y) ** 2


def simplify(pts, tol, closed):
    """Douglas-Peucker, iterative; a ring keeps at least four points."""
    if tol <= 0 or len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        best, at = -1.0, -1
        for k in range(i + 1, j):
            d = seg_dist2(pts[k], pts[i], pts[j])
            if d > best:
                best, at = d, k
        if at >= 0 and best > tol * tol:
            keep[at] = True
            stack += [(i, at), (at, j)]
    out = [p for p, k in zip(pts, keep) if k]
    if closed and len(out) < 4:
        return pts if len(pts) < 8 else [pts[0], pts[len(pts) // 3],
                                         pts[2 * len(pts) // 3], pts[0]]
    return out


def line(coords, dec, tol, closed):
    out = []
    for x, y in ((c[0], c[1]) for c in coords):
        p = [round(x, dec), round(y, dec)]
        if not out or out[-1] != p:
            out.append(p)
    return simplify(out, tol, closed)


def geometry(g, dec, tol):
    t, c = g["type"], g["coordinates"]
    if t == "Point":
        return {"type": t, "coordinates": [round(c[0], dec), round(c[1], dec)]}
    if t == "LineString":
        return {"type": t, "coordinates": line(c, dec, tol, False)}
    if t == "MultiLineString":
        lines = [line(l, dec, tol, False) for l in c]
        return {"type": t, "coordinates": [l for l in lines if len(l) >= 2]}
    if t == "Polygon":
        rings = [line(r, dec, tol, True) for r in c]
        return {"type": t, "coordinates": [r for r in rings if len(r) >= 4]}
    if t == "MultiPolygon":
        polys = [[r for r in (line(r, dec, tol, True) for r in p) if len(r) >= 4]
                 for p in c]
        return {"type": t, "coordinates": [p for p in polys if p]}
    raise ValueError("geometry type %s" % t)


def main(src, dst):
    os.makedirs(dst, exist_ok=True)
    for out, name, props, dec, tol in LAYERS:
        with gzip.open(os.path.join(src, name + ".json.gz"), "rt",
                       encoding="utf-8") as f:
            data = json.load(f)
        feats = []
        for ft in data["features"]:
            if not ft.get("geometry"):
                continue
            p = {}
            for k in props:
                v = ft["properties"].get(k)
                if isinstance(v, str):
                    v = v.replace("\r", " ")
                p[k.lower()] = v
            g = geometry(ft["geometry"], dec, tol)
            if not g["coordinates"] or (g["type"] == "LineString" and
                                        len(g["coordinates"]) < 2):
                continue  # nothing left at this precision
            feats.append({"type": "Feature", "properties": p, "geometry": g})
        text = json.dumps({"type": "FeatureCollection", "features": feats},
                          ensure_ascii=False, separators=(",", ":"))
        path = os.path.join(dst, out + ".geojson.gz")
        with open(path, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                               compresslevel=9) as f:
                f.write(text.encode("utf-8"))
        print("%s: %d features from %s" % (path, len(feats), name))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: geodata-trim.py NATURALEARTH_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
