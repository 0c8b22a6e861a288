#!/usr/bin/env python3
"""Writes a CSV of events of about SIZE_MB megabytes (default 100) for
timing the loader: name,lat,lon,kind,date,notes with a quoted note
holding a comma in every row. Deterministic (seed 1).
    bench/gen_big_csv.py OUT.csv [SIZE_MB]"""
import random
import sys

out = sys.argv[1]
size_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 100
random.seed(1)
kinds = ["capital", "city", "port", "base", "site"]
with open(out, "w") as f:
    f.write("name,lat,lon,kind,date,notes\n")
    size = i = 0
    while size < size_mb * 1024 * 1024:
        line = 'Place %d,%.5f,%.5f,%s,2023-%02d-%02d,"note, with comma %d"\n' % (
            i, random.uniform(-89, 89), random.uniform(-179, 179),
            kinds[i % 5], 1 + i % 12, 1 + i % 28, i)
        f.write(line)
        size += len(line)
        i += 1
