#!/usr/bin/env python3
"""Extracts the gazetteer of geodata/gazetteer.csv from Natural Earth.

Run by hand when the source changes, not by the build:

    scripts/gazetteer-extract.py /path/to/naturalearth > geodata/gazetteer.csv

Reads ne_10m_populated_places_simple.json.gz (7,343 places) and
ne_10m_ports.json.gz (1,081 ports) and writes one CSV row per place:

    name,alt,lat,lon,country,country_name,admin1,population,kind

alt holds the other spellings Natural Earth lists (namealt, nameascii
when it differs), separated by ';'; country is ISO 3166-1 alpha-2 ("" for
Kosovo, Somaliland and Northern Cyprus, which have none); kind is "city"
or "port". Ports carry no country in Natural Earth: a port takes the
country of the nearest populated place within 100 km, else none.
Coordinates are rounded to 1e-5 degree (about 1 m). Rows are sorted by
name, so the same input always gives the same bytes.
"""
import csv
import gzip
import json
import math
import os
import sys


def load(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)["features"]


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((la2 - la1) / 2) ** 2 +
         math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def main():
    src = sys.argv[1]
    rows = []
    places = []
    for ft in load(os.path.join(src, "ne_10m_populated_places_simple.json.gz")):
        p = ft["properties"]
        lon, lat = ft["geometry"]["coordinates"][:2]
        alts = []
        for a in (p.get("namealt") or "").split("|"):
            a = a.strip()
            if a and a != p["name"] and a not in alts:
                alts.append(a)
        asc = (p.get("nameascii") or "").strip()
        if asc and asc != p["name"] and asc not in alts:
            alts.append(asc)
        iso = p.get("iso_a2") or ""
        iso = "" if iso == "-99" else iso
        row = [p["name"].strip(), ";".join(alts), "%.5f" % lat, "%.5f" % lon,
               iso, p.get("adm0name") or "", p.get("adm1name") or "",
               str(int(p.get("pop_max") or 0)), "city"]
        rows.append(row)
        places.append((lat, lon, iso, row[5]))
    for ft in load(os.path.join(src, "ne_10m_ports.json.gz")):
        p = ft["properties"]
        lon, lat = ft["geometry"]["coordinates"][:2]
        best, iso, cname = 100.0, "", ""
        for q in places:
            if abs(q[0] - lat) > 1.5:
                continue
            d = km((lat, lon), q)
            if d < best:
                best, iso, cname = d, q[2], q[3]
        rows.append([(p["name"] or "").strip(), "", "%.5f" % lat,
                     "%.5f" % lon, iso, cname, "", "0", "port"])
    rows = [r for r in rows if r[0]]
    rows.sort(key=lambda r: (r[0], r[8], r[4], r[2], r[3]))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["name", "alt", "lat", "lon", "country", "country_name",
                "admin1", "population", "kind"])
    w.writerows(rows)


main()
