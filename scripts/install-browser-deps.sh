#!/usr/bin/env bash
# Installs headless Chromium, which the SVG tests use to check that a
# browser draws evmap's SVG as cairo draws the PNG. Separate from
# install-deps.sh because the browser is large and only the test suite
# needs it (`make demo` does not). CI runs this; locally the browser
# tests skip when chromium is absent. Uses sudo when not run as root.
set -euo pipefail

packages=(chromium fonts-noto-core fonts-noto-cjk)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "evmap: installing browser test packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "evmap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
