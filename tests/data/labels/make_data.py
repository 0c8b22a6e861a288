#!/usr/bin/env python3
"""Makes the label-placement test data from Natural Earth populated places
(the Natural Earth GeoJSON folder named by NE_DIR, by default
shared/naturalearth beside the repository), reproducibly:

  capitals-40.csv  the 40 most populous national capitals (adm0cap = 1),
                   always including Seoul, Pyongyang, Beijing and Tokyo,
                   in descending population.
  seoul-60.csv     60 events round Seoul from a fixed-seed generator:
                   Seoul first (a capital), then 59 points within 1.5
                   degrees of latitude and 2.0 of longitude (about 170
                   km), none within 0.28 degrees (31 km) of another,
                   names "Site 2" .. "Site 60", five kinds.
  kinds-13a.csv / kinds-13b.csv
                   the same 13 kinds in two different orders.
  world-cities.csv (only with --cities N, default not written: large)
                   the 7,343 Natural Earth places, then further points
                   made by jittering them with a fixed seed, N rows.
"""
import csv, gzip, json, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))
NE = os.environ.get(
    "NE_DIR", os.path.join(HERE, "..", "..", "..", "..", "shared", "naturalearth"))


def places():
    with gzip.open(os.path.join(NE, "ne_10m_populated_places_simple.json.gz")) as f:
        return [x["properties"] for x in json.load(f)["features"]]


def write(name, rows, header):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def capitals(ps):
    caps = [p for p in ps if p["adm0cap"] == 1]
    caps.sort(key=lambda p: (-p["pop_max"], p["name"]))
    must = {"Seoul", "Pyongyang", "Beijing", "Tokyo"}
    top = [p for p in caps if p["name"] in must]
    for p in caps:
        if len(top) >= 40:
            break
        if p not in top:
            top.append(p)
    top.sort(key=lambda p: (-p["pop_max"], p["name"]))
    return [[p["name"], "%.4f" % p["latitude"], "%.4f" % p["longitude"],
             "capital", p["pop_max"]] for p in top]


def seoul60():
    # Poisson-disc style: candidates closer than SEP degrees to a kept
    # point are redrawn, so that markers do not pile onto one another.
    rng = random.Random(12)
    kinds = ["military", "protest", "drone strike", "accident", "port"]
    rows = [["Seoul", "37.5665", "126.9780", "capital", "10"]]
    pts = [(37.5665, 126.978)]
    SEP = float(os.environ.get("SEP", "0.28"))
    while len(rows) < 60:
        lat = 37.5665 + rng.uniform(-LAT, LAT)
        lon = 126.978 + rng.uniform(-LON, LON)
        if any((lat - a) ** 2 + ((lon - b) * 0.79) ** 2 < SEP ** 2 for a, b in pts):
            continue
        pts.append((lat, lon))
        rows.append(["Site %d" % len(rows) if False else "Site %d" % (len(rows) + 1),
                     "%.4f" % lat, "%.4f" % lon,
                     kinds[rng.randrange(len(kinds))], rng.randrange(1, 200)])
    return rows


LAT = float(os.environ.get("LAT", "1.5"))
LON = float(os.environ.get("LON", "2.0"))


KINDS13 = ["capital", "military", "protest", "drone strike", "accident",
           "port", "summit", "iOS leak", "airstrike", "ceasefire",
           "shipment", "arrest", "election"]


def kinds13(order):
    rng = random.Random(13)
    rows = []
    for j, k in enumerate(order):
        rows.append(["%s %d" % (k, j), "%.3f" % (35 + rng.uniform(0, 8)),
                     "%.3f" % (125 + rng.uniform(0, 12)), k])
    return rows


def cities(ps, n):
    rng = random.Random(100000)
    rows = [[p["name"], "%.4f" % p["latitude"], "%.4f" % p["longitude"],
             "capital" if p["adm0cap"] == 1 else "city", p["pop_max"]]
            for p in ps]
    base = list(rows)
    while len(rows) < n:
        b = base[rng.randrange(len(base))]
        lat = max(-89.0, min(89.0, float(b[1]) + rng.gauss(0, 1.5)))
        lon = (float(b[2]) + rng.gauss(0, 1.5) + 180) % 360 - 180
        rows.append(["%s %d" % (b[0], len(rows)), "%.4f" % lat, "%.4f" % lon,
                     "town", rng.randrange(1000, 100000)])
    return rows[:n]


def main():
    ps = places()
    write("capitals-40.csv", capitals(ps), ["name", "lat", "lon", "kind", "population"])
    write("seoul-60.csv", seoul60(), ["name", "lat", "lon", "kind", "fatalities"])
    write("kinds-13a.csv", kinds13(KINDS13), ["name", "lat", "lon", "kind"])
    write("kinds-13b.csv", kinds13(list(reversed(KINDS13))), ["name", "lat", "lon", "kind"])
    if "--cities" in sys.argv:
        i = sys.argv.index("--cities")
        n = int(sys.argv[i + 1]) if i + 1 < len(sys.argv) else 100000
        out = sys.argv[i + 2] if i + 2 < len(sys.argv) else "world-cities.csv"
        with open(out, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["name", "lat", "lon", "kind", "population"])
            w.writerows(cities(ps, n))


main()
