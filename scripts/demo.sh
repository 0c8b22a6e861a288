#!/usr/bin/env bash
# Renders the bundled examples into an output folder: `make demo`.
set -euo pipefail
evmap=${1:-build/evmap}
out=${2:-out}
mkdir -p "$out"
for fmt in png svg pdf; do
  "$evmap" render examples/korea-russia-2023/events.csv \
    --title "North Korea and Russia, September–October 2023" \
    -o "$out/korea-russia-2023.$fmt"
  "$evmap" render examples/korea-peninsula/events.csv \
    --title "The Korean peninsula, October 2023" \
    -o "$out/korea-peninsula.$fmt"
done
# Distances from the report: geodesics and the nearest point of a border.
"$evmap" render examples/korea-russia-2023/events.csv \
  --title "Distances in the report" \
  --subtitle "Geodesics on the WGS84 ellipsoid" \
  --distance "Vostochny Cosmodrome:Moscow" \
  --distance "Seoul:Cheongju International Airport" \
  --border-distance "Tikhoretsk ammunition depot:Ukraine" \
  -o "$out/korea-russia-2023-distances.png"
"$evmap" dist examples/korea-russia-2023/events.csv --to-border Ukraine \
  --format table >"$out/distances-to-ukraine.txt"
# The shipment the report describes: by sea from Rajin to Dunai, then by
# rail across Russia to the depot near Tikhoretsk; the lines as GeoJSON.
for fmt in png svg pdf; do
  "$evmap" render examples/korea-russia-2023/events.csv \
    --routes examples/korea-russia-2023/routes.csv \
    --title "From Rajin to Tikhoretsk: the route of the containers" \
    --subtitle "By sea to Dunai, then by rail across Russia" \
    --geojson "$out/korea-russia-2023-route.geojson" \
    -o "$out/korea-russia-2023-route.$fmt"
done
# A route across the antimeridian, Pacific-centred and on a world map.
"$evmap" render examples/north-pacific/events.csv \
  --routes examples/north-pacific/routes.csv \
  --title "Across the North Pacific by sea" -o "$out/north-pacific.png"
"$evmap" render examples/north-pacific/events.csv \
  --routes examples/north-pacific/routes.csv \
  --title "Across the North Pacific by sea, on a world map" \
  --proj "+proj=eqearth +lon_0=0" --extent=-180,-60,180,85 \
  -o "$out/north-pacific-world.png"
"$evmap" routes examples/korea-russia-2023/routes.csv \
  --events examples/korea-russia-2023/events.csv \
  -o "$out/korea-russia-2023-route-lengths.csv"
echo "evmap: maps written to $out/:"
ls -1 "$out"

# Batch: one map per event of the Korea–Russia example, and one frame per
# day of the first week of the 2023 Tour de France (cumulative).
"$evmap" batch --quiet --each-event examples/korea-russia-2023/events.csv \
  --radius-km 400 -o "$out/each-event/{name}.png"
"$evmap" batch --quiet --frames daily \
  --events examples/tour-de-france-2023/events.csv \
  --title "Tour de France 2023: stage finishes" -o "$out/frames/{date}.png"
echo "evmap: batch maps written to $out/each-event/ and $out/frames/:"
ls -1 "$out/each-event" "$out/frames"
