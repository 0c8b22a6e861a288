#!/usr/bin/env bash
# Installs the Debian packages evmap needs to build, test and render, when
# any is missing. Uses sudo when not run as root. Safe to run repeatedly:
# it does nothing when everything is present.
set -euo pipefail

. "$(dirname "$0")/apt-install.sh"
packages=(
  build-essential cmake pkg-config
  libproj-dev proj-data
  libcairo2-dev libpango1.0-dev libharfbuzz-dev zlib1g-dev libdeflate-dev libisal-dev libpng-dev
  libjansson-dev libcsv-dev libxml2-dev libgeonames-dev
  fonts-noto-core fonts-noto-cjk
  libcmocka-dev libxml2-utils poppler-utils qpdf librsvg2-bin python3
  man-db zsh
  clang libclang-rt-14-dev
)
evm_apt_install "missing packages" "${packages[@]}"
