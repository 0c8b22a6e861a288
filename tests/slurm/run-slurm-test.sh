#!/usr/bin/env bash
# evmap batch on a real Slurm: starts a throwaway single-node cluster on
# loopback (private munged, slurmctld, slurmd; Debian's Slurm 22.05), then
#  - sbatch --wait --array=0-2 renders a jobs file of 14 maps into one shared
#    folder: every map written exactly once, byte-identical to a
#    single-machine run;
#  - --array=1-3 (ids not from 0) covers every map once too (the shard comes
#    from SLURM_ARRAY_TASK_MIN/_MAX/_STEP);
#  - a jobs file with one failing map makes sbatch --wait exit non-zero.
# Everything lives in one temporary folder; the daemons are stopped by their
# PIDs and the folder removed on exit, whatever happens.
#
# Needs root (slurmd) and the packages munge slurmctld slurmd slurm-client
# (scripts/install-slurm-deps.sh). Without them it prints "skipped" and exits
# 0, unless EVM_REQUIRE_SLURM=1; as root it first tries to install them
# (EVM_SLURM_INSTALL=0: do not). Run by hand after `make`:
#   bash tests/slurm/run-slurm-test.sh
# shellcheck disable=SC2015,SC2016,SC2317  # a && pass || fail; bash -c '...'; trap
set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${EVM_SOURCE_DIR:=$(cd "$here/../.." && pwd)}"
: "${EVMAP:=$EVM_SOURCE_DIR/build/evmap}"

skip() {
  if [ "${EVM_REQUIRE_SLURM:-0}" = 1 ]; then
    echo "FAIL: Slurm test cannot run: $* (EVM_REQUIRE_SLURM=1)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "skipped: Slurm test: $*"
  exit 0
}

[ -x "$EVMAP" ] || { echo "FAIL: no evmap binary at $EVMAP (run make first)" >&2; echo "0 passed, 1 failed"; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "needs root to run slurmd"
need=(munged slurmctld slurmd sbatch sinfo scontrol scancel)
missing() { for c in "${need[@]}"; do command -v "$c" >/dev/null || return 0; done; return 1; }
if missing; then
  # Install when that is possible without asking (we are root here);
  # EVM_SLURM_INSTALL=0 turns that off.
  if [ "${EVM_SLURM_INSTALL:-1}" = 0 ] ||
    ! "$EVM_SOURCE_DIR/scripts/install-slurm-deps.sh" >&2 || missing; then
    skip "Slurm packages (munge slurmctld slurmd slurm-client) are not installed and could not be installed"
  fi
fi

T=$(mktemp -d /tmp/evmap-slurm.XXXXXX)
# munged wants no group/world-writable parents; clients need to reach the
# socket, so the folders on its path are world-executable.
chmod 755 "$T"
PIDS=()
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
started=$(date +%s.%N)

teardown() {
  local rc=$?
  # Cancel anything of this cluster still queued or running (only our
  # private controller answers on this SLURM_CONF).
  if [ -n "${SLURM_CONF:-}" ] && [ ${#PIDS[@]} -gt 0 ]; then
    timeout 10 scancel --quiet --user=root >/dev/null 2>&1 || true
    # Let slurmd finish its job steps (slurmstepd) before it stops.
    timeout 10 bash -c 'while [ -n "$(timeout 5 squeue -h -t R,CG,CF -o %i 2>/dev/null)" ]; do sleep 0.2; done' || true
  fi
  # Stop the daemons by their recorded PIDs, newest first.
  local i pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "${EVM_SLURM_KEEP_LOGS:-}" ] && [ -d "$T/log" ]; then
    cp -r "$T/log" "$EVM_SLURM_KEEP_LOGS" 2>/dev/null || true
  fi
  rm -rf "$T"
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

PASSES=0
FAILS=0
pass() { PASSES=$((PASSES + 1)); echo "ok: $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*" >&2; }
finish() {
  local took
  took=$(since "$started")
  echo "slurm test took ${took} s"
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
  exit $?
}
logs() { # dump the daemons' logs on a setup failure
  for f in "$T"/log/*; do echo "--- $f" >&2; tail -n 30 "$f" >&2; done
}

# Two free non-default ports (a system Slurm on 6817/6818 can coexist).
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 20); do
  ctld_port=$((20000 + RANDOM % 20000))
  slurmd_port=$((ctld_port + 1))
  port_busy "$ctld_port" || port_busy "$slurmd_port" || break
done

mkdir -p "$T/munge" "$T/log" "$T/state" "$T/spool" "$T/out" "$T/ref" "$T/work"
chmod 755 "$T/munge"
chmod 700 "$T/state" "$T/spool"

# --- munge: its own key and socket ---------------------------------------
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$T/munge/munge.key"
munged -F --key-file="$T/munge/munge.key" --socket="$T/munge/munge.sock" \
  --pid-file="$T/munge/munged.pid" --seed-file="$T/munge/munged.seed" \
  --log-file="$T/log/munged.log" >>"$T/log/munged.out" 2>&1 &
PIDS+=($!)
if ! timeout 10 bash -c "until [ -S '$T/munge/munge.sock' ]; do sleep 0.05; done"; then
  fail "munged did not start"; logs; finish
fi

# --- slurm.conf ---------------------------------------------------------------
export SLURM_CONF="$T/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=evmaptest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
SchedulerParameters=batch_sched_delay=0
MinJobAge=5
ReturnToService=2
KillWait=5
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=4 State=UNKNOWN
PartitionName=evmap Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

# --- slurmctld, then slurmd once the controller's port answers --------------
slurmctld -D -i -f "$SLURM_CONF" >>"$T/log/slurmctld.out" 2>&1 &
PIDS+=($!)
if ! timeout 20 bash -c "until (exec 3<>/dev/tcp/127.0.0.1/$ctld_port) 2>/dev/null; do sleep 0.1; done"; then
  fail "slurmctld does not answer on port $ctld_port"; logs; finish
fi
slurmd -D -N localhost -f "$SLURM_CONF" >>"$T/log/slurmd.out" 2>&1 &
PIDS+=($!)

node_state() { timeout 10 sinfo -h -N -n localhost -o %t 2>/dev/null; }
if ! timeout 30 bash -c 'until [ "$(timeout 10 sinfo -h -N -n localhost -o %t 2>/dev/null)" = idle ]; do sleep 0.2; done'; then
  # A node drained by an earlier state recovers with RESUME.
  timeout 10 scontrol update NodeName=localhost State=RESUME >/dev/null 2>&1
  if ! timeout 15 bash -c 'until [ "$(timeout 10 sinfo -h -N -n localhost -o %t 2>/dev/null)" = idle ]; do sleep 0.2; done'; then
    fail "node not idle (state: $(node_state))"; logs; finish
  fi
fi
pass "single-node cluster up (ports $ctld_port/$slurmd_port)"

# --- the batch ------------------------------------------------------------------
events="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"
jobs="$T/work/jobs.csv"
{
  echo "output,center,radius_km,title"
  n=0
  for name in Pyongyang Seoul Moscow Beijing Vladivostok "Rajin port" \
    "Vostochny Cosmodrome" "Cheongju International Airport" "Dunai port" \
    "Tikhoretsk ammunition depot"; do
    n=$((n + 1))
    echo "{n}-{name}.png,$name,400,Map $n"
  done
  echo "wide.png,,,"
  echo "dc.png,\"38.9,-77.0\",200,Washington"
  echo "seoul-300.png,Seoul,300,"
  echo "moscow-900.png,Moscow,900,"
} >"$jobs"
nmaps=$(($(wc -l <"$jobs") - 1))
bad="$T/work/jobs-bad.csv"
{ cat "$jobs"; echo "bad.png,Atlantis,400,"; } >"$bad"

export SOURCE_DATE_EPOCH=1700000000
opts=(--events "$events" --size 400x250 --format png --jobs 1)

# Single-machine reference.
if (cd "$T/ref" && "$EVMAP" batch "$jobs" "${opts[@]}" --quiet); then
  pass "single-machine run"
else
  fail "single-machine run failed"
fi
nref=$(find "$T/ref" -type f | wc -l)
[ "$nref" -eq "$nmaps" ] && pass "reference has $nmaps maps" ||
  fail "reference has $nref maps, expected $nmaps"

# The array job: every task runs the same command into the shared folder;
# evmap takes its shard from SLURM_ARRAY_TASK_* (no --shard).
cat >"$T/work/render.sbatch" <<EOF
#!/bin/bash
#SBATCH --cpus-per-task=1
echo "task \$SLURM_ARRAY_TASK_ID of \$SLURM_ARRAY_TASK_COUNT (min \$SLURM_ARRAY_TASK_MIN max \$SLURM_ARRAY_TASK_MAX)"
exec "$EVMAP" batch "\$EVM_JOBS" ${opts[*]@Q}
EOF

# submit NAME ARRAY JOBSFILE OUTDIR: sbatch --wait, bounded; echoes its status.
submit() {
  local name=$1 array=$2 jf=$3 dir=$4 rc t0
  mkdir -p "$dir" "$T/log/$name"
  t0=$(date +%s.%N)
  EVM_JOBS=$jf timeout 120 sbatch --wait --quiet --job-name="$name" \
    --array="$array" --chdir="$dir" --output="$T/log/$name/%A_%a.out" \
    "$T/work/render.sbatch" >"$T/log/$name.sbatch" 2>&1
  rc=$?
  echo "  $name (--array=$array): sbatch --wait exit $rc in $(since "$t0") s"
  return $rc
}

# check_cover NAME DIR NTASKS: every map once, byte-identical to the reference.
check_cover() {
  local name=$1 dir=$2 ntasks=$3 f written total=0 tasks=0 idle=0 diffs=""
  local got
  got=$(find "$dir" -type f | wc -l)
  [ "$got" -eq "$nmaps" ] && pass "$name: $nmaps files in the shared folder" ||
    fail "$name: $got files in the shared folder, expected $nmaps"
  # Each task's summary says how many maps it wrote: they add up to the
  # batch (no map rendered twice), and every task had work.
  for f in "$T/log/$name"/*.out; do
    [ -e "$f" ] || continue
    tasks=$((tasks + 1))
    written=$(sed -n 's/^evmap batch: \([0-9]*\) maps\{0,1\} written.*/\1/p' "$f")
    [ -n "$written" ] || { fail "$name: no summary in $(basename "$f")"; sed 's/^/  /' "$f" >&2; continue; }
    total=$((total + written))
    [ "$written" -gt 0 ] || idle=$((idle + 1))
  done
  [ "$tasks" -eq "$ntasks" ] && pass "$name: $ntasks tasks ran" ||
    fail "$name: $tasks task logs, expected $ntasks"
  [ "$total" -eq "$nmaps" ] && [ "$idle" -eq 0 ] &&
    pass "$name: tasks wrote $total maps in all, each map once" ||
    fail "$name: tasks wrote $total maps in all ($idle tasks idle), expected $nmaps once each"
  while IFS= read -r f; do
    cmp -s "$T/ref/$f" "$dir/$f" || diffs+=" $f"
  done < <(cd "$T/ref" && find . -type f)
  [ -z "$diffs" ] && pass "$name: byte-identical to the single-machine run" ||
    fail "$name: differs from the single-machine run:$diffs"
}

echo "submitting arrays (maps: $nmaps)"
if submit a0 0-2 "$jobs" "$T/out/a0"; then pass "a0: sbatch --wait exit 0"
else fail "a0: sbatch --wait failed"; sed 's/^/  /' "$T/log/a0.sbatch" >&2; fi
check_cover a0 "$T/out/a0" 3

if submit a1 1-3 "$jobs" "$T/out/a1"; then pass "a1: sbatch --wait exit 0"
else fail "a1: sbatch --wait failed"; sed 's/^/  /' "$T/log/a1.sbatch" >&2; fi
check_cover a1 "$T/out/a1" 3

submit bad 0-2 "$bad" "$T/out/bad"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
  pass "a failing map makes sbatch --wait exit non-zero ($rc)"
else
  fail "failing map: sbatch --wait exit $rc, expected non-zero (not a timeout)"
fi
grep -qs 'no event is named "Atlantis"' "$T"/log/bad/*.out &&
  pass "bad: the failing map is reported in its task's log" ||
  fail "bad: no error for the failing map in the task logs"
got=$(find "$T/out/bad" -type f | wc -l)
[ "$got" -eq "$nmaps" ] && pass "bad: the other $nmaps maps were written" ||
  fail "bad: $got maps written, expected $nmaps"

# The users' example, examples/slurm/render-array.sbatch, on this cluster:
# every map once; then, with two maps removed, the re-submitted array
# renders only those two (--resume).
example="$EVM_SOURCE_DIR/examples/slurm/render-array.sbatch"
submit_example() { # NAME
  local name=$1 rc t0
  mkdir -p "$T/log/$name"
  t0=$(date +%s.%N)
  EVMAP_OPTS="--size 400x250 --format png" timeout 120 sbatch --wait --quiet \
    --array=0-2 --cpus-per-task=1 --chdir="$T/work" \
    --output="$T/log/$name/%A_%a.out" "$example" "$jobs" "$events" \
    "$T/out/example" >"$T/log/$name.sbatch" 2>&1
  rc=$?
  echo "  $name (examples/slurm/render-array.sbatch, --array=0-2): exit $rc in $(since "$t0") s"
  return $rc
}
export EVMAP
if submit_example ex; then pass "example: sbatch --wait exit 0"
else fail "example: sbatch --wait failed"; sed 's/^/  /' "$T/log/ex.sbatch" >&2; fi
check_cover ex "$T/out/example" 3
rm -f "$T/out/example/02-Seoul.png" "$T/out/example/dc.png"
if submit_example ex-resume; then pass "example resubmitted: sbatch --wait exit 0"
else fail "example resubmitted: sbatch --wait failed"; sed 's/^/  /' "$T/log/ex-resume.sbatch" >&2; fi
total=$(cat "$T"/log/ex-resume/*.out 2>/dev/null |
  sed -n 's/^evmap batch: \([0-9]*\) maps\{0,1\} written.*/\1/p' |
  awk '{ s += $1 } END { print s + 0 }')
[ "$total" -eq 2 ] && pass "example resubmitted: only the 2 missing maps rendered" ||
  fail "example resubmitted: $total maps rendered, expected the 2 missing ones"
diffs=""
while IFS= read -r f; do
  cmp -s "$T/ref/$f" "$T/out/example/$f" || diffs+=" $f"
done < <(cd "$T/ref" && find . -type f)
[ -z "$diffs" ] && pass "example resubmitted: all maps present and identical" ||
  fail "example resubmitted: missing or different:$diffs"

[ "$FAILS" -eq 0 ] || logs
finish
