#!/usr/bin/env python3
"""Compares two FourierRepro results databases, for deploy/slurm/test-local.sh (standard library only).

  compare_results.py runs A.db B.db [--scale S] [--rtol R] [--subset]
      The same run identities (experiment, scale, seed, config_hash) with the same status; for every identity in
      both, the same metric rows (name, step, value, NaN flag) and arrays (name, step, dtype, shape, values).
      Compared exactly first; where values differ, the largest relative difference |a-b|/max(|a|,|b|) is
      printed with where it is, and the databases count as equal only if it is within --rtol (default 0: exact).
      --subset: B may hold runs that A does not (one shard against a full run).
  compare_results.py claims A.db B.db --scale S
      The latest recorded verdict of every claim at scale S (claim_checks, as `claims` and `report` write it).
  compare_results.py times SHARDS_DIR LOGS_DIR
      Per shard K: the sum of duration_seconds in SHARDS_DIR/K.db, the job's wall time and the host's estimate
      (from the newest LOGS_DIR/shard-K.*.out).
Exit code: 0 equal (or, for times, printed), 1 a difference, 2 bad input.
"""
import argparse
import glob
import math
import os
import re
import sqlite3
import sys
from array import array

IDENTITY = "experiment, scale, seed, config_hash"


def connect(path):
    if not os.path.isfile(path):
        print(f"compare_results.py: no such database: {path}", file=sys.stderr)
        sys.exit(2)
    # Read-only: the comparison must not change either file (no WAL checkpoint, no migration).
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def runs(db, scale):
    where, args = ("WHERE scale = ?", (scale,)) if scale else ("", ())
    rows = db.execute(f"SELECT id, {IDENTITY}, status, label, threads, device FROM runs {where}", args).fetchall()
    return {tuple(r[1:5]): {"id": r[0], "status": r[5], "label": r[6], "threads": r[7], "device": r[8]} for r in rows}


def metric_rows(db, run_id):
    # value NULL with is_nan 1 is a NaN (SQLite stores NaN as NULL); the order within a (name, step) is the insert order.
    return db.execute("SELECT name, step, value, is_nan FROM metrics WHERE run_id = ? ORDER BY name, step, id",
                      (run_id,)).fetchall()


def array_rows(db, run_id):
    return db.execute("SELECT name, step, dtype, shape, data FROM arrays WHERE run_id = ? ORDER BY name, step, id",
                      (run_id,)).fetchall()


def decode(dtype, data):
    a = array({"float32": "f", "float64": "d"}[dtype])
    a.frombytes(data)
    if sys.byteorder != "little":
        a.byteswap()   # stored little-endian
    return a


def rel_diff(x, y):
    if x == y or (math.isnan(x) and math.isnan(y)):
        return 0.0
    if math.isinf(x) or math.isinf(y) or math.isnan(x) or math.isnan(y):
        return math.inf
    return abs(x - y) / max(abs(x), abs(y))


class Worst:
    """The largest relative difference seen, and where."""

    def __init__(self):
        self.value, self.where = 0.0, None

    def see(self, r, where):
        if r > self.value:
            self.value, self.where = r, where


def compare_runs(a_path, b_path, scale, rtol, subset=False):
    a, b = connect(a_path), connect(b_path)
    ra, rb = runs(a, scale), runs(b, scale)
    problems = []
    print(f"runs: {len(ra)} in {a_path}, {len(rb)} in {b_path}" + (f" (scale {scale})" if scale else ""))
    for key in sorted(set(ra) - set(rb)):
        problems.append(f"only in A: {key} {ra[key]['label']} ({ra[key]['status']})")
    for key in sorted(set(rb) - set(ra)) if not subset else []:
        problems.append(f"only in B: {key} {rb[key]['label']} ({rb[key]['status']})")
    common = sorted(set(ra) & set(rb))
    for key in common:
        if ra[key]["status"] != rb[key]["status"]:
            problems.append(f"status differs: {key} {ra[key]['label']}: {ra[key]['status']} vs {rb[key]['status']}")
    identities_equal = not problems
    print(f"identities (experiment, scale, seed, config_hash, status): "
          + ("the same set" if identities_equal else f"{len(problems)} differences"))
    for p in problems[:20]:
        print(f"  {p}")
    threads = sorted({(v["device"], v["threads"]) for v in ra.values()}), sorted({(v["device"], v["threads"]) for v in rb.values()})
    print(f"device, threads: A {threads[0]}, B {threads[1]}")

    n_metrics = n_metrics_diff = n_arrays = n_arrays_diff = n_values_diff = 0
    structural = []
    worst = Worst()
    worst_run = {}   # per experiment: the largest relative difference, to say where round-off shows
    for key in common:
        ia, ib = ra[key]["id"], rb[key]["id"]
        label = f"{key[0]} seed {key[2]} {ra[key]['label']}"
        ma, mb = metric_rows(a, ia), metric_rows(b, ib)
        n_metrics += len(ma)
        if [(m[0], m[1]) for m in ma] != [(m[0], m[1]) for m in mb]:
            structural.append(f"metric rows differ in name/step: {label} ({len(ma)} vs {len(mb)} rows)")
        else:
            for (name, step, va, na), (_, _, vb, nb) in zip(ma, mb):
                if va == vb and na == nb:
                    continue
                n_metrics_diff += 1
                if na != nb or va is None or vb is None:
                    structural.append(f"NaN flag differs: {label} {name}@{step}: {va} vs {vb}")
                    continue
                r = rel_diff(va, vb)
                worst.see(r, f"metric {name} step {step} of {label}: {va!r} vs {vb!r}")
                worst_run[key[0]] = max(worst_run.get(key[0], 0.0), r)
        xa, xb = array_rows(a, ia), array_rows(b, ib)
        n_arrays += len(xa)
        if [x[:4] for x in xa] != [x[:4] for x in xb]:
            structural.append(f"arrays differ in name/step/dtype/shape: {label}")
            continue
        for (name, step, dtype, shape, da), (_, _, _, _, db_) in zip(xa, xb):
            if da == db_:
                continue
            n_arrays_diff += 1
            va, vb = decode(dtype, da), decode(dtype, db_)
            if len(va) != len(vb):
                structural.append(f"array {name} of {label}: {len(va)} vs {len(vb)} values")
                continue
            for i, (x, y) in enumerate(zip(va, vb)):
                if x == y:
                    continue
                n_values_diff += 1
                r = rel_diff(x, y)
                worst.see(r, f"array {name} step {step} [{i}] (shape {shape}) of {label}: {x!r} vs {y!r}")
                worst_run[key[0]] = max(worst_run.get(key[0], 0.0), r)

    exact = n_metrics_diff == 0 and n_arrays_diff == 0 and not structural
    print(f"metrics: {n_metrics} rows in the common runs, {n_metrics_diff} differ; "
          f"arrays: {n_arrays}, {n_arrays_diff} differ ({n_values_diff} values)")
    for s in structural[:20]:
        print(f"  {s}")
    if exact:
        print("values: bit-for-bit identical")
    else:
        print(f"values: NOT bit-identical; largest relative difference {worst.value:.3g}"
              + (f" at {worst.where}" if worst.where else ""))
        for experiment, r in sorted(worst_run.items(), key=lambda kv: -kv[1]):
            print(f"  {experiment}: largest relative difference {r:.3g}")
        if not structural and worst.value <= rtol:
            print(f"  within the stated tolerance --rtol {rtol:g}")
    values_equal = not structural and (exact or worst.value <= rtol)
    return 0 if identities_equal and values_equal else 1


def latest_verdicts(path, scale):
    db = connect(path)
    rows = db.execute("SELECT claim_id, kind, verdict, passed, measured FROM claim_checks WHERE id IN "
                      "(SELECT max(id) FROM claim_checks WHERE scale = ? GROUP BY claim_id)", (scale,)).fetchall()
    return {r[0]: r[1:] for r in rows}


def compare_claims(a_path, b_path, scale):
    va, vb = latest_verdicts(a_path, scale), latest_verdicts(b_path, scale)
    if not va or not vb:
        print(f"claims: no claim checks at scale {scale} in {'A' if not va else 'B'}")
        return 1
    differ = 0
    print(f"{'claim':<9} {'kind':<9} {'A verdict':<34} {'B verdict':<34} {'A measured':>12} {'B measured':>12}")
    for claim in sorted(set(va) | set(vb)):
        a, b = va.get(claim), vb.get(claim)
        same = a is not None and b is not None and a[1] == b[1] and a[2] == b[2]
        differ += not same

        def cell(v, i):
            return "-" if v is None else ("" if v[i] is None else v[i])

        def num(v):
            return "-" if v is None or v[3] is None else f"{v[3]:.6g}"
        print(f"{claim:<9} {cell(a or b, 0):<9} {cell(a, 1):<34} {cell(b, 1):<34} {num(a):>12} {num(b):>12}"
              + ("" if same else "   <-- differs"))
    print(f"claim verdicts: {len(set(va) | set(vb))} claims, "
          + ("the same verdict on both" if differ == 0 else f"{differ} differ"))
    return 0 if differ == 0 else 1


ESTIMATE = re.compile(r"Shard (\d+)/(\d+): (\d+) of the plan's (\d+) runs, estimated (\d+) s of (\d+) s")
SUMMARY = re.compile(r"shard-summary: shard=(\d+)/(\d+) .*exit=(\d+) elapsed_s=(\d+)")


def shard_times(shards_dir, logs_dir):
    rows = []
    for path in sorted(glob.glob(os.path.join(shards_dir, "*.db")), key=lambda p: int(os.path.basename(p)[:-3])
                       if os.path.basename(p)[:-3].isdigit() else 0):
        k = os.path.basename(path)[:-3]
        db = connect(path)
        n, total = db.execute("SELECT count(*), coalesce(sum(duration_seconds), 0) FROM runs WHERE status = 'completed'").fetchone()
        logs = sorted(glob.glob(os.path.join(logs_dir, f"shard-{k}.*.out")), key=os.path.getmtime)
        estimate = wall = exit_code = None
        if logs:
            text = open(logs[-1], encoding="utf-8", errors="replace").read()
            if m := ESTIMATE.search(text):
                estimate = int(m.group(5))
            if m := SUMMARY.search(text):
                exit_code, wall = int(m.group(3)), int(m.group(4))
        rows.append((k, n, total, wall, estimate, exit_code))
    if not rows:
        print(f"no shard databases in {shards_dir}")
        return 1
    print(f"{'shard':>5} {'runs':>5} {'sum of run s':>13} {'job wall s':>11} {'estimate s':>11} {'runs/estimate':>14} {'exit':>5}")
    for k, n, total, wall, estimate, exit_code in rows:
        ratio = f"{total / estimate:.2f}" if estimate else "-"
        print(f"{k:>5} {n:>5} {total:>13.1f} {wall if wall is not None else '-':>11} "
              f"{estimate if estimate is not None else '-':>11} {ratio:>14} {exit_code if exit_code is not None else '-':>5}")
    totals = [r[2] for r in rows]
    walls = [r[3] for r in rows if r[3] is not None]
    print(f"sum of run seconds: {sum(totals):.1f} s in all, the longest shard {max(totals):.1f} s, the shortest "
          f"{min(totals):.1f} s (spread {max(totals) / max(min(totals), 1e-9):.2f}x)"
          + (f"; longest job wall time {max(walls)} s" if walls else ""))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("runs")
    r.add_argument("a")
    r.add_argument("b")
    r.add_argument("--scale")
    r.add_argument("--rtol", type=float, default=0.0)
    r.add_argument("--subset", action="store_true", help="A may hold fewer runs than B (e.g. one shard against a full run)")
    c = sub.add_parser("claims")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--scale", required=True)
    t = sub.add_parser("times")
    t.add_argument("shards_dir")
    t.add_argument("logs_dir")
    args = p.parse_args()
    if args.command == "runs":
        return compare_runs(args.a, args.b, args.scale, args.rtol, args.subset)
    if args.command == "claims":
        return compare_claims(args.a, args.b, args.scale)
    return shard_times(args.shards_dir, args.logs_dir)


if __name__ == "__main__":
    sys.exit(main())
