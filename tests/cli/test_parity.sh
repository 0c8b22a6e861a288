#!/usr/bin/env bash
# Parity of render and batch: every option render shares with batch's
# jobs file, given as a command-line flag to render and as a cell of a
# one-row jobs file, draws the same map, byte for byte: SVG, PDF (with
# SOURCE_DATE_EPOCH) and PNG (the page alone decides its bands, painted
# and compressed the same on one thread as on two). The shared options are read
# from the binary (`evmap help --columns`), so an option added to both
# without a case here fails this test.
source "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1700000000
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023"
events="$ex/events.csv"
mkdir -p "$TMP/r" "$TMP/b"

render_opts=$("$EVMAP" render --help |
  sed -n 's/^  \(-[a-z], \)\{0,1\}--\([a-z0-9-]*\).*/\2/p')
shared=$("$EVMAP" help --columns | cut -d' ' -f1 |
  grep -Fxf <(echo "$render_opts"))
[ "$(echo "$shared" | wc -l)" -ge 20 ] && pass ||
  fail "only $(echo "$shared" | wc -l) options shared by render and batch"
declare -A covered=([output]=1)

# One CSV cell: quoted, quotes doubled.
cell() { local v=${1//\"/\"\"}; printf '"%s"' "$v"; }

n=0
# parity EXT KEY VALUE [KEY VALUE ...]: a flag's VALUE is "-" (render
# --flag, cell yes); a repeatable option given twice is one cell "a;b".
# PEVENTS, when set, is the events file instead of the example's.
parity() {
  local ext=$1; shift
  n=$((n + 1))
  local out_r="$TMP/r/$n.$ext" out_b="$TMP/b/$n.$ext"
  local args=() header="output" row
  row=$(cell "$out_b")
  declare -A cells=()
  local order=() what="$*"
  while [ $# -gt 0 ]; do
    local key=$1 value=$2; shift 2
    covered[$key]=1
    if [ "$value" = - ]; then
      args+=("--$key"); value=yes
    else
      args+=("--$key" "$value")
    fi
    if [ -n "${cells[$key]+x}" ]; then
      cells[$key]="${cells[$key]};$value"
    else
      cells[$key]=$value; order+=("$key")
    fi
  done
  for key in "${order[@]}"; do
    header+=",$key"; row+=",$(cell "${cells[$key]}")"
  done
  printf '%s\n%s\n' "$header" "$row" >"$TMP/jobs$n.csv"
  local ev=${PEVENTS:-$events}
  "$EVMAP" render "$ev" "${args[@]}" -o "$out_r" 2>"$TMP/stderr.r" ||
    { fail "render $what"; cat "$TMP/stderr.r" >&2; return; }
  "$EVMAP" batch "$TMP/jobs$n.csv" --events "$ev" --quiet 2>"$TMP/stderr.b" ||
    { fail "batch cells $what"; cat "$TMP/stderr.b" >&2; return; }
  cmp -s "$out_r" "$out_b" && pass || fail "$ext differs for $what"
  # The option changed something: not the default map.
  [ -n "${no_default_check:-}" ] || { cmp -s "$out_r" "$TMP/default.$ext" &&
    fail "$what draws the default map" || pass; }
}

for ext in svg pdf png; do
  "$EVMAP" render "$events" -o "$TMP/default.$ext" || fail "default $ext"
done

# Output. A name without an extension needs the format.
parity map format svg
grep -q '<svg' "$TMP/b/$n.map" && pass || fail "format svg did not write SVG"
parity map format pdf
parity svg size 900x700
parity png size 900x700
parity svg dpi 150
parity pdf dpi 150
parity svg preset column
parity svg preset social size 900x500
# The example has no numeric column: the same events with one.
events="$EVM_SOURCE_DIR/tests/data/size/korea-russia-2023-sized.csv"
parity svg size-col personnel
events="$ex/events.csv"
parity svg svg-engine cairo
parity pdf pdf-engine cairo
parity svg precision 0.5
# Map.
parity svg title "A title, with a comma"
parity svg subtitle 'A "subtitle"'
parity svg source "Reports of 2023"
parity svg proj "+proj=eqearth +lon_0=100"
parity pdf proj EPSG:3857
parity svg extent 100,20,150,60
parity svg extent "South Korea,PRK"
parity svg basemap 10m
parity svg units mi
parity svg font "DejaVu Sans"
parity svg no-graticule -
parity svg no-graticule-labels -
parity svg no-legend -
parity svg no-scale-bar -
parity svg no-labels -
parity svg label-col kind label-priority lat
parity svg inset se extent 126,37,127.2,38
parity svg center 43.1,131.9 radius-km 300
parity png center Vladivostok radius-km 250
parity svg center Seoul extent 100,20,150,60
parity png no-graticule - no-legend - no-scale-bar - size 700x500
parity svg no-places -
parity svg no-country-labels -
parity svg no-water-labels -
parity svg no-rivers -
parity svg cluster on size 400x300
parity svg no-clusters - size 300x200
parity png density hex
parity svg worldview de-facto
parity png theme dark
parity svg kind-style "capital: color=#d00 shape=triangle size=10"
parity svg kind-style "capital: #d00" kind-style "port: square"
printf '# kinds\ncapital: color=#0a0, shape=hexagon\n' >"$TMP/kinds.txt"
parity svg kind-styles "$TMP/kinds.txt"
layers="$EVM_SOURCE_DIR/tests/data/layers"
parity svg layer "$layers/seoul.geojson" \
  layer "$layers/han-river.geojson:color=#4a7fb0,width=1.5"
# Distance lines and routes.
parity svg distance "Vostochny Cosmodrome:Moscow"
parity svg distance "Vostochny Cosmodrome:Moscow" distance "Seoul:39.0,125.7"
parity svg border-distance "Tikhoretsk ammunition depot:Ukraine"
parity svg border-distance "Tikhoretsk ammunition depot:Ukraine" \
  land-border-only -
printf 'from,to,label\nSeoul,Pyongyang,\nMoscow,Beijing,far\n' >"$TMP/links.csv"
parity svg links "$TMP/links.csv"
parity svg routes "$ex/routes.csv"
parity pdf routes "$ex/routes.csv"
printf '# styles\nsea: color=#cc0000, width=3\n' >"$TMP/styles.txt"
parity svg routes "$ex/routes.csv" route-styles "$TMP/styles.txt"
parity svg routes "$ex/routes.csv" route-styles "$TMP/styles.txt" \
  max-input-mb 1
parity svg routes "$ex/routes.csv" route-style "rail: dash=4 2"
parity svg distance "Moscow:Pyongyang" distance "Seoul:Beijing" \
  distance-style "2: color=#00aa00, dash=none"
parity svg routes "$ex/routes.csv" route-style "rail: dash=4 2" \
  route-style "all: width=2"
parity svg routes "$ex/routes.csv" route-dates labels
parity svg routes "$ex/routes.csv" sea-routing off
parity svg routes "$ex/routes.csv" via-labels -
# Events.
parity svg where "kind=capital"
parity svg where "kind= capital" where "name=Seoul"
parity svg since 2023-09-14
parity svg until 2023-10-01
# Places by name: the names-only example, Rajin placed (and credited) by
# GeoNames.
PEVENTS="$EVM_SOURCE_DIR/examples/places-by-name/events.csv" \
  parity svg geocode -
grep -q "Places: GeoNames (CC BY 4.0)" "$TMP/b/$n.svg" && pass ||
  fail "the geocode parity map does not credit GeoNames"
parity svg since 2023-09-01 until 2023-09-30 units nmi

for opt in $shared; do
  [ -n "${covered[$opt]:-}" ] && pass ||
    fail "--$opt is shared by render and batch but has no parity case here"
done
finish
