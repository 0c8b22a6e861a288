#!/bin/bash
# Render an evmap batch across several hosts with GNU Parallel over SSH, no
# scheduler needed: shard K of N runs on whichever host is free, each map
# is rendered exactly once, into one shared folder.
#
#   examples/slurm/render-parallel.sh jobs.csv events.csv out/ 8 alpha,beta
#
# Arguments: JOBS.csv EVENTS.csv OUTDIR SHARDS HOSTS (HOSTS: a comma list
# for --sshlogin, e.g. "4/alpha,4/beta" for 4 shards at a time per host, or
# ":" for this machine only). The current folder, JOBS.csv, EVENTS.csv and
# OUTDIR must be at the same path on every host (a shared filesystem), and
# evmap must be on each host's PATH. Extra evmap options: EVMAP_OPTS.
#
# --resume: re-running after a failure renders only what is missing. The
# exit status is the number of failed shards (GNU Parallel's), 0 if all
# maps were written.
set -euo pipefail

usage="usage: $0 JOBS.csv EVENTS.csv OUTDIR SHARDS HOSTS"
jobs=$(realpath "${1:?$usage}")
events=$(realpath "${2:?$usage}")
outdir=${3:?$usage}
n=${4:?$usage}
hosts=${5:?$usage}
mkdir -p "$outdir"
outdir=$(realpath "$outdir")

# One SSH session per shard; {} is the shard number 0..N-1.
# shellcheck disable=SC2086  # EVMAP_OPTS is a list of options
parallel --sshlogin "$hosts" --workdir "$outdir" --tag --line-buffer \
  evmap batch "$jobs" --events "$events" --resume --quiet ${EVMAP_OPTS:-} \
  --shard "{}/$n" ::: $(seq 0 $((n - 1)))
