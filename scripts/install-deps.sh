#!/usr/bin/env bash
# Installs the Debian packages evmap needs to build, test and render, when
# any is missing. Uses sudo when not run as root. Safe to run repeatedly:
# it does nothing when everything is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libproj-dev proj-data
  libcairo2-dev libpango1.0-dev libpng-dev
  libjansson-dev libcsv-dev
  fonts-noto-core fonts-noto-cjk
  libcmocka-dev libxml2-utils poppler-utils librsvg2-bin
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "evmap: installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "evmap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
