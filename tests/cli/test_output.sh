#!/usr/bin/env bash
# The output layer (docs/output.md): devices, FIFOs and symbolic links are
# written, not replaced; a 255-byte name works; temporary files are marked
# and a later run removes the stale ones but never a live writer's; SIGINT,
# SIGTERM and SIGHUP during render and batch leave no temporary file and
# only whole maps.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"
small=(--size 320x200)

# Every chunk's CRC, the image data inflated to the full size, IEND last.
png_valid() {
  python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
i, idat, w = 8, b'', None
while i < len(d):
    n, t = struct.unpack('>I4s', d[i:i + 8])
    body = d[i + 8:i + 8 + n]
    assert zlib.crc32(t + body) == struct.unpack('>I', d[i + 8 + n:i + 12 + n])[0], 'crc'
    if t == b'IHDR':
        w, h, depth, color = struct.unpack('>IIBB', body[:10])
    if t == b'IDAT':
        idat += body
    i += 12 + n
    if t == b'IEND':
        break
assert t == b'IEND' and i == len(d), 'IEND'
ch = {0: 1, 2: 3, 4: 2, 6: 4}[color]
assert len(zlib.decompress(idat)) == h * (1 + w * ch * depth // 8), 'data'
PY
}
no_temp() { # DIR WHAT
  if [ -z "$(find "$1" -name '*.evmap-tmp-*')" ]; then pass
  else fail "$2: temporary file left: $(find "$1" -name '*.evmap-tmp-*')"; fi
}

# A FIFO gets the bytes in order and stays a FIFO.
mkfifo "$TMP/fifo"
cat "$TMP/fifo" >"$TMP/from-fifo.png" &
reader=$!
expect_exit 0 "FIFO output" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/fifo" --format png
wait "$reader"
[ -p "$TMP/fifo" ] && pass || fail "the FIFO was replaced"
png_valid "$TMP/from-fifo.png" && pass || fail "the FIFO's reader got no whole PNG"

# Devices, made in the test's folder (never the real /dev) where allowed.
if mknod -m 666 "$TMP/null" c 1 3 2>/dev/null && mknod -m 666 "$TMP/full" c 1 7; then
  expect_exit 0 "null device" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/null" --format png
  [ -c "$TMP/null" ] && pass || fail "the null device was replaced"
  expect_exit 0 "GeoJSON to the null device" -- "$EVMAP" render "$ex" "${small[@]}" \
    -o "$TMP/n.svg" --geojson "$TMP/null"
  [ -c "$TMP/null" ] && pass || fail "the null device was replaced by --geojson"
  expect_exit 3 "full device" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/full" --format png
  expect_stderr "full: cannot write: No space left on device"
  [ -c "$TMP/full" ] && pass || fail "the full device was replaced"
  rroutes="$EVM_SOURCE_DIR/examples/korea-russia-2023/routes.csv"
  expect_exit 3 "routes -o to the full device" -- "$EVMAP" routes "$rroutes" \
    --events "$ex" -o "$TMP/full"
  [ -c "$TMP/full" ] && pass || fail "the full device was replaced by routes -o"
  expect_exit 3 "info to the full device" -- sh -c '"$0" info "$1" >"$2"' "$EVMAP" "$ex" "$TMP/full"
  expect_stderr "No space left on device"
else
  echo "note: mknod not permitted here; device outputs not tried"
fi

# A symbolic link is written through; the link stays, the target is
# replaced atomically in its own folder, dangling links and chains too.
mkdir -p "$TMP/maps" "$TMP/links"
ln -s ../maps/target.png "$TMP/links/rel.png"
ln -s "$TMP/links/rel.png" "$TMP/chain.png"
expect_exit 0 "dangling relative link" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/links/rel.png"
[ -L "$TMP/links/rel.png" ] && pass || fail "the link was replaced"
png_valid "$TMP/maps/target.png" && pass || fail "the link's target was not written"
echo old >"$TMP/maps/target.png"
chmod 640 "$TMP/maps/target.png"
expect_exit 0 "chain of links" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/chain.png"
[ -L "$TMP/chain.png" ] && [ -L "$TMP/links/rel.png" ] && pass || fail "a link of the chain was replaced"
png_valid "$TMP/maps/target.png" && pass || fail "the chain's target was not written"
[ "$(stat -c %a "$TMP/maps/target.png")" = 640 ] && pass || fail "the replaced file lost its mode"
ln -s loop1 "$TMP/loop2"; ln -s loop2 "$TMP/loop1"
expect_exit 3 "a loop of links" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/loop1" --format png
no_temp "$TMP" "links"

# A name of 255 bytes, the most a file system allows.
long=$(printf 'm%.0s' $(seq 1 251)).png
expect_exit 0 "255-byte output name" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/$long"
png_valid "$TMP/$long" && pass || fail "the 255-byte name was not written"
long_utf8=$(printf '\xc3\xa9%.0s' $(seq 1 125)).png # 254 bytes
expect_exit 0 "254-byte UTF-8 name" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/$long_utf8"
[ -s "$TMP/$long_utf8" ] && pass || fail "the UTF-8 long name was not written"

# Stale temporary files: one a killed run left (nobody holds its lock) is
# removed by the next write to the folder; one a live writer holds is
# kept; a file that only looks similar is never touched.
mkdir -p "$TMP/stale"
: >"$TMP/stale/.old.png.evmap-tmp-AbC123"
: >"$TMP/stale/.held.png.evmap-tmp-XyZ789"
: >"$TMP/stale/.mine.png.evmap-tmp-notours"
: >"$TMP/stale/notes.evmap-tmp-AbC123"
mkfifo "$TMP/stale/.fifo.evmap-tmp-Fif000"
flock "$TMP/stale/.held.png.evmap-tmp-XyZ789" sh -c 'echo $$ >"$1"; exec sleep 30' \
  sh "$TMP/holder.pid" >/dev/null 2>&1 &
for _ in $(seq 1 50); do [ -s "$TMP/holder.pid" ] && break; sleep 0.05; done
expect_exit 0 "write beside stale files" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/stale/new.png"
expect_no_file "$TMP/stale/.old.png.evmap-tmp-AbC123"
[ -e "$TMP/stale/.held.png.evmap-tmp-XyZ789" ] && pass || fail "a live writer's temporary file was removed"
[ -e "$TMP/stale/.mine.png.evmap-tmp-notours" ] && [ -e "$TMP/stale/notes.evmap-tmp-AbC123" ] \
  && [ -p "$TMP/stale/.fifo.evmap-tmp-Fif000" ] && pass || fail "a file not evmap's was removed"
kill "$(cat "$TMP/holder.pid")"; wait 2>/dev/null
# A batch sweeps each folder it writes to, --resume or not.
: >"$TMP/stale/.old2.png.evmap-tmp-AbC124"
expect_exit 0 "batch beside a stale file" -- "$EVMAP" batch --each-event "$ex" \
  -o "$TMP/stale/{n}.png" "${small[@]}" --quiet --resume
expect_no_file "$TMP/stale/.old2.png.evmap-tmp-AbC124"
expect_exit 0 "--fsync" -- "$EVMAP" render "$ex" "${small[@]}" -o "$TMP/stale/synced.png" --fsync
png_valid "$TMP/stale/synced.png" && pass || fail "--fsync wrote no whole PNG"

# Signals during render: exit 128 + the signal, no temporary file, and
# the old map kept. Large maps so that the signal lands while drawing;
# --default-signal undoes the shell's ignoring of SIGINT in '&' jobs.
mkdir -p "$TMP/sig"
# Waits (at most 20 s) until process $1 catches signal $2 (SigCgt in
# /proc/PID/status is a hex mask, bit N-1 for signal N).
wait_caught() {
  local num mask
  num=$(kill -l "$2")
  for _ in $(seq 1 2000); do
    mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 0
    [ -n "$mask" ] || return 0
    (( (16#$mask >> (num - 1)) & 1 )) && return 0
    sleep 0.01
  done
}
for sig in INT TERM HUP; do
  for delay in 0.2 0.6; do
    echo keep >"$TMP/sig/map.png"
    env --default-signal=INT "$EVMAP" render "$ex" --size 8000x6000 -o "$TMP/sig/map.png" \
      2>"$TMP/stderr" &
    pid=$!
    # The delay counts from the moment the handler is in place (the
    # process's caught-signal mask), so a slow start on a loaded machine
    # or under a sanitizer cannot turn this into a test of the default
    # action.
    wait_caught "$pid" "$sig"
    sleep "$delay"
    kill -"$sig" "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
    if [ "$rc" -eq "$want" ]; then
      # "interrupted by SIGx" once the render defers signals, "interrupted"
      # when the signal came while it was still reading its options.
      grep -q "interrupted" "$TMP/stderr" && pass || fail "render SIG$sig: no message"
      [ "$(cat "$TMP/sig/map.png")" = keep ] && pass || fail "render SIG$sig: old map replaced"
    elif [ "$rc" -eq 0 ]; then
      png_valid "$TMP/sig/map.png" && pass || fail "render SIG$sig after the end: bad map"
    else
      fail "render SIG$sig after ${delay}s: exit $rc"; cat "$TMP/stderr" >&2
    fi
    no_temp "$TMP/sig" "render SIG$sig after ${delay}s"
  done
done

# Signals during a 60-map batch: the summary, exit 128 + the signal,
# every map on disk whole, no temporary file.
{
  echo "output,center,radius_km"
  for i in $(seq 1 60); do echo "m$i.png,Seoul,$((100 + i))"; done
} >"$TMP/jobs.csv"
for sig in TERM HUP INT; do
  rm -rf "$TMP/b$sig"; mkdir -p "$TMP/b$sig"
  (cd "$TMP/b$sig" && exec env --default-signal=INT "$EVMAP" batch "$TMP/jobs.csv" \
    --events "$ex" --size 1200x900 --jobs 2) 2>"$TMP/stderr" &
  pid=$!
  for _ in $(seq 1 200); do
    [ "$(ls "$TMP/b$sig" | wc -l)" -ge 3 ] && break
    sleep 0.05
  done
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
  [ "$rc" -eq "$want" ] && pass || { fail "batch SIG$sig: exit $rc, expected $want"; cat "$TMP/stderr" >&2; }
  grep -q "interrupted by SIG$sig" "$TMP/stderr" && pass || fail "batch SIG$sig: no summary"
  n=$(ls "$TMP/b$sig" | wc -l)
  [ "$n" -ge 3 ] && [ "$n" -lt 60 ] && pass || fail "batch SIG$sig: $n maps"
  grep -q "evmap batch: $n maps written" "$TMP/stderr" && pass || fail "batch SIG$sig: summary does not count the $n maps"
  no_temp "$TMP/b$sig" "batch SIG$sig"
  for f in "$TMP/b$sig"/*.png; do
    png_valid "$f" || { fail "batch SIG$sig: $f is not a whole PNG"; break; }
  done
done
finish
