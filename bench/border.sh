#!/usr/bin/env bash
# Border distances (docs/dist.md, docs/performance.md): `evmap dist
# --to-border China` (Natural Earth 1:10m) for 1,000,000 points, by an
# older evmap and by this build, back to back (/usr/bin/time); then the
# two outputs compared (largest difference of distance and of the
# nearest point's coordinates).
#
#   bench/border.sh OLD_EVMAP [BUILD_DIR] [globe|asia] [N]
#
# asia (the default): points over Korea, China and the Russian Far East
# (30-55 N, 110-145 E), most of them inside China or near its border;
# globe: points uniform over the sphere, most of them thousands of km away.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
build=${2:-build}
kind=${3:-asia}
n=${4:-1000000}
new=$build/evmap
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for tool in /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/border.sh needs $tool (apt-get install time)" >&2; exit 1; }
done

# A fixed linear congruential generator: the same points every run.
awk -v n="$n" -v kind="$kind" 'BEGIN {
  print "name,lat,lon"; s = 12345; m = 2147483648
  for (i = 1; i <= n; i++) {
    s = (s * 1103515245 + 12345) % m; u = s / m
    s = (s * 1103515245 + 12345) % m; v = s / m
    if (kind == "globe") { z = 2 * u - 1; lat = atan2(z, sqrt(1 - z * z)) * 57.29577951308232; lon = -180 + 360 * v }
    else { lat = 30 + 25 * u; lon = 110 + 35 * v }
    printf "p%d,%.5f,%.5f\n", i, lat, lon
  }
}' >"$out/points.csv"

echo "== $n points ($kind), $(nproc) processors, load: $(uptime | sed 's/.*load average: //')"
# One run each, back to back (the old build takes minutes on 10^6
# points): wall and CPU time, peak memory.
for side in old new; do
  b=${!side}
  /usr/bin/time -f "$side: %e s wall, %U s user, %S s system, %M kB peak" \
    "$b" dist "$out/points.csv" --to-border China >"$out/$side.out"
done
echo "   load after: $(uptime | sed 's/.*load average: //')"
echo "== largest differences, old against new (distance in m, nearest point in degrees)"
paste -d, "$out/old.out" "$out/new.out" | awk -F, 'NR > 1 {
  d = ($3 - $10) * 1000; if (d < 0) d = -d; if (d > md) md = d
  a = $4 - $11; if (a < 0) a = -a; if (a > ma) ma = a
  b = $5 - $12; if (b < 0) b = -b; if (b > 180) b = 360 - b; if (b > mb) mb = b
  if ($6 != $13) inside++
} END { printf "distance %.9f m, latitude %.9f, longitude %.9f, inside differs %d times\n", md, ma, mb, inside }'
echo "  (time to start and read the points alone: \`$new info\`)"
/usr/bin/time -f "  info: %e s wall, %U s user" "$new" info "$out/points.csv" >/dev/null
