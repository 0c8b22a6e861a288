#!/usr/bin/env python3
"""Writes the dense-map benchmark inputs (deterministic, seed 1):

    bench/gen_dense.py cities OUT.csv [N]   N "world cities" (default 100,000):
        Natural Earth 1:10m populated places, each repeated with a jitter
        of up to ~0.5 degree around it, population scaled down for the
        copies; columns name,lat,lon,kind,population
    bench/gen_dense.py events OUT.csv [N]   N clustered events (default
        1,000,000): 300 centres on land-ish latitudes, each event drawn
        around one of them (Gaussian, sigma 0.2-3 degrees) plus 5 % spread
        uniformly; columns name,lat,lon,kind,date

The files are generated at bench time and never committed."""
import gzip
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NE = os.environ.get(
    "EVM_NATURALEARTH",
    os.path.join(HERE, "..", "..", "shared", "naturalearth"))


def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


def cities(out, n):
    path = os.path.join(NE, "ne_10m_populated_places_simple.json.gz")
    if not os.path.exists(path):
        path = "/work/shared/naturalearth/ne_10m_populated_places_simple.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        feats = json.load(f)["features"]
    places = []
    for ft in feats:
        p = ft["properties"]
        kind = "capital" if p.get("adm0cap") else "city"
        places.append((p["name"], p["latitude"], p["longitude"], kind,
                       int(p.get("pop_max") or 0)))
    places.sort(key=lambda t: -t[4])
    with open(out, "w", encoding="utf-8") as f:
        f.write("name,lat,lon,kind,population\n")
        for i in range(n):
            name, lat, lon, kind, pop = places[i % len(places)]
            copy = i // len(places)
            if copy:
                lat = clamp(lat + random.gauss(0, 0.25), -89.9, 89.9)
                lon = clamp(lon + random.gauss(0, 0.25), -179.99, 179.99)
                name = "%s %d" % (name, copy)
                kind = "town"
                pop = max(1, pop // (10 * (copy + 1)))
            f.write('"%s",%.5f,%.5f,%s,%d\n' % (name.replace('"', '""'),
                                                 lat, lon, kind, pop))


def events(out, n):
    kinds = ["battle", "protest", "explosion", "riot", "strategic"]
    centres = [(random.uniform(-45, 65), random.uniform(-170, 170),
                random.uniform(0.2, 3.0)) for _ in range(300)]
    with open(out, "w", encoding="utf-8") as f:
        f.write("name,lat,lon,kind,date\n")
        for i in range(n):
            if random.random() < 0.05:
                lat, lon = random.uniform(-60, 75), random.uniform(-180, 180)
            else:
                clat, clon, s = centres[int(random.random() ** 2 * 300)]
                lat = clamp(random.gauss(clat, s), -89.9, 89.9)
                lon = clamp(random.gauss(clon, s), -179.99, 179.99)
            f.write("E%d,%.5f,%.5f,%s,2023-%02d-%02d\n" % (
                i, lat, lon, kinds[i % 5], 1 + i % 12, 1 + i % 28))


def main():
    random.seed(1)
    what, out = sys.argv[1], sys.argv[2]
    if what == "cities":
        cities(out, int(sys.argv[3]) if len(sys.argv) > 3 else 100000)
    elif what == "events":
        events(out, int(sys.argv[3]) if len(sys.argv) > 3 else 1000000)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
