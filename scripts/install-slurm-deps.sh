#!/usr/bin/env bash
# Installs the Debian packages the Slurm cluster test needs
# (tests/slurm/run-slurm-test.sh: a throwaway single-node Slurm on
# loopback), when any is missing. Uses sudo when not run as root. Safe to
# run repeatedly: it does nothing when everything is present. It only
# installs: no daemon is enabled or started here.
set -euo pipefail

packages=(munge slurmctld slurmd slurm-client)

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
