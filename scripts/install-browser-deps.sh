#!/usr/bin/env bash
# Installs headless Chromium, which the SVG tests use to check that a
# browser draws evmap's SVG as cairo draws the PNG. Separate from
# install-deps.sh because the browser is large and only the test suite
# needs it (`make demo` does not). CI runs this; locally the browser
# tests skip when chromium is absent. Uses sudo when not run as root.
set -euo pipefail

. "$(dirname "$0")/apt-install.sh"
packages=(chromium fonts-noto-core fonts-noto-cjk)
evm_apt_install "browser test packages" "${packages[@]}"
