# Helpers for the command-line tests: each test script sources this file.
set -u
: "${EVMAP:?EVMAP must name the evmap binary}"
: "${EVM_SOURCE_DIR:?}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
PASSES=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); }

# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
  local want=$1 what=$2; shift 3
  "$@" >"$TMP/stdout" 2>"$TMP/stderr"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit $got, expected $want"; sed 's/^/  stderr: /' "$TMP/stderr" >&2
  else pass; fi
}

expect_stderr() {
  if grep -qF -- "$1" "$TMP/stderr"; then pass
  else fail "stderr lacks '$1'"; sed 's/^/  stderr: /' "$TMP/stderr" >&2; fi
}

expect_stdout() {
  if grep -qF -- "$1" "$TMP/stdout"; then pass
  else fail "stdout lacks '$1'"; sed 's/^/  stdout: /' "$TMP/stdout" >&2; fi
}

expect_no_file() {
  if [ -e "$1" ]; then fail "$1 exists but should not"; else pass; fi
}

# PNG width and height from the IHDR chunk.
png_size() {
  local hex
  hex=$(od -An -tx1 -j16 -N8 "$1" | tr -d ' \n')
  echo "$((16#${hex:0:8}))x$((16#${hex:8:8}))"
}

# True when two PNG files have the same header and decoded rows (their
# deflate streams may differ: render compresses in two bands, batch in
# one). Decoded with Python's zlib, independently of evmap's encoder.
same_png() {
  python3 - "$1" "$2" <<'PY'
import struct, sys, zlib
def rows(path):
    d = open(path, "rb").read()
    p, ihdr, idat = 8, None, b""
    while p < len(d):
        n, kind = struct.unpack(">I4s", d[p:p + 8])
        if kind == b"IHDR":
            ihdr = d[p + 8:p + 8 + n]
        elif kind == b"IDAT":
            idat += d[p + 8:p + 8 + n]
        p += 12 + n
    return ihdr, zlib.decompress(idat)
sys.exit(0 if rows(sys.argv[1]) == rows(sys.argv[2]) else 1)
PY
}

# True when two outputs draw the same: PNGs by their decoded rows, other
# formats byte for byte.
same_output() {
  case $1 in
    *.png) same_png "$1" "$2" ;;
    *) cmp -s "$1" "$2" ;;
  esac
}

finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
