#!/usr/bin/env bash
# The installed library as a user gets it: `cmake --install` into a
# temporary prefix, the prefix moved elsewhere (a relocated install), the
# build and source trees hidden, then examples/api built against the
# moved prefix with pkg-config and with find_package(evmap), and run: each
# must find the geodata from its own prefix and write a valid PNG. The
# installed CLI renders too.
source "$(dirname "$0")/lib.sh"
: "${EVM_BUILD_DIR:?}"
for tool in cmake pkg-config python3 make cc; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is needed" >&2; exit 1; }
done

stage=$TMP/stage
cmake --install "$EVM_BUILD_DIR" --prefix "$stage" >"$TMP/install.log" 2>&1 \
  || { cat "$TMP/install.log" >&2; fail "cmake --install"; }
# What a user of the package gets, checked before moving it.
for f in bin/evmap include/evmap/evmap.h include/evmap/version.h \
         share/evmap/geodata/countries-110m.evmgeo; do
  [ -e "$stage/$f" ] && pass || fail "install lacks $f"
done
for pat in 'lib*/libevmap.so' 'lib*/libevmap.a' 'lib*/pkgconfig/evmap.pc' \
           'lib*/cmake/evmap/evmapConfig.cmake'; do
  compgen -G "$stage/$pat" >/dev/null && pass || fail "install lacks $pat"
done

# Move the prefix: nothing may depend on where it was installed.
prefix=$TMP/elsewhere/usr
mkdir -p "$TMP/elsewhere"
mv "$stage" "$prefix"
pcdir=$(dirname "$(compgen -G "$prefix/lib*/pkgconfig/evmap.pc" | head -1)")
mkdir -p "$TMP/work"
cp -r "$EVM_SOURCE_DIR/examples/api" "$TMP/work/api"
cp "$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv" "$TMP/work/"
cp "$EVM_SOURCE_DIR/tests/cli/check_png.py" "$TMP/work/"
rm -f "$TMP/work/api/map"

# The rest runs where the build and source trees cannot be seen: in a
# mount namespace with an empty file system over each (root, as in CI).
cat >"$TMP/inner.sh" <<INNER
set -u
cd "$TMP/work"
w=\$PWD
export PKG_CONFIG_PATH="$pcdir"
unset EVMAP_GEODATA
for d in "$EVM_BUILD_DIR" "$EVM_SOURCE_DIR"; do
  if [ "\${EVM_HIDE_TREES:-0}" = 1 ] && [ -d "\$d" ]; then
    mount -t tmpfs none "\$d" || exit 90
    [ -z "\$(ls -A "\$d")" ] || exit 91
  fi
done
ok=0
step() { echo "== \$*"; "\$@" || { echo "FAILED: \$*"; ok=1; }; }
step pkg-config --exact-version=\$(sed -n 's/^#define EVM_VERSION_MAJOR //p;' \
  "$prefix/include/evmap/version.h").\$(sed -n 's/^#define EVM_VERSION_MINOR //p' \
  "$prefix/include/evmap/version.h").\$(sed -n 's/^#define EVM_VERSION_PATCH //p' \
  "$prefix/include/evmap/version.h") evmap
step pkg-config --static --libs evmap
step make -C api
step api/map events.csv pc.png "Built with pkg-config"
step python3 check_png.py pc.png
step cmake -S api -B build-cmake -DCMAKE_PREFIX_PATH="$prefix"
step cmake --build build-cmake
step build-cmake/map events.csv cmake.png "Built with find_package"
step python3 check_png.py cmake.png
step "$prefix/bin/evmap" render events.csv -o cli.png
step python3 check_png.py cli.png
exit \$ok
INNER
if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
  EVM_HIDE_TREES=1 unshare -m --propagation private bash "$TMP/inner.sh" \
    >"$TMP/inner.log" 2>&1
else
  echo "note: not root, the build and source trees stay visible" >&2
  bash "$TMP/inner.sh" >"$TMP/inner.log" 2>&1
fi
rc=$?
[ -n "${EVM_TEST_VERBOSE:-}" ] && cat "$TMP/inner.log"
if [ $rc -eq 0 ]; then pass
else fail "building and running examples/api against the moved prefix (exit $rc)"
  sed 's/^/  /' "$TMP/inner.log" >&2
fi
# The installed files name no build or source path.
if grep -rlF -e "$EVM_BUILD_DIR" -e "$EVM_SOURCE_DIR/" "$prefix/lib"*/pkgconfig \
     "$prefix/lib"*/cmake >/dev/null; then
  fail "an installed package file names the build or source tree"
else pass; fi

finish
