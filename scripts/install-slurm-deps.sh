#!/usr/bin/env bash
# Installs the Debian packages the Slurm cluster test needs
# (tests/slurm/run-slurm-test.sh: a throwaway single-node Slurm on
# loopback), when any is missing. Uses sudo when not run as root. Safe to
# run repeatedly: it does nothing when everything is present. It only
# installs: no daemon is enabled or started here.
set -euo pipefail

. "$(dirname "$0")/apt-install.sh"
packages=(munge slurmctld slurmd slurm-client)
evm_apt_install "Slurm test packages" "${packages[@]}"
