using System.Security.Cryptography;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Experiments.Hosting;

// One `run` process (or one runner in a process) among the workers that may share a database and a plan.
// Id: host:pid:suffix. The host and pid tell a user which process holds a run; the random suffix keeps two runners in
// one process apart (the tests start hosts in-process, one after another or side by side) and two processes that
// reuse a pid (containers that all start at pid 1 under the same host name, or a pid recycled after a crash).
public sealed record Worker(string Id, DateTime StartedAt)
{
    public static Worker Start() =>
        new($"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}", DateTime.UtcNow);
}

public enum LeaseOutcome
{
    Taken,          // this worker trains it now (Record is its row, reset)
    Completed,      // already completed: skipped
    HeldByOther,    // running with a live lease of another worker: left to it
    FailedByOther,  // failed in another worker since this worker started: not retried here
}

public sealed record LeaseAttempt(LeaseOutcome Outcome, RunRecord? Record = null, string? OtherWorker = null, TimeSpan? HeartbeatAge = null);

// Which worker trains which run. Every decision is made and written in one write transaction (BEGIN IMMEDIATE), so two
// processes can never both find a run free and both take it.
public static class RunLeases
{
    // The rules, given the run's row (null when absent):
    // - absent, pending, interrupted, or a status this code does not know: free.
    // - failed: free, unless it failed in another worker since this worker started (its finished_at is not before our
    //   start): that worker has just tried this configuration and retrying it here would train a failing run twice in
    //   one plan. A run that failed before this worker started is retried, as without leases.
    // - running: held while its heartbeat (started_at when it has none: rows from before leases) is younger than the
    //   lease timeout; older, its worker is taken to be dead and the run is taken over.
    // - completed: skipped. With --force it is re-run, unless it was completed since this worker started: N workers
    //   started with --force on one plan re-run every run once, not N times (the first to take a run re-runs it; the
    //   others then find it completed after their own start).
    // Times are compared on one machine's clock: workers of one database run on one machine (README: no network
    // filesystems).
    public static LeaseAttempt Decide(RunRecord? row, Worker me, bool force, TimeSpan leaseTimeout, DateTime now)
    {
        if (row is null) return new LeaseAttempt(LeaseOutcome.Taken);
        bool sinceMyStart = row.FinishedAt is { } f && f >= me.StartedAt;
        switch (row.Status)
        {
            case RunStatus.Completed:
                return !force || sinceMyStart ? new LeaseAttempt(LeaseOutcome.Completed, row) : new LeaseAttempt(LeaseOutcome.Taken, row);
            case RunStatus.Failed when sinceMyStart && row.WorkerId != me.Id:
                return new LeaseAttempt(LeaseOutcome.FailedByOther, row, row.WorkerId);
            case RunStatus.Running:
                var age = now - (row.HeartbeatAt ?? row.StartedAt);
                var holder = row.WorkerId ?? "(none recorded)";
                return age < leaseTimeout ? new LeaseAttempt(LeaseOutcome.HeldByOther, row, holder, age) : new LeaseAttempt(LeaseOutcome.Taken, row, holder, age);
            default:
                return new LeaseAttempt(LeaseOutcome.Taken, row);
        }
    }

    // Decides and, when the run is free, takes it: the row (new, or reset: its old metrics and arrays deleted) becomes
    // running under this worker's lease, with this worker's provenance. A Taken result with OtherWorker set is a
    // takeover of a stale lease.
    public static LeaseAttempt TryTake(ResultsDbContext db, PlannedRun run, Provenance p, Worker me, bool force, TimeSpan leaseTimeout)
    {
        using var tx = db.BeginWriteTransaction();
        var row = db.Runs.SingleOrDefault(r => r.Experiment == run.Experiment.Info.Name && r.Scale == run.Scale.Name() && r.Seed == run.Seed && r.ConfigHash == run.ConfigHash);
        var now = DateTime.UtcNow;
        var attempt = Decide(row, me, force, leaseTimeout, now);
        if (attempt.Outcome != LeaseOutcome.Taken) return attempt; // nothing written: the transaction rolls back on dispose

        var record = row ?? NewRow(run, p, RunStatus.Running, now);
        if (row is null) db.Runs.Add(record);
        else
        {
            db.Metrics.Where(m => m.RunId == row.Id).ExecuteDelete();
            db.Arrays.Where(a => a.RunId == row.Id).ExecuteDelete();
        }
        record.Status = RunStatus.Running;
        record.Attempts++;
        SetProvenance(record, p);
        record.StartedAt = now;
        record.FinishedAt = null;
        record.DurationSeconds = null;
        record.Error = null;
        record.WorkerId = me.Id;
        record.HeartbeatAt = now;
        db.SaveChanges();
        tx.Commit();
        return attempt with { Record = record };
    }

    // One pending row for every planned run that has none yet, in one transaction, so that a database names the runs
    // its plans asked for even where they were never started (a merge of shard databases reports them). A pending row
    // has attempts 0, no worker, and started_at = when it was planned; provenance is the planning worker's until a
    // worker takes it. Returns how many rows were added.
    public static int AddPending(ResultsDbContext db, IReadOnlyList<PlannedRun> plan, Provenance p)
    {
        using var tx = db.BeginWriteTransaction();
        var experiments = plan.Select(r => r.Experiment.Info.Name).Distinct().ToList();
        var scales = plan.Select(r => r.Scale.Name()).Distinct().ToList();
        var known = db.Runs.AsNoTracking().Where(r => experiments.Contains(r.Experiment) && scales.Contains(r.Scale))
            .Select(r => new { r.Experiment, r.Scale, r.Seed, r.ConfigHash }).AsEnumerable()
            .Select(r => (r.Experiment, r.Scale, r.Seed, r.ConfigHash)).ToHashSet();
        var now = DateTime.UtcNow;
        int added = 0;
        foreach (var run in plan)
        {
            if (!known.Add((run.Experiment.Info.Name, run.Scale.Name(), run.Seed, run.ConfigHash))) continue;
            db.Runs.Add(NewRow(run, p, RunStatus.Pending, now));
            added++;
        }
        db.SaveChanges();
        tx.Commit();
        return added;
    }

    static RunRecord NewRow(PlannedRun run, Provenance p, string status, DateTime now)
    {
        var row = new RunRecord
        {
            Experiment = run.Experiment.Info.Name, Scale = run.Scale.Name(), Seed = run.Seed, Label = run.Config.Label,
            ConfigJson = run.ConfigJson, ConfigHash = run.ConfigHash, Status = status, StartedAt = now,
            Device = p.Device, CodeVersion = p.CodeVersion, LibraryVersions = p.LibraryVersions, Host = p.Host,
        };
        SetProvenance(row, p);
        return row;
    }

    static void SetProvenance(RunRecord r, Provenance p)
    {
        r.Device = p.Device;
        r.Threads = p.Threads;
        r.CodeVersion = p.CodeVersion;
        r.LibraryVersions = p.LibraryVersions;
        r.Host = p.Host;
    }
}
