#!/usr/bin/env bash
# End-to-end test of the Slurm deployment on one machine: a real single-node Slurm (Debian's slurm-wlm and
# munge, started by hand as root, no systemd), submit.sh --scale smoke --shards 3, and then the same smoke suite in
# one process; the two databases must hold the same runs with the same values and give the same claim verdicts.
#
#   sudo deploy/slurm/test-local.sh [--shards N] [--experiments a,b] [--timeout MINUTES] [--work DIR] [--rtol R]
#
#   --shards N        shards to submit (default 3)
#   --experiments a,b only these experiments, on both sides (default all; one small family makes a quick check)
#   --timeout M       give up waiting for the cluster's jobs after M minutes (default 40)
#   --work DIR        where the cluster's state, databases and logs go (default: a new /tmp/fourier-slurm.XXXXXX,
#                     kept afterwards for inspection)
#   --rtol R          relative tolerance for metric and array values (default 0: bit-for-bit). Only for a stated
#                     reason: the shards and the single process run the same code, seeds and thread count, so
#                     any difference is a finding, not noise to hide
#
# Not part of `dotnet test` (it installs packages, starts daemons and took 14.6 minutes on the 2-core machine). The cluster is
# torn down on exit, failure or Ctrl+C included: jobs cancelled, then slurmd, slurmctld and munged stopped by the
# process ids this script started. Exit code: 0 everything equal, 1 a job failed or anything differs, 2 bad
# arguments or the machine cannot run the test.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
fail() { echo "test-local.sh: $*" >&2; exit 2; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$repo/deploy/slurm"
shards=3 experiments=all timeout_min=40 work="" rtol=0
while [ $# -gt 0 ]; do
    case "$1" in
        --shards) shards="${2:-}"; shift 2 || fail "--shards needs a number" ;;
        --experiments) experiments="${2:-}"; shift 2 || fail "--experiments needs names" ;;
        --timeout) timeout_min="${2:-}"; shift 2 || fail "--timeout needs minutes" ;;
        --work) work="${2:-}"; shift 2 || fail "--work needs a folder" ;;
        --rtol) rtol="${2:-}"; shift 2 || fail "--rtol needs a number" ;;
        -h|--help) usage; exit 0 ;;
        *) fail "unknown argument '$1' (see -h)" ;;
    esac
done
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || fail "--shards must be a positive integer"
[[ "$timeout_min" =~ ^[1-9][0-9]*$ ]] || fail "--timeout must be a positive number of minutes"
[[ "$rtol" =~ ^[0-9.eE+-]+$ ]] || fail "--rtol must be a number"
[ "$(id -u)" -eq 0 ] || fail "must run as root (sudo $0): it installs packages and starts Slurm's daemons"
command -v dotnet >/dev/null || fail "dotnet not found: install the .NET 10 SDK"

t0=$(date +%s)
log() { printf '[%4ds] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }

# --- packages: Debian's Slurm and munge, sqlite3 for a look by hand, python3 for the comparison ------------------
need=()
for c in slurmctld slurmd sbatch; do command -v "$c" >/dev/null || { need+=(slurm-wlm); break; }; done
command -v munged >/dev/null || need+=(munge)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]} (apt-get)"
    if ! { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null; }; then
        fail "apt-get install ${need[*]} failed"
    fi
fi

# --- the cluster, in a folder of its own: nothing under /etc is changed -------------------------------------------
if [ -z "$work" ]; then work="$(mktemp -d /tmp/fourier-slurm.XXXXXX)"; fi
mkdir -p "$work" && work="$(cd "$work" && pwd)"
# munged requires its socket's folders to be traversable by everyone, and its key readable by it alone.
chmod 755 "$work"
mkdir -p "$work/munge" "$work/run" "$work/state" "$work/spool" "$work/log"
chmod 700 "$work/munge"
chmod 755 "$work/run"
export SLURM_CONF="$work/slurm.conf"   # every Slurm command and daemon below reads this file, not /etc/slurm

for port in 6817 6818; do
    # Something answering on Slurm's ports would be another Slurm, which this test must not talk to.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        fail "port $port is in use (another slurmctld/slurmd?): stop it first"
    fi
done

munged_pid="" ctld_pid="" slurmd_pid=""
stop() {   # by process id: only the daemons this script started
    local name=$1 pid=$2 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    echo "test-local.sh: $name ($pid) did not stop on SIGTERM; killing it" >&2
    kill -9 "$pid" 2>/dev/null || true
}
teardown() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if [ -n "$ctld_pid" ] && kill -0 "$ctld_pid" 2>/dev/null; then
        # Jobs first, so that no slurmstepd or dotnet outlives its slurmd.
        local jobs
        jobs="$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')"
        if [ -n "${jobs// /}" ]; then
            log "teardown: cancelling jobs $jobs"
            # shellcheck disable=SC2086 # one argument per job id
            scancel $jobs 2>/dev/null
            for _ in $(seq 1 60); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 1; done
        fi
    fi
    stop slurmd "$slurmd_pid"
    stop slurmctld "$ctld_pid"
    stop munged "$munged_pid"
    log "teardown: cluster stopped; files kept in $work"
    exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

log "work folder $work"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
munged -F --key-file="$work/munge/munge.key" --socket="$work/run/munge.sock" --pid-file="$work/run/munged.pid" \
    --log-file="$work/log/munged.log" --seed-file="$work/munge/munged.seed" >>"$work/log/munged.out" 2>&1 &
munged_pid=$!

# The node as slurmd sees this machine (CPUs, sockets, cores, memory), under the name localhost.
node="$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //; s/ UpTime=.*//')"
cat >"$SLURM_CONF" <<EOF
# A single-node cluster for deploy/slurm/test-local.sh (written by it; removed with its work folder).
ClusterName=fourier-test
SlurmctldHost=$(hostname -s)(127.0.0.1)
AuthType=auth/munge
AuthInfo=socket=$work/run/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool/slurmd-%n
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd-%n.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd-%n.log
# No cgroups here (no systemd): track processes through /proc, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
# Cores only: with memory consumable, a job without --mem would take the whole node and shards would not overlap.
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
# Keep finished jobs in scontrol for an hour: without accounting that is the only record of their states.
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -f "$SLURM_CONF" >>"$work/log/slurmctld.out" 2>&1 &
ctld_pid=$!
slurmd -D -f "$SLURM_CONF" -N localhost >>"$work/log/slurmd.out" 2>&1 &
slurmd_pid=$!

log "waiting for the node to be idle"
for i in $(seq 1 60); do
    state="$(sinfo -h -n localhost -o %t 2>/dev/null || true)"
    [ "$state" = "idle" ] && break
    for p in "$munged_pid" "$ctld_pid" "$slurmd_pid"; do
        kill -0 "$p" 2>/dev/null || { tail -n 20 "$work"/log/*.out "$work"/log/*.log >&2; fail "a daemon died at start (logs above)"; }
    done
    [ "$i" -eq 60 ] && { tail -n 20 "$work"/log/*.log >&2; fail "node not idle after 60 s (state '$state')"; }
    sleep 1
done
sinfo

# --- the sharded run -------------------------------------------------------------------------------------------
cluster="$work/cluster"
# One core per shard (two shards at a time on two cores); the single process below gets the same thread count.
log "submit.sh --scale smoke --shards $shards --out $cluster"
"$here/submit.sh" --scale smoke --shards "$shards" --out "$cluster" --experiments "$experiments" --cpus-per-task 1 --time 60
shard_job="$(sed -n 's/^shard_job=//p' "$cluster/jobs.env")"   # written by submit.sh
merge_job="$(sed -n 's/^merge_job=//p' "$cluster/jobs.env")"
t_submit=$(date +%s)

log "waiting for shards job $shard_job and merge job $merge_job (timeout $timeout_min min)"
deadline=$(( t_submit + timeout_min * 60 ))
merge_state="" last=""
while :; do
    info="$(scontrol -o show job "$merge_job")"
    merge_state="$(sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' <<<"$info")"
    reason="$(sed -n 's/.* Reason=\([^ ]*\).*/\1/p' <<<"$info")"
    case "$merge_state" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|BOOT_FAIL|DEADLINE) break ;; esac
    # A failed shard holds the merge job for good (submit.sh's --kill-on-invalid-dep=no): stop waiting.
    [ "$reason" = "DependencyNeverSatisfied" ] && { merge_state="HELD(a shard failed)"; break; }
    now="$(squeue -h -o '%i:%t' | paste -sd' ' -)"
    [ "$now" != "$last" ] && log "queue: $now" && last="$now"
    [ "$(date +%s)" -gt "$deadline" ] && { log "timeout after $timeout_min min"; merge_state="TIMEOUT(test)"; break; }
    sleep 5
done
t_cluster=$(( $(date +%s) - t_submit ))

failures=()
shard_states="$(scontrol -o show job "$shard_job" | sed -n 's/.*ArrayTaskId=\([0-9]*\).*JobState=\([A-Z_]*\).*ExitCode=\([0-9:]*\).*/\1 \2 \3/p' | sort -n)"
log "cluster: ${t_cluster} s from submission to the end of the merge job"
echo "shard tasks (task state exit):"
while read -r line; do echo "  $line"; done <<<"$shard_states"
echo "merge job $merge_job: $merge_state"
while read -r task state code; do
    [ "$state" = "COMPLETED" ] || failures+=("shard $task: $state (exit $code, log $cluster/logs/shard-$task.$shard_job.out)")
done <<<"$shard_states"
[ "$(wc -l <<<"$shard_states")" -eq "$shards" ] || failures+=("expected $shards shard tasks, scontrol shows: $shard_states")
[ "$merge_state" = "COMPLETED" ] || failures+=("merge job $merge_job: $merge_state (log $cluster/logs/merge.$merge_job.out)")
if [ ! -f "$cluster/fourier.db" ]; then
    failures+=("no merged database $cluster/fourier.db")
    for f in "${failures[@]}"; do echo "FAILED: $f" >&2; done
    tail -n 30 "$cluster"/logs/*.out >&2 || true
    exit 1
fi

# --- the same suite in one process -----------------------------------------------------------------------------
host_dll="$repo/src/Experiments/bin/Release/net10.0/FourierRepro.Experiments.dll"
analysis_dll="$repo/src/Analysis/bin/Release/net10.0/FourierRepro.Analysis.dll"
single="$work/single.db"
read -r -a names <<<"${experiments//,/ }"
log "single process: run ${names[*]} --scale smoke --db $single --threads 1"
t_single0=$(date +%s)
single_rc=0
(cd "$repo" && dotnet "$host_dll" run "${names[@]}" --scale smoke --db "$single" --device cpu --threads 1) >"$work/single.log" 2>&1 || single_rc=$?
t_single=$(( $(date +%s) - t_single0 ))
log "single process: exit $single_rc in ${t_single} s (log $work/single.log)"
[ "$single_rc" -eq 0 ] || failures+=("single-process run exited $single_rc (log $work/single.log)")

# --- the comparison --------------------------------------------------------------------------------------------
for side in cluster single; do
    db="$cluster/fourier.db"; [ "$side" = single ] && db="$single"
    rc=0
    (cd "$repo" && dotnet "$analysis_dll" claims --db "$db" --scale smoke) >"$work/claims-$side.txt" 2>&1 || rc=$?
    log "claims --scale smoke on the $side database: exit $rc ($work/claims-$side.txt)"
    [ "$rc" -le 1 ] || failures+=("claims on the $side database exited $rc")
done

echo
echo "=================================== summary ==================================="
echo "jobs: shards $shard_job (array 1-$shards), merge $merge_job: $merge_state; cluster ${t_cluster} s, single process ${t_single} s"
echo "--- shard times against the host's estimates"
python3 "$here/compare_results.py" times "$cluster/shards" "$cluster/logs" || failures+=("shard times could not be read")
echo "--- runs: A = merged shards ($cluster/fourier.db), B = single process ($single)"
python3 "$here/compare_results.py" runs "$cluster/fourier.db" "$single" --scale smoke --rtol "$rtol" \
    || failures+=("the merged and the single-process databases differ (runs or values)")
echo "--- claim verdicts at smoke (A = merged shards, B = single process)"
python3 "$here/compare_results.py" claims "$cluster/fourier.db" "$single" --scale smoke \
    || failures+=("claim verdicts differ")
echo "--- total $(( $(date +%s) - t0 )) s"
if [ ${#failures[@]} -gt 0 ]; then
    for f in "${failures[@]}"; do echo "FAILED: $f"; done
    exit 1
fi
echo "PASSED: the sharded Slurm run and the single process agree"
