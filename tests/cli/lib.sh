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

finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
