#!/usr/bin/env bash
# The cost of a process that uses the libraries every evmap map needs
# before it does any map work: PROJ (a context) and Pango (one line of
# text measured, which starts fontconfig). Compiles four tiny programs
# (bench/floor/*.c) and times them as whole processes with hyperfine;
# `evmap render` can be no faster than proj_and_pango.
#
#   bench/floor.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! command -v hyperfine >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq hyperfine >/dev/null
fi
cc=${CC:-cc}
"$cc" -O2 bench/floor/empty.c -o "$out/empty"
"$cc" -O2 bench/floor/proj_context.c -o "$out/proj_context" \
  $(pkg-config --cflags --libs proj)
"$cc" -O2 bench/floor/pango_text.c -o "$out/pango_text" \
  $(pkg-config --cflags --libs pangocairo)
"$cc" -O2 bench/floor/proj_and_pango.c -o "$out/proj_and_pango" \
  $(pkg-config --cflags --libs proj pangocairo)
hyperfine --warmup 3 --runs 40 -N "$out/empty" "$out/proj_context" \
  "$out/pango_text" "$out/proj_and_pango"
