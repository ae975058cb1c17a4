#!/usr/bin/env bash
# Spreads the experiment plan over a Slurm cluster: builds the two executables once (Release), submits a job array
# of N shards (deploy/slurm/shard.sbatch) and a merge + report job that waits for all of them
# (deploy/slurm/merge.sbatch), and prints the job ids and what to watch.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: deploy/slurm/submit.sh --scale S --shards N --out DIR [options]

Runs the plan of `run <experiments>` at scale S as N cost-balanced shards, one Slurm array task each, then
merges the shard databases and writes the report:
  DIR/shards/K.db    shard K's results database (one SQLite file per shard: never one file for many writers)
  DIR/logs/          shard-K.JOBID.out per array task, merge.JOBID.out
  DIR/fourier.db     the merged database
  DIR/reports/       figures, REPORT.md / REPORT.html
  DIR/submission.txt the exact sbatch lines used (and the ones to re-submit a shard)

DIR and this repository must be on a filesystem that every node mounts at the same path: the shards run the
executables built here, in this checkout, and write into DIR.

required:
  --scale S            smoke | standard | paper
  --shards N           number of shards (array tasks), N >= 1
  --out DIR            output folder (created)
options:
  --experiments a,b    experiments to run (default: all; names as in `run`, see `list`)
  --partition P        Slurm partition for both jobs (default: the cluster's default)
  --gpus-per-task G    GPUs per shard (default 0: CPU). G > 0 builds with -p:TorchBackend=cuda and runs
                       --device cuda; the merge job gets no GPU
  --cpus-per-task C    cores per shard, also the host's --threads (default 2; keep it fixed for one DIR:
                       CPU results depend on the thread count)
  --time T             time limit of each shard and of the merge job (sbatch --time, e.g. 02:00:00)
  --sbatch-arg ARG     one more sbatch option for both jobs, e.g. --sbatch-arg=--account=proj (repeatable)
  --no-build           use the Release build already in src/*/bin (e.g. when re-submitting)
  -h, --help           this text

A failed shard K can be re-submitted alone: completed runs in DIR/shards/K.db are skipped, so it resumes.
The merge job then still waits (it is held, not cancelled, when a shard fails); point it at the new job:
  sbatch --array=K <the shard line from DIR/submission.txt>     # prints the new job id J
  scontrol update JobId=<merge job id> Dependency=afterok:J
Both lines, with this submission's values filled in, are printed below and written to DIR/submission.txt.

Exit code: 0 submitted, 1 a build or sbatch failed, 2 bad arguments.
EOF
}
fail() { echo "submit.sh: $*" >&2; exit 2; }   # bad arguments: one line, exit 2
die() { echo "submit.sh: $*" >&2; exit 1; }    # something that ran failed

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scale="" shards="" out="" experiments="all" partition="" gpus=0 cpus=2 time_limit="" build=1
extra=()
need() { if [ $# -lt 2 ] || [ -z "$2" ]; then fail "$1 needs a value (see -h)"; fi; }
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) need "$@"; scale="$2"; shift 2 ;;
        --shards) need "$@"; shards="$2"; shift 2 ;;
        --out) need "$@"; out="$2"; shift 2 ;;
        --experiments) need "$@"; experiments="$2"; shift 2 ;;
        --partition) need "$@"; partition="$2"; shift 2 ;;
        --gpus-per-task) need "$@"; gpus="$2"; shift 2 ;;
        --cpus-per-task) need "$@"; cpus="$2"; shift 2 ;;
        --time) need "$@"; time_limit="$2"; shift 2 ;;
        --sbatch-arg) need "$@"; extra+=("$2"); shift 2 ;;
        --sbatch-arg=*) extra+=("${1#--sbatch-arg=}"); shift ;;
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;   # --scale=smoke is --scale smoke
        *) fail "unknown argument '$1' (see -h)" ;;
    esac
done
[ -n "$scale" ] || fail "--scale is required (smoke | standard | paper; see -h)"
[ -n "$shards" ] || fail "--shards is required (see -h)"
[ -n "$out" ] || fail "--out is required (see -h)"
case "$scale" in smoke|standard|paper) ;; *) fail "--scale must be smoke, standard or paper, not '$scale'" ;; esac
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || fail "--shards must be a positive integer, not '$shards'"
[[ "$gpus" =~ ^[0-9]+$ ]] || fail "--gpus-per-task must be a non-negative integer, not '$gpus'"
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || fail "--cpus-per-task must be a positive integer, not '$cpus'"
[[ "$experiments" =~ ^[A-Za-z0-9-]+(,[A-Za-z0-9-]+)*$ ]] || fail "--experiments must be names separated by commas, not '$experiments'"
command -v sbatch >/dev/null || fail "sbatch not found: run this on a Slurm submit host"
command -v "${REPRO_DOTNET:-dotnet}" >/dev/null || fail "dotnet not found (install the .NET 10 SDK, or set REPRO_DOTNET)"
mkdir -p "$out" || fail "cannot create --out '$out'"
out="$(cd "$out" && pwd)"   # absolute: the jobs run elsewhere

# A second submission into the same DIR resumes the first only when it cuts the plan the same way: shard K of
# another N is another set of runs, and its K.db would then mix two partitions.
settings="scale=$scale shards=$shards experiments=$experiments"
if [ -f "$out/settings" ] && [ "$(head -n 1 "$out/settings")" != "$settings" ]; then
    fail "$out was used with '$(head -n 1 "$out/settings")', not '$settings': use another --out"
fi
# The thread count (= --cpus-per-task) is not part of a run's identity, but CPU results depend on it: image runs
# trained on 1 and on 2 threads differ by up to 2 dB in train PSNR after 150 steps (round-off, amplified). Mixing
# counts in one DIR is allowed (completed runs are kept), but said.
previous_cpus="$(sed -n 's/^cpus-per-task=//p' "$out/settings" 2>/dev/null || true)"
if [ -n "$previous_cpus" ] && [ "$previous_cpus" != "$cpus" ]; then
    echo "submit.sh: warning: $out was run with --cpus-per-task $previous_cpus, now $cpus: runs trained from now on use another thread count (CPU results depend on it)" >&2
fi

if [ "$gpus" -gt 0 ]; then backend=cuda device=cuda; else backend=cpu device=cpu; fi
dotnet_cmd="${REPRO_DOTNET:-dotnet}"
if [ "$build" -eq 1 ]; then
    # Once, here, for every node: the shards only run what this build left in src/*/bin/Release.
    for project in src/Experiments src/Analysis; do
        echo "== build $project (Release, TorchBackend=$backend)"
        (cd "$repo" && "$dotnet_cmd" build "$project" -c Release --nologo -v quiet "-p:TorchBackend=$backend") \
            || die "build of $project failed"
    done
fi
host_dll="$repo/src/Experiments/bin/Release/net10.0/FourierRepro.Experiments.dll"
[ -f "$host_dll" ] || die "$host_dll is missing (build without --no-build)"

# Unknown experiment names would fail every shard with exit 2 after queueing; check them here instead.
if [ "$experiments" != "all" ]; then
    known="$(cd "$repo" && "$dotnet_cmd" "$host_dll" list | awk 'NR > 1 { print $1 }')" || die "list failed"
    IFS=',' read -r -a wanted <<<"$experiments"
    for name in "${wanted[@]}"; do
        grep -qx -- "$name" <<<"$known" || fail "unknown experiment '$name' (known: $(echo "$known" | paste -sd, -))"
    done
fi

mkdir -p "$out/shards" "$out/logs"
printf '%s\ncpus-per-task=%s\n' "$settings" "$cpus" >"$out/settings"

common=(--chdir="$repo")
[ -n "$partition" ] && common+=(--partition="$partition")
[ -n "$time_limit" ] && common+=(--time="$time_limit")
common+=("${extra[@]}")
shard_opts=("${common[@]}" --job-name=fourier-shards --ntasks=1 --cpus-per-task="$cpus"
    --output="$out/logs/shard-%a.%A.out")
[ "$gpus" -gt 0 ] && shard_opts+=(--gpus-per-task="$gpus")
shard_script=("$repo/deploy/slurm/shard.sbatch" --repo "$repo" --out "$out" --scale "$scale" --shards "$shards"
    --experiments "${experiments//,/ }" --device "$device")
# --kill-on-invalid-dep=no: when a shard fails the merge job is held (DependencyNeverSatisfied), not cancelled,
# whatever the site's default, so that it can be pointed at the re-submitted shard.
merge_opts=("${common[@]}" --job-name=fourier-merge --ntasks=1 --cpus-per-task=1 --kill-on-invalid-dep=no
    --output="$out/logs/merge.%j.out")
merge_script=("$repo/deploy/slurm/merge.sbatch" --repo "$repo" --out "$out" --scale "$scale" --shards "$shards")

# --parsable prints "jobid" or "jobid;cluster".
array_job="$(sbatch --parsable --array="1-$shards" "${shard_opts[@]}" "${shard_script[@]}")" || die "sbatch of the shards failed"
array_job="${array_job%%;*}"
merge_job="$(sbatch --parsable --dependency="afterok:$array_job" "${merge_opts[@]}" "${merge_script[@]}")" \
    || die "sbatch of the merge job failed (the shards, job $array_job, are queued: scancel $array_job to drop them)"
merge_job="${merge_job%%;*}"

quoted() { printf '%q ' "$@"; }
resubmit="sbatch --array=K $(quoted "${shard_opts[@]}" "${shard_script[@]}")"
{
    echo "# $(date -u +%FT%TZ) submit.sh $settings gpus-per-task=$gpus cpus-per-task=$cpus"
    echo "shard_job=$array_job"
    echo "merge_job=$merge_job"
    echo "# shards:"
    echo "sbatch --array=1-$shards $(quoted "${shard_opts[@]}" "${shard_script[@]}")"
    echo "# merge:"
    echo "sbatch --dependency=afterok:$array_job $(quoted "${merge_opts[@]}" "${merge_script[@]}")"
    echo "# re-submit shard K alone (completed runs are skipped), then let the merge wait for it (J = the new id):"
    echo "$resubmit"
    echo "scontrol update JobId=$merge_job Dependency=afterok:J"
} >"$out/submission.txt"
printf 'shard_job=%s\nmerge_job=%s\n' "$array_job" "$merge_job" >"$out/jobs.env"

cat <<EOF
submitted: shards job $array_job (array 1-$shards, scale $scale, $experiments, device $device), merge job $merge_job (after all shards)
watch:     squeue -j $array_job,$merge_job        scontrol show job $array_job
logs:      $out/logs/ (shard-K.$array_job.out, merge.$merge_job.out)
results:   $out/shards/K.db, then $out/fourier.db and $out/reports/
a failed shard K: re-submit it alone (its completed runs are skipped), then point the merge at the new job J:
  $resubmit
  scontrol update JobId=$merge_job Dependency=afterok:J
(both lines are in $out/submission.txt)
EOF
