#!/usr/bin/env bash
# evmap batch: a bad row fails that map alone with JOBS.csv:LINE, the same
# bytes for any --jobs, shards whose union is the batch (with --shard and
# with Slurm's variables), --resume, --fail-fast, Ctrl-C, generated jobs.
. "$(dirname "$0")/lib.sh"

ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"
tour="$EVM_SOURCE_DIR/examples/tour-de-france-2023/events.csv"
small=(--size 320x200 --quiet)

# A jobs file of 12 maps, one of them bad (an unknown centre event).
jobs="$TMP/jobs.csv"
{
  echo "output,center,radius_km,title,format"
  for name in Pyongyang Seoul Moscow Beijing Vladivostok "Rajin port"; do
    echo "{n}-{name}.png,$name,400,,"
  done
  echo "bad.png,Atlantis,400,,"
  echo "svg/{name}.svg,Seoul,300,Seoul in SVG,"
  echo "pdf/{name}.pdf,Moscow,300,,"
  echo "x.map,,,,png"
  echo "wide.png,,,,"
  echo "dc.png,\"38.9,-77.0\",200,Washington,"
} >"$jobs"

run_batch() { # DIR ARGS...
  local dir=$1; shift
  mkdir -p "$dir"
  (cd "$dir" && "$EVMAP" batch "$jobs" --events "$ex" "${small[@]}" "$@")
}

export SOURCE_DATE_EPOCH=1700000000
expect_exit 4 "a bad row fails its map only" -- run_batch "$TMP/j1" --jobs 1
expect_stderr "jobs.csv:8: "
expect_stderr 'no event is named "Atlantis"'
for f in 01-Pyongyang.png 06-Rajin_port.png svg/Seoul.svg pdf/Moscow.pdf \
  x.map wide.png dc.png; do
  [ -s "$TMP/j1/$f" ] && pass || fail "$f was not written"
done
expect_no_file "$TMP/j1/bad.png"
[ "$(png_size "$TMP/j1/wide.png")" = 320x200 ] && pass || fail "size ignored"

# The same bytes with two threads (PNG, SVG, and PDF with a fixed date).
expect_exit 4 "two threads" -- run_batch "$TMP/j2" --jobs 2
if diff -r "$TMP/j1" "$TMP/j2" >/dev/null; then pass
else fail "outputs differ between --jobs 1 and --jobs 2"; fi
# (cairo 1.16 writes the given date without its "D:" prefix.)
grep -Eq "CreationDate \((D:)?20231114221320" "$TMP/j2/pdf/Moscow.pdf" && pass ||
  fail "PDF date is not SOURCE_DATE_EPOCH"

# Shards: the union of 0/3, 1/3 and 2/3 is the batch, each map once.
: >"$TMP/shard-files"
for k in 0 1 2; do
  run_batch "$TMP/s$k" --jobs 2 --shard "$k/3" >/dev/null 2>&1
  (cd "$TMP/s$k" && find . -type f | sort) >>"$TMP/shard-files"
done
(cd "$TMP/j1" && find . -type f | sort) >"$TMP/all-files"
if [ "$(sort "$TMP/shard-files")" = "$(cat "$TMP/all-files")" ] &&
  [ -z "$(sort "$TMP/shard-files" | uniq -d)" ]; then pass
else fail "shards do not partition the batch"; diff <(sort "$TMP/shard-files") "$TMP/all-files" >&2; fi
for k in 0 1 2; do
  (cd "$TMP/s$k" && find . -type f) | while read -r f; do
    cmp -s "$TMP/s$k/$f" "$TMP/j1/$f" || echo "$f"
  done
done >"$TMP/shard-diff"
[ -s "$TMP/shard-diff" ] && fail "shard maps differ: $(cat "$TMP/shard-diff")" || pass

# The same through a Slurm job array's variables (--array=1-3: ids 1..3).
: >"$TMP/slurm-files"
for id in 1 2 3; do
  SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 \
    SLURM_ARRAY_TASK_MAX=3 SLURM_ARRAY_TASK_STEP=1 \
    run_batch "$TMP/slurm$id" >/dev/null 2>&1
  (cd "$TMP/slurm$id" && find . -type f | sort) >>"$TMP/slurm-files"
done
[ "$(sort "$TMP/slurm-files")" = "$(cat "$TMP/all-files")" ] && pass ||
  fail "Slurm shards do not partition the batch"
# --array=1,5,7 cannot be mapped: a clear error, nothing written.
expect_exit 2 "irregular Slurm ids" -- env SLURM_ARRAY_TASK_ID=5 \
  SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=7 \
  SLURM_ARRAY_TASK_STEP=1 "$EVMAP" batch "$jobs" --events "$ex" -q
expect_stderr "not a regular range"
expect_exit 2 "Slurm id out of range" -- env SLURM_ARRAY_TASK_ID=3 \
  SLURM_ARRAY_TASK_COUNT=3 "$EVMAP" batch "$jobs" --events "$ex" -q
expect_stderr "Slurm array task id 3 is not in 0..2"
expect_exit 2 "bad --shard" -- "$EVMAP" batch "$jobs" --shard 3/3
expect_stderr "shard \"3/3\" is not K/N"

# --resume skips what is up to date, redraws what is older than its input.
expect_exit 4 "resume" -- run_batch "$TMP/j1" --resume
(cd "$TMP/j1" && "$EVMAP" batch "$jobs" --events "$ex" --size 320x200 \
  --resume) 2>"$TMP/stderr"
grep -q "0 maps written, 11 up to date, 1 failed" "$TMP/stderr" && pass ||
  { fail "resume did not skip"; cat "$TMP/stderr" >&2; }
touch -d '2000-01-01' "$TMP/j1/dc.png"
(cd "$TMP/j1" && "$EVMAP" batch "$jobs" --events "$ex" --size 320x200 \
  --resume) 2>"$TMP/stderr"
grep -q "1 map written, 10 up to date, 1 failed" "$TMP/stderr" && pass ||
  { fail "resume did not redraw an old map"; cat "$TMP/stderr" >&2; }

# --fail-fast: one thread, the bad row first: nothing else is drawn.
printf 'output,center\nbad.png,Atlantis\na.png,Seoul\nb.png,Moscow\n' \
  >"$TMP/ff.csv"
mkdir -p "$TMP/ff"
(cd "$TMP/ff" && "$EVMAP" batch "$TMP/ff.csv" --events "$ex" \
  --size 320x200 --jobs 1 --fail-fast) 2>"$TMP/stderr"
[ $? -eq 4 ] && pass || fail "fail-fast exit status"
grep -q "0 maps written, 0 up to date, 1 failed, 2 not run" "$TMP/stderr" &&
  pass || { fail "fail-fast ran on"; cat "$TMP/stderr" >&2; }
expect_no_file "$TMP/ff/a.png"

# An unwritable path (a file where a folder should be, which fails even
# for root) fails that map alone.
printf 'output,center\n%s/jobs.csv/a.png,Seoul\n%s/ok.png,Seoul\n' "$TMP" "$TMP" \
  >"$TMP/ro.csv"
expect_exit 4 "unwritable path" -- "$EVMAP" batch "$TMP/ro.csv" \
  --events "$ex" "${small[@]}"
expect_stderr "ro.csv:2: "
[ -s "$TMP/ok.png" ] && pass || fail "the good row was not written"

# Bad jobs files are data errors at their line and column.
printf 'output,colour\na.png,red\n' >"$TMP/badcol.csv"
expect_exit 1 "unknown column" -- "$EVMAP" batch "$TMP/badcol.csv"
expect_stderr "badcol.csv:1:8: unknown column \"colour\""
expect_exit 2 "bad default" -- "$EVMAP" batch "$jobs" --size 10x10
expect_stderr '--size "10x10" is not valid'

# Generated jobs: one map per event, daily frames, weekly windows.
expect_exit 0 "each event" -- "$EVMAP" batch --each-event "$ex" \
  -o "$TMP/each/{name}.png" "${small[@]}"
[ "$(ls "$TMP/each" | wc -l)" -eq 10 ] && pass || fail "each-event count"
[ -s "$TMP/each/Vostochny_Cosmodrome.png" ] && pass || fail "each-event name"
expect_exit 0 "frames" -- "$EVMAP" batch --frames daily --events "$tour" \
  -o "$TMP/frames/{date}.png" "${small[@]}"
[ "$(ls "$TMP/frames" | tr '\n' ' ')" = "2023-07-01.png 2023-07-02.png \
2023-07-03.png 2023-07-04.png 2023-07-05.png 2023-07-06.png 2023-07-07.png " ] &&
  pass || fail "daily frames: $(ls "$TMP/frames")"
expect_exit 0 "weekly window" -- "$EVMAP" batch --frames weekly --window \
  --events "$tour" -o "$TMP/weeks/{n}.svg" "${small[@]}"
[ -s "$TMP/weeks/1.svg" ] && [ -s "$TMP/weeks/2.svg" ] && pass ||
  fail "weekly frames"
expect_exit 2 "frames without events" -- "$EVMAP" batch --frames daily -o x.png

# Progress lines (stderr is not a terminal) and the summary.
expect_exit 0 "summary" -- "$EVMAP" batch --each-event "$ex" \
  -o "$TMP/each2/{n}.png" --size 320x200
expect_stderr "evmap batch: 10 maps written, 0 up to date, 0 failed"

# Ctrl-C: the batch stops taking maps, exits 130 and leaves no partial or
# temporary file; every map on disk is complete.
{
  echo "output,center,radius_km"
  for i in $(seq 1 400); do echo "m$i.png,Seoul,$((100 + i))"; done
} >"$TMP/many.csv"
mkdir -p "$TMP/int"
(cd "$TMP/int" && exec "$EVMAP" batch "$TMP/many.csv" --events "$ex" \
  --size 320x200 --jobs 2) 2>"$TMP/stderr" &
pid=$!
for _ in $(seq 1 100); do
  [ "$(ls "$TMP/int" | wc -l)" -ge 4 ] && break
  sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] && pass || { fail "Ctrl-C exit $rc, expected 130"; cat "$TMP/stderr" >&2; }
grep -q "interrupted" "$TMP/stderr" && pass || fail "no interrupted summary"
n=$(ls "$TMP/int" | wc -l)
[ "$n" -lt 400 ] && pass || fail "Ctrl-C did not stop the batch"
[ -z "$(ls -A "$TMP/int" | grep '^\.')" ] && pass || fail "temporary files left"
for f in "$TMP"/int/*.png; do
  [ "$(png_size "$f")" = 320x200 ] || { fail "$f is incomplete"; break; }
  tail -c 12 "$f" | od -An -c | grep -q 'I   E   N   D' || { fail "$f has no IEND"; break; }
done
pass

# Distance lines as columns and as defaults, with render's meaning: two
# pairs in one cell, a bad name failing its map alone, links and units,
# border distances, and a --distance default for every job.
mkdir -p "$TMP/dl"
printf 'from,to,label\nPyongyang,Vostochny Cosmodrome,\nRajin port,Dunai port,by sea\n' >"$TMP/dl/links.csv"
cat >"$TMP/dl/jobs.csv" <<'JOBS'
output,distance,links,units,border_distance,land-border-only,size
two.svg,"Pyongyang:Vostochny Cosmodrome; seoul:37.77,-122.42",,,,,
bad.svg,Pyongyang:Vostochny Cosmodrom,,,,,
links.svg,,links.csv,mi,Tikhoretsk ammunition depot:Ukraine,yes,800x500
plain.svg,,,,,,
JOBS
expect_exit 4 "distance columns" -- bash -c 'cd "$1" && shift && "$@"' _ \
  "$TMP/dl" "$EVMAP" batch jobs.csv --events "$ex" "${small[@]}" \
  --distance Pyongyang:Moscow
expect_stderr 'jobs.csv:3: distance Pyongyang:Vostochny Cosmodrom: '
expect_stderr 'did you mean'
expect_no_file "$TMP/dl/bad.svg"
for f in two links plain; do
  [ -s "$TMP/dl/$f.svg" ] && pass || fail "$f.svg was not written"
done
grep -qF 'layer-distance-lines' "$TMP/dl/two.svg" && pass || fail "no distance layer"
[ "$(grep -o 'data-distance-km=' "$TMP/dl/two.svg" | wc -l)" -eq 2 ] && pass ||
  fail "two.svg: not two distance lines"
for want in 'data-distance-km="1441.435103"' 'data-distance-km="9050.071802"'; do
  grep -qF "$want" "$TMP/dl/two.svg" && pass || fail "two.svg: no $want"
done
# The cell replaces the --distance default; an empty cell keeps it.
grep -qF 'data-distance-km="6429.394246"' "$TMP/dl/two.svg" &&
  fail "two.svg has the default line" || pass
grep -qF 'data-distance-km="6429.394246"' "$TMP/dl/plain.svg" && pass ||
  fail "plain.svg: no --distance default line"
for want in '896 mi' 'by sea' 'data-distance-km="6429.394246"' \
  'id="border-distance-0"'; do
  grep -qF "$want" "$TMP/dl/links.svg" && pass || fail "links.svg: no $want"
done
# A bad form on the command line is a usage error, before any map.
expect_exit 2 "bad --distance" -- "$EVMAP" batch "$TMP/dl/jobs.csv" \
  --events "$ex" --quiet --distance Seoul
expect_stderr '--distance needs FROM:TO, not "Seoul"'
# Unknown columns list the accepted ones.
printf 'output,route\nx.svg,\n' >"$TMP/dl/route.csv"
expect_exit 1 "route is no column" -- "$EVMAP" batch "$TMP/dl/route.csv" \
  --events "$ex" --quiet
expect_stderr 'unknown column "route"'
expect_stderr 'distance, border-distance, land-border-only, links, routes'
# The PDF engine as a column: cairo's PDF names cairo, evmap's does not.
printf 'output,pdf_engine\n%s,cairo\n%s,native\n' "$TMP/dl/pe-cairo.pdf" \
  "$TMP/dl/pe-native.pdf" >"$TMP/dl/pe.csv"
expect_exit 0 "pdf_engine column" -- "$EVMAP" batch "$TMP/dl/pe.csv" \
  --events "$ex" --quiet
grep -aqi 'cairo' "$TMP/dl/pe-cairo.pdf" && pass || fail "pe-cairo.pdf is not cairo's"
grep -aqi 'cairo' "$TMP/dl/pe-native.pdf" && fail "pe-native.pdf is cairo's" || pass
printf 'output,pdf_engine\n%s,skia\n' "$TMP/dl/pe-bad.pdf" >"$TMP/dl/pe-bad.csv"
expect_exit 4 "bad pdf_engine" -- "$EVMAP" batch "$TMP/dl/pe-bad.csv" \
  --events "$ex" --quiet
expect_stderr 'pdf-engine "skia" is not valid: expected native or cairo'
# Routes as a column, with styles and dates, as render draws them.
rt="$EVM_SOURCE_DIR/examples/korea-russia-2023/routes.csv"
{
  echo 'output,routes,route_style,route_dates'
  echo "$TMP/dl/route-a.svg,$rt,sea: color=#ff0000; rail: width=3,labels"
  echo "$TMP/dl/route-b.svg,,,"
} >"$TMP/dl/route-jobs.csv"
expect_exit 0 "routes column" -- "$EVMAP" batch "$TMP/dl/route-jobs.csv" \
  --events "$ex" --quiet
grep -qF 'data-mode="rail"' "$TMP/dl/route-a.svg" && pass ||
  fail "route-a.svg: no rail leg"
grep -qiF '#ff0000' "$TMP/dl/route-a.svg" && pass ||
  fail "route-a.svg: the sea style was not applied"
grep -qF 'data-mode=' "$TMP/dl/route-b.svg" && fail "route-b.svg has routes" ||
  pass
# A routes file with an unknown name fails that map, naming the cell.
printf 'from,to\nRajin port,Atlantis\n' >"$TMP/dl/bad-routes.csv"
printf 'output,routes\n%s,%s\n' "$TMP/dl/bad.svg" "$TMP/dl/bad-routes.csv" \
  >"$TMP/dl/bad-route-jobs.csv"
expect_exit 4 "unknown name in a routes column" -- "$EVMAP" batch \
  "$TMP/dl/bad-route-jobs.csv" --events "$ex" --quiet
expect_stderr "bad-routes.csv:2:12:"
[ ! -e "$TMP/dl/bad.svg" ] && pass || fail "bad.svg was written"
# --each-event takes the same options as defaults; names are looked up
# in the events left after the filters.
expect_exit 0 "each-event with --distance" -- "$EVMAP" batch --each-event \
  "$ex" -o "$TMP/dl/each/{n}.svg" --where 'name=Seoul' "${small[@]}" \
  --distance Seoul:39.02,125.75 --border-distance Seoul:PRK
grep -qF 'id="border-distance-0"' "$TMP/dl/each/1.svg" && pass ||
  fail "each-event: no border distance"

# Outputs are paths as written; --out-dir roots them and refuses the ones
# that leave it (an absolute path, '..' climbing out), failing those maps.
mkdir -p "$TMP/od"
printf 'output,center\nok.png,Seoul\nsub/../ok2.png,Seoul\n../escape.png,Seoul\n%s,Seoul\nsub/../../x.png,Seoul\n' \
  "$TMP/abs.png" >"$TMP/od/jobs.csv"
(cd "$TMP/od" && "$EVMAP" batch jobs.csv --events "$ex" --out-dir maps "${small[@]}") \
  >"$TMP/stdout" 2>"$TMP/stderr"
[ $? -eq 4 ] && pass || fail "--out-dir: escaping rows should fail their maps (exit 4)"
expect_stderr 'jobs.csv:4: output "../escape.png" leaves its folder; with --out-dir "maps"'
expect_stderr 'jobs.csv:5: output "'"$TMP"'/abs.png" is an absolute path'
expect_stderr 'jobs.csv:6: output "sub/../../x.png" leaves its folder'
[ -s "$TMP/od/maps/ok.png" ] && [ -s "$TMP/od/maps/ok2.png" ] && pass || fail "--out-dir: maps inside not written"
expect_no_file "$TMP/od/escape.png"
expect_no_file "$TMP/abs.png"
expect_no_file "$TMP/x.png"
# Without --out-dir the same cells are paths as written.
(cd "$TMP/od" && "$EVMAP" batch jobs.csv --events "$ex" "${small[@]}") >/dev/null 2>&1
[ -s "$TMP/escape.png" ] && [ -s "$TMP/abs.png" ] && pass || fail "paths as written were not honoured"
# Point features of a --layer file are not drawn: the summary counts them
# over the maps, as render's note does for one map.
lay="$EVM_SOURCE_DIR/tests/data/layers"
expect_exit 0 "batch --layer" -- "$EVMAP" batch --each-event "$lay/seoul-events.csv" \
  --layer "$lay/han-river.geojson" -o "$TMP/lay/{name}.svg" --size 320x200
n=$(wc -l <"$lay/seoul-events.csv")
expect_stderr "$((n - 1)) point features of --layer files not drawn"
finish
